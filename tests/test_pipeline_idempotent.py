"""Pipeline functions against the database: a repeated delivery changes nothing, a file is
finalized once, a failing page fails alone. Uses a born-digital PDF so no OCR is needed."""
from __future__ import annotations

import pytest

from config.options import PipelineOptions
from pipeline.documents import finalize_file
from pipeline.ingest_batch import ingest_batch
from pipeline.pages import process_page
from tests.born_digital import certificate_pdf

pytestmark = pytest.mark.django_db


def test_redelivered_pages_and_finalize_change_nothing(workspace):
    from records.models import Document, Field, Page, SourceFile

    folder = workspace / "batch"
    folder.mkdir()
    (folder / "cert.pdf").write_bytes(certificate_pdf())
    options = PipelineOptions()
    result = ingest_batch([folder], options.ingest)
    assert len(result.new_page_ids) == 2

    first = [process_page(pid, options) for pid in result.new_page_ids]
    assert [o.status for o in first] == ["done", "done"]
    assert [o.file_complete for o in first] == [False, True]  # only the last page completes the file
    again = [process_page(pid, options) for pid in result.new_page_ids]
    assert all(not o.file_complete for o in again)
    assert SourceFile.objects.get().pages_done == 2

    docs = finalize_file(first[-1].file_id)
    assert finalize_file(first[-1].file_id) is None  # claimed once
    assert Document.objects.count() == len(docs) == 2  # two titled certificates
    fields = {f.name: f.value for f in Field.objects.filter(document_id=docs[0])}
    assert fields["id_number"] == "360899197503141518"
    assert fields["issue_date"].startswith("2020-03")
    assert all(p.engine == "pdfplumber" for p in Page.objects.all())  # text layer, not OCR


def test_a_failing_page_fails_alone_with_its_reason(workspace, monkeypatch):
    from core.errors import OcrFailed
    import pipeline.pages as pages
    from records.models import Page, SourceFile

    folder = workspace / "batch"
    folder.mkdir()
    (folder / "cert.pdf").write_bytes(certificate_pdf())
    options = PipelineOptions()
    result = ingest_batch([folder], options.ingest)
    real = pages.read_page_text

    def broken_second_page(page, opts):
        if page.number == 2:
            raise OcrFailed("识别引擎崩溃（injected）")
        return real(page, opts)

    monkeypatch.setattr(pages, "read_page_text", broken_second_page)
    outcomes = [process_page(pid, options) for pid in result.new_page_ids]
    assert [o.status for o in outcomes] == ["done", "failed"]
    assert outcomes[-1].file_complete
    finalize_file(outcomes[-1].file_id)
    failed = Page.objects.get(number=2)
    assert failed.error.startswith("第 2 页") and "崩溃" in failed.error and failed.attempts == 1
    assert SourceFile.objects.get().status == "done"  # page 1 still became a document


def test_the_same_bytes_arriving_twice_at_once_become_one_file_and_a_duplicate(workspace, monkeypatch):
    """Two requests with identical bytes: both pass the 'seen before?' check, one wins the insert."""
    import pipeline.ingest_batch as ingest
    from records.models import BatchFile, SourceFile

    options = PipelineOptions()
    batch, data = ingest.create_batch(), certificate_pdf()
    first = ingest.add_file(batch, "a.pdf", data, options.ingest)
    monkeypatch.setattr(ingest, "_seen", lambda digest: False)  # the second request checked too early
    second = ingest.add_file(batch, "b.pdf", data, options.ingest)
    assert SourceFile.objects.count() == 1 and second.new_page_ids == []
    (dup,) = second.uploads
    assert dup.duplicate_of_id == first.uploads[0].pk
    assert BatchFile.objects.count() == 2
