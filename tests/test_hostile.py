"""Nothing lost, whatever arrives (#11 part A): the hostile corpus of tests/hostile.py mixed with
good pages, through `casefile run` (a subprocess, tesseract, as a clerk runs it) and through the
upload API. Every input ends as a document or a clear error naming it, the good pages are read,
the originals stay byte-identical, no user error shows a traceback, memory stays under 1 GB, and
a 250-character Chinese path fits every column on SQLite and PostgreSQL. Bad rosters stop a run
with one line and exit status 2."""
from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.names import printable
from report import validate_report
from tests.hostile import A4, GOOD, LIMITS, LONG_PATH, bad_rosters, good_pages, hostile_inputs, text_pdf, write_batch

ROOT = Path(__file__).resolve().parent.parent
# What a message for a clerk never holds: Python's own words, object reprs, tracebacks.
RAW_PYTHON = re.compile(r"[A-Za-z]+(Error|Exception)\b|object at 0x|Traceback|errno|\bNone\b|Errno")


# Runs a command and prints, as the last line of stderr, the peak RSS (KiB) of the largest process
# of ITS tree: pytest's own RUSAGE_CHILDREN would also count every earlier test's subprocesses.
PEAK_OF_TREE = (
    "import resource, subprocess, sys; rc = subprocess.run(sys.argv[1:]).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(rc)"
)


def casefile(*args: str, env: dict | None = None, timeout: int = 600, peak: bool = False) -> subprocess.CompletedProcess:
    full = {**os.environ, "OMP_THREAD_LIMIT": "1", **LIMITS, **(env or {})}
    command = [sys.executable, "-m", "casefile.cli", *args]
    if peak:
        command = [sys.executable, "-c", PEAK_OF_TREE, *command]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=full, timeout=timeout)


def digests(folder: Path) -> dict[bytes, str]:
    """sha256 of every regular file under folder, by raw path (links not followed)."""
    out = {}
    for top, _, files in os.walk(os.fsencode(folder)):
        for name in files:
            path = os.path.join(top, name)
            if stat.S_ISREG(os.lstat(path).st_mode):
                with open(path, "rb") as f:
                    out[path] = hashlib.sha256(f.read()).hexdigest()
    return out


def matches(pattern: str, source: str) -> bool:
    return source.startswith(pattern[:-1]) if pattern.endswith("*") else source == pattern


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile")
    batch = out / "batch"
    items = write_batch(batch)
    before = digests(batch)
    proc = casefile("run", str(batch), "--report-json", str(out / "report.json"), "--workspace", str(out / "ws"),
                    "--engine", "tesseract", "--workers", "2", "--no-summary", peak=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    stderr, _, peak_line = proc.stderr.rstrip("\n").rpartition("\n")
    peak_kb = int(peak_line)  # the largest process of the run's own tree
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return {"items": items, "report": report, "stderr": stderr, "before": before, "batch": batch,
            "db": out / "ws" / "casefile.sqlite3", "peak_mb": peak_kb / 1024}


def test_the_corpus_is_big_and_varied():
    items = hostile_inputs()
    assert len(items) >= 60
    refused = sum(bool(i.errors) for i in items)
    read = sum(bool(i.reads) for i in items)
    assert refused >= 40 and read >= 20, (refused, read)


def page_texts(db: Path) -> dict[str, list[str]]:
    """source -> text of each page read, from the run's workspace database."""
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT bf.source, p.text FROM records_batchfile bf JOIN records_page p ON p.file_id = bf.file_id "
        "WHERE bf.duplicate_of_id IS NULL AND p.status = 'done' ORDER BY bf.id, p.number"
    ).fetchall()
    con.close()
    texts: dict[str, list[str]] = {}
    for source, text in rows:
        texts.setdefault(source, []).append(text)
    return texts


def test_every_input_ends_as_a_document_or_an_error_naming_it(run):
    report = run["report"]
    validate_report(report)
    pages = {}
    for doc in report["documents"]:
        pages[doc["source"]] = pages.get(doc["source"], 0) + len(doc["pages"])
    errors = report["errors"]
    repeats = {d["source"] for d in report["duplicates"]}
    problems = []
    for item in run["items"]:
        for source, count in item.reads.items():
            if pages.get(source, 0) != count:
                problems.append(f"{printable(source)}: {pages.get(source, 0)} pages read, expected {count}")
        for pattern, word in item.errors.items():
            said = [e for e in errors if matches(pattern, e["source"])]
            if not any(word in e["message"] for e in said):
                problems.append(f"{printable(pattern)}: no error saying {word!r} (got {[e['message'] for e in said]})")
        if item.either and not (item.path in pages or item.path in repeats or any(e["source"] == item.path for e in errors)):
            problems.append(f"{printable(item.path)}: neither a document nor an error")
        if item.duplicate and item.path not in repeats:
            problems.append(f"{printable(item.path)}: not listed as a repeat")
    # No error that no input explains (a good page that failed, an input listed twice).
    expected = [p for i in run["items"] for p in i.errors] + [i.path for i in run["items"] if i.either]
    for error in errors:
        if not any(matches(p, error["source"]) for p in expected):
            problems.append(f"unexpected error: {printable(error['message'])}")
    assert not problems, "\n".join(problems)


