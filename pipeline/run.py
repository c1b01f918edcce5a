"""Submit a batch: import its roster, receive its files and hand them to a dispatcher to split
into pages and read.

With the embedded LocalDispatcher the batch is finished (closed) when this returns; with the
CeleryDispatcher it is queued and workers finish it (`casefile submit --wait` follows it).

The same command run again after it died (killed, a power cut) resumes its batch instead of
starting another: a batch not yet closed with the same inputs, roster, label and uploader is
taken up where it stopped. Files it had recorded are not recorded again (nor reported as
repeats of themselves), files never split and pages never handed to a worker are handed now, and the embedded
dispatcher takes back whatever the dead run held (`LocalDispatcher.adopt`), so its report is the
report an uninterrupted run gives.
"""
from __future__ import annotations

import logging
from pathlib import Path

from config.options import PipelineOptions
from core.stages import INGEST, stage
from pipeline.flow import Dispatcher, batch_ready
from pipeline.ingest_batch import ingest_batch, input_key
from pipeline.linking import import_roster
from records.models import Batch, Page

log = logging.getLogger("casefile.run")

UNFINISHED = (Batch.Status.RECEIVING, Batch.Status.OPEN, Batch.Status.CLOSING)


def submit_batch(
    inputs: list[Path],
    dispatcher: Dispatcher,
    options: PipelineOptions,
    roster: Path | None = None,
    label: str = "",
    uploaded_by: str = "",
) -> int:
    with stage(INGEST):
        roster_cases = import_roster(roster) if roster else None
        resumed = interrupted_batch(inputs, roster_cases, label, uploaded_by)
        if resumed is not None:
            log.warning("batch=%s was interrupted: resuming it", resumed)
        ingested = ingest_batch(
            inputs, options.ingest, label=label, uploaded_by=uploaded_by, roster_cases=roster_cases, batch_id=resumed,
            split=False,
        )
    # Pages a dead run split and never handed over first, then the files to split: each file's
    # pages are read as soon as it is split (the embedded pool does both, pipeline/flow.py).
    dispatcher.pages(never_sent(ingested.batch_id))
    dispatcher.split(ingested.new_file_ids)
    adopt = getattr(dispatcher, "adopt", None)
    if adopt is not None:  # embedded: finish the batch here, whatever a dead run left of it
        adopt(ingested.batch_id)
    elif batch_ready(ingested.batch_id):
        # Nothing new to read (every file refused, or seen before and already final): close it now.
        dispatcher.close_batch(ingested.batch_id)
    return ingested.batch_id


def interrupted_batch(inputs: list[Path], roster_cases: list[str] | None, label: str, uploaded_by: str) -> int | None:
    """The latest unclosed batch of this same command, if an earlier run of it died."""
    key = input_key(inputs)
    candidates = Batch.objects.filter(status__in=UNFINISHED, label=label, uploaded_by=uploaded_by).order_by("-id")
    for batch in candidates.only("pk", "inputs", "roster_cases"):
        if batch.inputs == key and batch.roster_cases == roster_cases:
            return batch.pk
    return None


def never_sent(batch_id: int) -> list[int]:
    """Pages of the batch's files that were recorded but never handed to a worker or queue (the
    run that ingested them died first). Pages once handed over are the sweeper's concern."""
    pages = Page.objects.filter(
        file__uploads__batch_id=batch_id,
        status=Page.Status.PENDING,
        queued_at__isnull=True,
        started_at__isnull=True,
    )
    return list(pages.values_list("pk", flat=True).distinct())
