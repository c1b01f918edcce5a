"""The sweeper and the attempt counter: work whose process or message was lost is found and set
going again, work that keeps dying is failed with its reason, and live work is left alone.
Born-digital pages, so no OCR is needed."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from config.options import PipelineOptions
from pipeline.documents import claim_file, finalize_file
from pipeline.ingest_batch import ingest_batch
from pipeline.pages import process_page
from pipeline.sweep import sweep
from tests.born_digital import certificate_pdf

pytestmark = pytest.mark.django_db

STALE = timedelta(minutes=15)
LONG_AGO = timedelta(minutes=20)


class RecordingDispatcher:
    """Remembers what the sweeper asked for instead of doing it."""

    def __init__(self):
        self.sent: list[tuple[str, int]] = []

    def pages(self, page_ids):
        self.sent += [("page", pk) for pk in page_ids]

    def finalize(self, file_id):
        self.sent.append(("finalize", file_id))

    def close_batch(self, batch_id):
        self.sent.append(("close", batch_id))


@pytest.fixture
def two_pages(workspace):
    """A two-page certificate PDF, ingested: (batch id, [page ids])."""
    folder = workspace / "batch"
    folder.mkdir()
    (folder / "cert.pdf").write_bytes(certificate_pdf())
    result = ingest_batch([folder], PipelineOptions().ingest)
    return result.batch_id, result.new_page_ids


def set_page(page_id, **values):
    from records.models import Page

    Page.objects.filter(pk=page_id).update(**values)


def page(page_id):
    from records.models import Page

    return Page.objects.get(pk=page_id)


def test_a_page_running_past_stale_after_is_queued_again_and_a_live_one_is_not(two_pages):
    _, (lost, live) = two_pages
    now = timezone.now()
    set_page(lost, status="running", attempts=1, started_at=now - LONG_AGO, queued_at=now - LONG_AGO)
    set_page(live, status="running", attempts=1, started_at=now - timedelta(minutes=1), queued_at=now - LONG_AGO)
    dispatcher = RecordingDispatcher()
    result = sweep(dispatcher, STALE, max_attempts=3)
    assert dispatcher.sent == [("page", lost)]
    assert result.requeued_pages == 1
    assert page(lost).status == "pending" and page(live).status == "running"


def test_a_page_out_of_attempts_fails_with_its_reason_and_its_file_moves_on(two_pages):
    _, (good, doomed) = two_pages
    options = PipelineOptions()
    assert process_page(good, options).status == "done"
    set_page(doomed, status="running", attempts=3, started_at=timezone.now() - LONG_AGO)
    dispatcher = RecordingDispatcher()
    result = sweep(dispatcher, STALE, max_attempts=3)
    assert result.failed_pages == 1
    assert page(doomed).status == "failed"
    assert page(doomed).error == "第 2 页：已尝试 3 次均未完成（处理进程崩溃或超时），已放弃"
    assert dispatcher.sent == [("finalize", page(doomed).file_id)]  # the file's last page is recorded


def test_a_redelivered_page_out_of_attempts_is_failed_without_running_it(two_pages, monkeypatch):
    import pipeline.pages as pages

    _, (first, _) = two_pages
    set_page(first, status="running", attempts=3)
    monkeypatch.setattr(pages, "read_page_text", lambda *a: pytest.fail("a page out of attempts was read again"))
    outcome = process_page(first, PipelineOptions(), max_attempts=3)
    assert outcome.status == "failed" and "已尝试 3 次" in page(first).error


def test_queued_pages_are_sent_again_only_when_the_queue_is_empty(two_pages):
    _, ids = two_pages
    for pk in ids:
        set_page(pk, queued_at=timezone.now() - LONG_AGO)
    waiting = RecordingDispatcher()
    sweep(waiting, STALE, max_attempts=3, queue_empty=False)  # a long backlog: they wait their turn
    assert waiting.sent == []
    lost = RecordingDispatcher()
    sweep(lost, STALE, max_attempts=3, queue_empty=True)  # nothing queued: their messages were lost
    assert lost.sent == [("page", pk) for pk in ids]


def test_a_file_whose_last_page_was_recorded_but_never_finalised_is_finalised(two_pages):
    _, ids = two_pages
    for pk in ids:
        process_page(pk, PipelineOptions())  # the worker died before sending the finalisation
    dispatcher = RecordingDispatcher()
    sweep(dispatcher, STALE, max_attempts=3)
    assert ("finalize", page(ids[0]).file_id) in dispatcher.sent


def test_a_finalisation_that_died_is_given_back_and_done_once(two_pages):
    from records.models import Document, SourceFile

    _, ids = two_pages
    for pk in ids:
        process_page(pk, PipelineOptions())
    file_id = page(ids[0]).file_id
    assert claim_file(file_id)  # ... and the process that claimed it died
    SourceFile.objects.filter(pk=file_id).update(claimed_at=timezone.now() - LONG_AGO)
    dispatcher = RecordingDispatcher()
    sweep(dispatcher, STALE, max_attempts=3)
    assert dispatcher.sent.count(("finalize", file_id)) == 1
    assert finalize_file(file_id) is not None and finalize_file(file_id) is None
    assert Document.objects.filter(file_id=file_id).count() == 2


def test_a_batch_whose_files_are_final_is_closed_but_one_still_receiving_is_not(two_pages):
    from records.models import Batch

    batch_id, ids = two_pages
    for pk in ids:
        process_page(pk, PipelineOptions())
    finalize_file(page(ids[0]).file_id)
    Batch.objects.filter(pk=batch_id).update(status="receiving")
    dispatcher = RecordingDispatcher()
    sweep(dispatcher, STALE, max_attempts=3)
    assert dispatcher.sent == []  # a clerk is still adding files to it
    Batch.objects.filter(pk=batch_id).update(status="open")
    sweep(dispatcher, STALE, max_attempts=3)
    assert dispatcher.sent == [("close", batch_id)]


def test_nothing_stale_means_nothing_sent(two_pages):
    _, ids = two_pages
    for pk in ids:
        set_page(pk, queued_at=timezone.now())
    dispatcher = RecordingDispatcher()
    assert not sweep(dispatcher, STALE, max_attempts=3)
    assert dispatcher.sent == []