def test_every_error_names_its_file_in_plain_words(run):
    for error in run["report"]["errors"]:
        assert error["message"].startswith(f"{error['source']}："), error
        assert not RAW_PYTHON.search(error["message"]), error


def test_the_good_pages_are_read_and_hostile_images_come_out_right(run):
    texts = page_texts(run["db"])
    for source, token in GOOD.items():
        assert token in "".join(texts.get(source, [])).replace(" ", ""), (source, texts.get(source))
    assert "无犯罪记录证明" in "".join(texts["好/证明.pdf"])  # born-digital, read from its text layer
    # 16-bit, alpha, palette, CMYK and rotated pages read as pages (not clipped white or black):
    # the number printed on each is in what the OCR read.
    for item in run["items"]:
        if item.token:
            source = next(iter(item.reads))
            assert item.token in "".join(texts.get(source, [])).replace(" ", ""), (source, texts.get(source))


def test_originals_are_byte_identical(run):
    assert digests(run["batch"]) == run["before"]


def test_the_console_has_one_line_per_error_and_no_traceback(run):
    lines = run["stderr"].splitlines()
    assert "Traceback" not in run["stderr"]
    assert not any("WARNING" in line or "ERROR" in line for line in lines)  # refusals are not log noise
    assert "Warning:" not in run["stderr"]  # nor Python warnings from the decoders
    assert not any("TIFF" in line and ("Warning" in line or "directory" in line) for line in lines)  # libtiff quiet
    for error in run["report"]["errors"]:
        assert f"错误 {printable(error['message'])}" in lines, error["message"]
    assert not any(line.startswith("第二行") for line in lines)  # the name with a newline stayed on its line


def test_names_that_were_not_utf8_keep_their_bytes(run):
    con = sqlite3.connect(run["db"])
    raw = dict(con.execute("SELECT source, raw_source FROM records_batchfile WHERE raw_source IS NOT NULL").fetchall())
    con.close()
    assert raw["名/入伍登记表.jpg"] == "名/入伍登记表.jpg".encode("gbk")
    assert raw["包/国标文件名.zip/入伍登记表.jpg"] == "入伍登记表.jpg".encode("gbk")
    assert raw["名/\\xff\\xfe无法解码.jpg"] == b"\xe5\x90\x8d/\xff\xfe" + "无法解码.jpg".encode()
    assert LONG_PATH in {d["source"] for d in run["report"]["documents"]} and len(LONG_PATH) >= 250


def test_peak_memory_of_the_run_stays_under_1_gb(run):
    assert run["peak_mb"] < 1024, run["peak_mb"]


# --- rosters ---------------------------------------------------------------------------------


def test_bad_rosters_stop_the_run_with_one_line_and_status_2(tmp_path):
    page = tmp_path / "good.pdf"
    page.write_bytes(good_pages()["好/证明.pdf"])
    from cases import load_roster

    refused = []
    for name, data, word in bad_rosters():
        path = tmp_path / name
        path.write_bytes(data)
        if word is None:
            assert [e.name for e in load_roster(path)][:1] == ["周立新"], name
        else:
            refused.append((name, word))

    for name, word in refused:
        proc = casefile("run", str(page), "--roster", str(tmp_path / name), "--report-json", str(tmp_path / "r.json"),
                        "--workspace", str(tmp_path / "ws"), "--no-summary")
        said = [line for line in proc.stderr.splitlines() if line.strip()]
        assert proc.returncode == 2, (name, proc.stderr[-2000:])
        assert len(said) == 1 and name in said[0] and word in said[0], (name, said)
        assert "360899197503141518" not in proc.stderr and not RAW_PYTHON.search(proc.stderr), (name, said)


def test_a_gb18030_roster_runs(tmp_path):
    page = tmp_path / "good.pdf"
    page.write_bytes(good_pages()["好/证明.pdf"])
    name, data, _ = next(r for r in bad_rosters() if r[0] == "gb18030.csv")
    (tmp_path / name).write_bytes(data)
    proc = casefile("run", str(page), "--roster", str(tmp_path / name), "--report-json", str(tmp_path / "r.json"),
                    "--workspace", str(tmp_path / "ws"), "--no-summary")
    assert proc.returncode == 0, proc.stderr[-2000:]
    cases = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["cases"]
    assert {c["name"] for c in cases} == {"周立新", "刘䶮"}


# --- the upload API ----------------------------------------------------------------------------


class _NoReading:
    """The upload answer is the subject here; the pages are read by the run above."""

    def pages(self, ids):
        pass

    def close_batch(self, batch_id):
        pass


