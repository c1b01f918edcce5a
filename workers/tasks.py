"""Task shims: each turns one message (an id) into one pipeline call, nothing more."""
from __future__ import annotations

import logging
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init

from config.options import PipelineOptions, pipeline_options
from pipeline.flow import after_page, close_batch, finalize_and_follow, split_and_follow
from pipeline.pages import process_page
from pipeline.sweep import sweep
from workers.celery_app import app, settings
from workers.dispatch import CeleryDispatcher, queue_depth

log = logging.getLogger("casefile.workers")


def options() -> PipelineOptions:
    """The worker's options: its settings with the policy file as it is now (config/options.py)."""
    return pipeline_options(settings)


@worker_process_init.connect
def _prepare_process(**_) -> None:
    """Once per worker process, after fork: fresh storage client (fsspec #755; Celery's Django
    fixup already closes inherited database connections, Celery #7607) and a warm OCR engine."""
    import cv2
    import numpy as np

    import ocr
    from pipeline.context import reopen_blob_store

    reopen_blob_store()
    current = options()
    sample = np.full((64, 320, 3), 255, np.uint8)
    cv2.putText(sample, "casefile 2019", (8, 44), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (0, 0, 0), 2)
    try:
        ocr.read_page(sample, current.ocr)  # loads the models now, not on page 1
    except Exception as exc:  # a broken engine shows on its first page, with that page's reason
        log.warning("OCR engine warm-up failed: %s", type(exc).__name__)


@app.task(name="casefile.split")
def split_task(file_id: int) -> str:
    """Split a received file into pages; each page is sent on to be read at once."""
    outcome = split_and_follow(file_id, options(), CeleryDispatcher())
    return f"{len(outcome.page_ids)} pages" if outcome.page_ids else ("refused" if outcome.refused_in else "skipped")


@app.task(name="casefile.page")
def page_task(page_id: int) -> str:
    outcome = process_page(page_id, options(), settings.max_attempts, timeout_errors=(SoftTimeLimitExceeded,))
    after_page(outcome, CeleryDispatcher())
    return outcome.status


@app.task(name="casefile.finalize")
def finalize_task(file_id: int) -> str:
    created = finalize_and_follow(file_id, CeleryDispatcher())
    return "skipped" if created is None else f"claimed: {len(created)} documents"


@app.task(name="casefile.close_batch")
def close_batch_task(batch_id: int) -> str:
    return "closed" if close_batch(batch_id, options()) else "skipped"


@app.task(name="casefile.sweep")
def sweep_task() -> str:
    result = sweep(
        CeleryDispatcher(),
        timedelta(seconds=settings.stale_after),
        settings.max_attempts,
        queue_empty=queue_depth() == 0,
    )
    return ", ".join(f"{k}={v}" for k, v in vars(result).items() if v) or "nothing to do"
