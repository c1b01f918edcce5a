"""The sweeper: finds work whose message or process was lost and sets it going again.

Run by `casefile sweep` and periodically inside the workers (Celery beat). Every step is a
conditional update, so two sweepers at once, or a sweep racing a live worker, change nothing
twice. `stale_after` must exceed the page task's hard time limit and Redis's visibility
timeout (config.settings checks the order), so a live page is never taken for a lost one.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone

from pipeline.flow import Dispatcher, batch_ready
from pipeline.pages import gave_up_message, record_page
from records.models import Batch, Page, SourceFile

log = logging.getLogger("casefile.sweep")


@dataclass
class SweepResult:
    resplit_files: int = 0  # received and never split (the process or message was lost)
    requeued_pages: int = 0  # running too long (process died) or queued and lost
    failed_pages: int = 0  # out of attempts
    refinalized_files: int = 0  # last page recorded but never finalised, or finalisation died
    closed_batches: int = 0  # all files final but never closed, or the close died

    def __bool__(self) -> bool:
        return any(vars(self).values())


def sweep(
    dispatcher: Dispatcher,
    stale_after: timedelta,
    max_attempts: int,
    queue_empty: bool = True,
    batch_id: int | None = None,
) -> SweepResult:
    """`queue_empty`: whether the page queue holds nothing. Pending pages queued long ago are only
    re-sent then: in a long backlog they are waiting their turn, not lost.
    A dispatcher that knows no other process can be working (the embedded mode alone on its
    workspace, workers/local.py) says so by `lost_after`: then whatever is running is lost now.
    `batch_id`: only the work of that batch's files (a run resuming its batch)."""
    lost_after = getattr(dispatcher, "lost_after", None)
    cutoff = timezone.now() - (lost_after(stale_after) if lost_after else stale_after)
    result = SweepResult()
    again: set[int] = set()
    pages, files, batches = Page.objects.all(), SourceFile.objects.all(), Batch.objects.all()
    if batch_id is not None:
        pages = pages.filter(file__uploads__batch_id=batch_id).distinct()
        files = files.filter(uploads__batch_id=batch_id).distinct()
        batches = batches.filter(pk=batch_id)

    for page in pages.filter(status=Page.Status.RUNNING, started_at__lt=cutoff).select_related("file"):
        if page.attempts >= max_attempts:
            outcome = record_page(page, {"status": Page.Status.FAILED, "error": gave_up_message(page)})
            if outcome.status == Page.Status.FAILED:
                result.failed_pages += 1  # if that was its file's last page, the file is finalised below
        elif Page.objects.filter(pk=page.pk, status=Page.Status.RUNNING, started_at=page.started_at).update(
            status=Page.Status.PENDING
        ):
            again.add(page.pk)
    if queue_empty:
        lost = pages.filter(status=Page.Status.PENDING, file__status=SourceFile.Status.PROCESSING).filter(
            Q(queued_at__lt=cutoff) | Q(queued_at__isnull=True, file__created_at__lt=cutoff)
        )
        again |= set(lost.values_list("pk", flat=True))
    if again:
        result.requeued_pages = len(again)
        dispatcher.pages(sorted(again))
    if queue_empty:  # split_file is a no-op for a file split meanwhile
        unsplit = sorted(files.filter(status=SourceFile.Status.PENDING, created_at__lt=cutoff).values_list("pk", flat=True))
        if unsplit:
            result.resplit_files = len(unsplit)
            dispatcher.split(unsplit)

    for file in files.filter(status=SourceFile.Status.PROCESSING, pages_done__gte=F("pages_total")):
        result.refinalized_files += 1
        dispatcher.finalize(file.pk)
    for file in files.filter(status=SourceFile.Status.FINALIZING, claimed_at__lt=cutoff):
        # finalize_file runs in one transaction: a dead one left no documents behind.
        if SourceFile.objects.filter(pk=file.pk, status=SourceFile.Status.FINALIZING, claimed_at=file.claimed_at).update(
            status=SourceFile.Status.PROCESSING
        ):
            result.refinalized_files += 1
            dispatcher.finalize(file.pk)

    # close_batch runs in one transaction too: a dead close left the batch claimed, nothing else.
    batches.filter(status=Batch.Status.CLOSING, claimed_at__lt=cutoff).update(status=Batch.Status.OPEN)
    for open_batch in batches.filter(status=Batch.Status.OPEN).values_list("pk", flat=True):
        if batch_ready(open_batch):
            result.closed_batches += 1
            dispatcher.close_batch(open_batch)
    if result:
        log.warning("sweep: %s", result)
    return result
