"""What follows what, the same in both modes: a received file is split into pages and each of
its pages goes to be read as soon as it is stored; a file's last recorded page sends it to
finalisation; a batch whose files are all final is closed (documents linked to cases, cases
evaluated). There is no chord or in-memory barrier: each step is decided from the database by
a conditional update, so a repeated or concurrent call changes nothing (docs/flow.md#no-chords).

A dispatcher decides how the next step runs: LocalDispatcher (workers/local.py) runs it in this
process, CeleryDispatcher (workers/dispatch.py) sends a task.
"""
from __future__ import annotations

import logging
from typing import Protocol

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from config.options import PipelineOptions
from pipeline.documents import finalize_file
from pipeline.ingest_batch import SplitOutcome, split_file
from pipeline.linking import casework_lock, evaluate_cases, link_around  # noqa: F401 (casework_lock: also imported from here)
from pipeline.pages import PageOutcome
from records.models import Batch, BatchFile, Case, Document, RowLink, SourceFile

log = logging.getLogger("casefile.flow")

FINAL = (SourceFile.Status.DONE, SourceFile.Status.FAILED)
UNFINISHED = (SourceFile.Status.PENDING, SourceFile.Status.PROCESSING, SourceFile.Status.FINALIZING)


class Dispatcher(Protocol):
    def split(self, file_ids: list[int]) -> None:
        """Have these received files split into pages (now, or by a worker later)."""

    def pages(self, page_ids: list[int]) -> None:
        """Have these pages processed (now, or by a worker later)."""

    def finalize(self, file_id: int) -> None:
        """Have this file finalised."""

    def close_batch(self, batch_id: int) -> None:
        """Have this batch closed."""


def split_and_follow(file_id: int, options: PipelineOptions, dispatcher: Dispatcher) -> SplitOutcome:
    outcome = split_file(file_id, options.ingest)
    after_split(outcome, dispatcher)
    return outcome


def after_split(outcome: SplitOutcome, dispatcher: Dispatcher) -> None:
    """A file's pages go to be read as soon as they are stored; a file refused now may have been
    the last its batch waited for."""
    if outcome.page_ids:
        dispatcher.pages(outcome.page_ids)
    for batch_id in outcome.refused_in:
        if batch_ready(batch_id):
            dispatcher.close_batch(batch_id)


def after_page(outcome: PageOutcome, dispatcher: Dispatcher) -> None:
    if outcome.file_complete:
        dispatcher.finalize(outcome.file_id)


def finalize_and_follow(file_id: int, dispatcher: Dispatcher) -> list[int] | None:
    """Finalise a file; if this call did it, close every batch that was waiting only for it."""
    created = finalize_file(file_id)
    if created is not None:
        for batch_id in ready_batches(file_id):
            dispatcher.close_batch(batch_id)
    return created


def ready_batches(file_id: int) -> list[int]:
    """Open batches holding this file whose files are now all final."""
    batch_ids = BatchFile.objects.filter(file_id=file_id, batch__status=Batch.Status.OPEN).values_list(
        "batch_id", flat=True
    )
    return [b for b in sorted(set(batch_ids)) if batch_ready(b)]


def batch_ready(batch_id: int) -> bool:
    """No file of the batch is still to be split, read or finalised. Looked up from the files not
    yet final (an index on their status), not by going through the batch's files: asked after each
    finalised file, that walk made a batch's cost grow with the square of its files."""
    return not unfinished_files(batch_id).exists()


def unfinished_files(batch_id: int):
    # `batch_id + 0` keeps both databases off the index on the uploads' batch, which would walk
    # the batch's files in order and pass every finished one before the first unfinished.
    return SourceFile.objects.filter(status__in=UNFINISHED).alias(batch=F("uploads__batch_id") + 0).filter(batch=batch_id)


def close_batch(batch_id: int, options: PipelineOptions) -> bool:
    """Link documents to cases and evaluate the batch's cases, once. False if not ready or
    already claimed. A close that dies midway leaves the batch `closing`; the sweeper reopens it."""
    if not batch_ready(batch_id):
        return False
    claimed = Batch.objects.filter(pk=batch_id, status=Batch.Status.OPEN).update(
        status=Batch.Status.CLOSING, claimed_at=timezone.now()
    )
    if not claimed:
        return False
    batch = Batch.objects.get(pk=batch_id)
    with transaction.atomic():
        casework_lock()
        # the batch's documents and the roster it came with, and what they can affect: not the workspace
        touched = link_around(
            documents=list(Document.objects.filter(file__uploads__batch_id=batch_id).values_list("pk", flat=True)),
            cases=list(Case.objects.filter(id_number__in=batch.roster_cases or []).values_list("pk", flat=True)),
        )
        touched |= set(batch.roster_cases or [])
        touched |= set(
            Document.objects.filter(file__uploads__batch_id=batch_id, case__isnull=False).values_list(
                "case__id_number", flat=True
            )
        )
        touched |= set(
            RowLink.objects.filter(document__file__uploads__batch_id=batch_id).values_list("case__id_number", flat=True)
        )
        evaluate_cases(sorted(touched), options.cases)
        Batch.objects.filter(pk=batch_id).update(status=Batch.Status.CLOSED, closed_at=timezone.now())
    log.info("batch=%s closed: %d cases evaluated", batch_id, len(touched))
    return True
