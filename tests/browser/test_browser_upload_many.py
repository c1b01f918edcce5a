"""Two hundred files picked at once: every one is answered (accepted, duplicate or refused with the
reason) and the batch finishes. Born-digital pages, so no OCR: this measures upload and bookkeeping."""
from __future__ import annotations

import time
from collections import Counter

from playwright.sync_api import expect

from tests.browser.helpers import DONE, login, numbered_pdf, upload, upload_rows, wait_for_batch

DISTINCT, DUPLICATES, JUNK = 190, 5, 5


def make_files(folder) -> tuple[list, set, set]:
    """190 distinct one-page PDFs, 5 byte-identical copies of some of them (last in the list, so
    their originals are stored by the time they arrive) and 5 files that are no evidence at all."""
    folder.mkdir()
    files = []
    for n in range(1, DISTINCT + 1):
        path = folder / f"收件-{n:03d}.pdf"
        path.write_bytes(numbered_pdf(n))
        files.append(path)
    junk = {
        "notes.pdf": b"meeting notes, not a PDF\n",
        "empty.pdf": b"",
        "readme.txt": "请勿上传本文件".encode(),
        "photo.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "broken.pdf": numbered_pdf(999)[:400],
    }
    for name, data in junk.items():
        (folder / name).write_bytes(data)
        files.append(folder / name)
    copies = set()
    for n in (3, 47, 88, 120, 175):
        copy = folder / f"复印件-{n:03d}.pdf"
        copy.write_bytes((folder / f"收件-{n:03d}.pdf").read_bytes())
        files.append(copy)
        copies.add(copy.name)
    assert len(files) == DISTINCT + DUPLICATES + JUNK
    return files, copies, set(junk)


def test_two_hundred_files_are_all_accounted_for(new_page, tmp_path):
    files, copies, junk = make_files(tmp_path / "many")
    page = new_page()
    login(page, "clerk")

    started = time.monotonic()
    batch_id = upload(page, "两百个文件", files, timeout_ms=180_000)
    uploaded = time.monotonic() - started
    expect(page.locator("#files tbody tr[data-status=waiting], #files tbody tr[data-status=sending]")).to_have_count(0)

    rows = upload_rows(page)
    assert len(rows) == len(files)
    counts = Counter(r["status"] for r in rows)
    assert counts == Counter(accepted=DISTINCT, duplicate=DUPLICATES, refused=JUNK), counts
    assert {r["name"] for r in rows if r["status"] == "duplicate"} == copies
    assert {r["name"] for r in rows if r["status"] == "refused"} == junk
    for r in rows:
        assert r["status"] in DONE
        if r["status"] != "accepted":
            assert r["message"].strip(), r
        if r["status"] == "refused":
            assert r["name"] in r["message"], r  # the reason names the file

    page.click(f"#summary a:has-text('查看批次 {batch_id} 的识别进度')")
    wait_for_batch(page, batch_id, timeout_ms=240_000)
    expect(page.locator("#pages-done")).to_have_text(str(DISTINCT))
    finished = time.monotonic() - started
    print(f"\n200 files: uploaded and answered in {uploaded:.1f} s, batch {batch_id} closed after {finished:.1f} s")
