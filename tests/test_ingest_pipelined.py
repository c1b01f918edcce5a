"""Ingest in parallel and pipelined with reading (issue #15, item 1): files are split into pages by
the pool that reads them and each page is read as soon as its file is split; a PDF page read from
its text layer is rendered only when someone looks at it, then kept; a file that cannot be split
is refused by name and the batch goes on; whether a batch is complete is looked up from the
unfinished files' status, not by going through the batch's files."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from config.options import PipelineOptions
from devtools.localcluster import ROOT
from tests.born_digital import certificate_pdf

PIPELINED = """
import json, sys
from pathlib import Path
from config.bootstrap import setup
cfg = setup(Path(sys.argv[1]) / "ws")
from config.options import pipeline_options
from pipeline import pages
from pipeline.run import submit_batch
from records.models import Batch, Page, SourceFile
from workers.local import LocalDispatcher

log = Path(sys.argv[1]) / "unsplit-at-read.txt"
real_read = pages.read_page_text

def read_page_text(page, options):  # in the pool process: how many files wait to be split now
    with log.open("a") as f:
        f.write(f"{SourceFile.objects.filter(status=SourceFile.Status.PENDING).count()}\\n")
    return real_read(page, options)

pages.read_page_text = read_page_text  # before the pool forks
states = []
options = pipeline_options(cfg)
dispatcher = LocalDispatcher(options, 1, cfg.max_attempts, progress=states.append, settings=cfg)
batch = submit_batch([Path(sys.argv[2])], dispatcher, options)
dispatcher.close()
print(json.dumps({
    "unsplit_at_read": [int(n) for n in log.read_text().split()],
    "progress": [[s.files_done, s.files_total, s.pages_done, s.pages_total] for s in states],
    "pages": sorted(set(Page.objects.values_list("status", flat=True))),
    "batch": Batch.objects.get(pk=batch).status,
}))
"""


def test_pages_are_read_while_other_files_still_wait_to_be_split(tmp_path):
    """One pool process: if every file were split before the first page is read, no file would
    wait when the first page is read; the progress shows files and pages together."""
    folder = tmp_path / "batch"
    folder.mkdir()
    for k in range(6):
        (folder / f"cert{k}.pdf").write_bytes(certificate_pdf(1) + f"% {k}\n".encode())  # six distinct files
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFILE_")} | {"PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", PIPELINED, str(tmp_path), str(folder)],
                          env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["batch"] == "closed" and out["pages"] == ["done"]
    assert len(out["unsplit_at_read"]) == 6
    assert out["unsplit_at_read"][0] > 0, out["unsplit_at_read"]  # read before the batch was all split
    assert any(pages_done > 0 and files_done < files_total for files_done, files_total, pages_done, _ in out["progress"])
    assert out["progress"][-1] == [6, 6, 6, 6]


@pytest.mark.django_db
def test_a_text_layer_page_is_rendered_when_first_viewed_and_kept(workspace, monkeypatch):
    from pipeline import pages
    from pipeline.context import blob_store
    from pipeline.ingest_batch import ingest_batch, page_image_key
    from records.models import Page, SourceFile

    folder = workspace / "batch"
    folder.mkdir()
    original = certificate_pdf(2)
    (folder / "cert.pdf").write_bytes(original)
    options = PipelineOptions()
    ingest_batch([folder], options.ingest)
    source = SourceFile.objects.get()
    store = blob_store()
    rows = list(Page.objects.order_by("number"))
    assert [(p.has_text_layer, p.image_key) for p in rows] == [(True, ""), (True, "")]  # nothing rendered at ingest
    keys = [page_image_key(source.sha256, p.number, p.dpi) for p in rows]
    assert not any(store.exists(k) for k in keys)

    image = pages.load_page_image(rows[0], options)
    assert image.shape[:2] == (rows[0].height, rows[0].width)  # the frame its text boxes were measured in
    assert store.exists(keys[0]) and not store.exists(keys[1])

    def no_rendering(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(pages, "open_page", no_rendering)
    again = pages.load_page_image(Page.objects.get(pk=rows[0].pk), options)
    assert (again == image).all()  # kept, losslessly
    assert store.get(source.storage_key) == original  # the upload as it came


@pytest.mark.django_db
def test_a_scanned_pdf_page_is_rendered_and_stored_at_ingest(workspace):
    import numpy as np
    from PIL import Image

    from pipeline import pages
    from pipeline.context import blob_store
    from pipeline.ingest_batch import ingest_batch
    from records.models import Page

    scan = np.full((900, 640), 255, np.uint8)
    scan[100:140, 60:580] = 0
    buf = io.BytesIO()
    Image.fromarray(scan).save(buf, "PDF", resolution=100)
    folder = workspace / "batch"
    folder.mkdir()
    (folder / "scan.pdf").write_bytes(buf.getvalue())
    options = PipelineOptions()
    ingest_batch([folder], options.ingest)
    page = Page.objects.get()
    assert not page.has_text_layer and page.image_key.startswith("pages/")  # OCR will read it: rendered once
    image = pages.load_page_image(page, options)
    assert image.shape[:2] == (page.height, page.width)
    assert blob_store().exists(page.image_key)


@pytest.mark.django_db
def test_a_file_that_cannot_be_split_is_refused_by_name_and_the_batch_goes_on(workspace):
    from pipeline.ingest_batch import ingest_batch
    from pipeline.run import submit_batch
    from records.models import Batch, BatchFile, Document, SourceFile
    from workers.local import LocalDispatcher

    folder = workspace / "batch"
    folder.mkdir()
    (folder / "good.pdf").write_bytes(certificate_pdf(1))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 200)  # a PDF by its head only
    options = PipelineOptions()
    received = ingest_batch([folder], options.ingest, split=False)
    assert SourceFile.objects.filter(status="pending").count() == 2  # both received, neither split yet

    batch_id = submit_batch([folder], LocalDispatcher(options), options)  # the same command: resumed
    assert batch_id == received.batch_id
    assert Batch.objects.get(pk=batch_id).status == Batch.Status.CLOSED
    broken = BatchFile.objects.get(source="broken.pdf")
    assert broken.file is None and broken.error_code == "corrupt_file" and broken.error.startswith("broken.pdf：")
    assert SourceFile.objects.count() == 1 and Document.objects.filter(file__first_name="good.pdf").exists()


@pytest.mark.django_db
def test_whether_a_batch_is_complete_is_looked_up_from_the_unfinished_files(workspace):
    """The query batch_ready asks goes through the index on the files' status: its cost follows
    the files still unfinished, not every file of the batch (asked once per finalised file)."""
    from pipeline.flow import batch_ready, unfinished_files
    from pipeline.ingest_batch import ingest_batch

    folder = workspace / "batch"
    folder.mkdir()
    (folder / "cert.pdf").write_bytes(certificate_pdf(1))
    batch_id = ingest_batch([folder], PipelineOptions().ingest).batch_id
    assert not batch_ready(batch_id)
    assert "sourcefile_status_idx" in unfinished_files(batch_id).explain()
