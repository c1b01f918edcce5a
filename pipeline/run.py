"""Submit a batch: import its roster, ingest its files and hand the new pages to a dispatcher.

With the embedded LocalDispatcher the batch is finished (closed) when this returns; with the
CeleryDispatcher it is queued and workers finish it (`casefile submit --wait` follows it).
"""
from __future__ import annotations

from pathlib import Path

from pipeline.casework import import_roster
from pipeline.flow import Dispatcher, batch_ready
from pipeline.ingest_batch import ingest_batch
from pipeline.options import PipelineOptions


def submit_batch(
    inputs: list[Path],
    dispatcher: Dispatcher,
    options: PipelineOptions,
    roster: Path | None = None,
    label: str = "",
    uploaded_by: str = "",
) -> int:
    roster_cases = import_roster(roster) if roster else None
    ingested = ingest_batch(inputs, options.ingest, label=label, uploaded_by=uploaded_by, roster_cases=roster_cases)
    dispatcher.pages(ingested.new_page_ids)
    # Nothing new to read (every file refused, or seen before and already final): close it now.
    if batch_ready(ingested.batch_id):
        dispatcher.close_batch(ingested.batch_id)
    return ingested.batch_id