@pytest.mark.django_db
def test_the_upload_api_gives_every_file_its_own_answer(workspace, settings_as, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from web import uploads
    from web.models import issue_token
    from web.roles import CLERK, create_user

    settings_as(**{name.removeprefix("CASEFILE_").lower(): int(value) for name, value in LIMITS.items()})
    monkeypatch.setattr(uploads, "dispatcher", lambda: _NoReading())
    secret = issue_token(create_user("clerk", CLERK, "Zhou-Lixin-2019!"), "脚本")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    batch = client.post("/api/batches", json.dumps({"label": "hostile"}), content_type="application/json").json()["batch_id"]
    answers: dict[str, dict] = {}

    def send(path: str, data: bytes) -> None:
        # The name travels in `path`, as the upload page sends it; the part's own file name is neutral.
        response = client.post(f"/api/batches/{batch}/files", {"file": SimpleUploadedFile("scan", data), "path": path})
        assert response.status_code == 200, (printable(path), response.content[:300])
        for state in response.json()["files"]:
            answers[state["source"]] = state

    for path, data in good_pages().items():
        send(path, data)
    items = [i for i in hostile_inputs() if i.api and i.kind == "file"]
    for item in items:
        send(item.path, item.data)
    problems = []
    for item in items:
        for source in item.reads:
            if answers.get(source, {}).get("status") not in ("accepted", "duplicate"):
                problems.append(f"{printable(source)}: {answers.get(source)}")
        for pattern, word in item.errors.items():
            said = [a for s, a in answers.items() if matches(pattern, s)]
            # A page that failed inside an accepted file is named in the acceptance.
            if not any(word in a["message"] for a in said):
                problems.append(f"{printable(pattern)}: {said}")
        if item.duplicate and answers.get(item.path, {}).get("status") != "duplicate":
            problems.append(f"{printable(item.path)}: {answers.get(item.path)} (expected a repeat)")
    for source, state in answers.items():
        assert state["status"] in ("accepted", "duplicate", "refused"), state
        if state["status"] == "refused":
            assert state["message"].startswith(f"{source}：") and not RAW_PYTHON.search(state["message"]), state
    assert not problems, "\n".join(problems)
    sealed = client.post(f"/api/batches/{batch}/seal", "{}", content_type="application/json")
    assert sealed.status_code == 200


# --- long paths on PostgreSQL ------------------------------------------------------------------


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    from devtools.postgres_service import find_or_start_postgres

    private = os.environ.get("CASEFILE_TEST_PRIVATE_SERVICES") == "1"
    server = find_or_start_postgres(base_dir=tmp_path_factory.mktemp("pg"), private=private)
    yield server
    server.stop()


def test_a_250_character_chinese_path_fits_every_column_on_postgresql(postgres, tmp_path):
    """Born-digital pages (no OCR): a long folder path, a long ZIP entry, and a refused file at a
    long path, stored and reported whole."""
    import zipfile

    batch = tmp_path / "batch"
    long_pdf = batch / LONG_PATH.replace(".jpg", ".pdf")
    long_pdf.parent.mkdir(parents=True)
    long_pdf.write_bytes(text_pdf([A4]))
    (long_pdf.parent / "损坏的文件.pdf").write_bytes(b"%PDF-1.4 broken")
    entry = "案卷" * 60 + "/" + "无犯罪记录证明" * 19 + ".pdf"  # 120 + 1 + 137 characters
    with zipfile.ZipFile(batch / "打包.zip", "w") as zf:
        zf.writestr(entry, text_pdf([A4, A4]))
    # A second INPUT whose own name is GBK bytes (recorded on the batch, a JSON column).
    gbk_folder = os.path.join(os.fsencode(tmp_path), "窗口扫描".encode("gbk"))
    os.mkdir(gbk_folder)
    with open(os.path.join(gbk_folder, "证明.pdf".encode("gbk")), "wb") as out:
        out.write(text_pdf([A4, (400.0, 600.0)]))
    db = postgres.create_database("casefile_hostile_")
    try:
        proc = casefile("run", str(batch), os.fsdecode(gbk_folder), "--report-json", str(tmp_path / "r.json"),
                        "--workspace", str(tmp_path / "ws"), "--no-summary", env={"CASEFILE_DATABASE_URL": postgres.dsn(db)})
        assert proc.returncode == 0, proc.stderr[-3000:]
        report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
        sources = {d["source"] for d in report["documents"]}
        assert sources == {LONG_PATH.replace(".jpg", ".pdf"), f"打包.zip/{entry}", "证明.pdf"}
        assert [e["source"] for e in report["errors"]] == [str(Path(LONG_PATH).parent / "损坏的文件.pdf")]
        with postgres.connect(db) as con:
            stored = [r[0] for r in con.execute("SELECT source FROM records_batchfile")]
            names = [r[0] for r in con.execute("SELECT first_name FROM records_sourcefile")]
        assert max(map(len, stored)) >= 250 and max(map(len, names)) >= 250
    finally:
        postgres.drop_database(db)
