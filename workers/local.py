"""The embedded dispatcher: a process pool over pages on this machine, no broker.

Each process loads its OCR engine once and opens its own database connection after fork.
The parent finalises a file as soon as its last page is recorded and closes the batch when its
last file is final (pipeline/flow.py), so `pages()` returns with the work done.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable

from pipeline.flow import after_page, close_batch, finalize_and_follow
from pipeline.options import PipelineOptions
from pipeline.pages import PageOutcome, process_page

log = logging.getLogger("casefile.workers")


def complete_unfinalized_files(page_ids: list[int]) -> list[int]:
    from django.db.models import F

    from records.models import SourceFile

    files = SourceFile.objects.filter(
        pages__id__in=page_ids, status=SourceFile.Status.PROCESSING, pages_done__gte=F("pages_total")
    )
    return sorted(set(files.values_list("pk", flat=True)))


def _init_process() -> None:
    # tesseract: one thread per process, processes ≈ cores (parallel multi-threaded OCR thrashes).
    os.environ["OMP_THREAD_LIMIT"] = "1"


class LocalDispatcher:
    def __init__(
        self,
        options: PipelineOptions,
        processes: int = 1,
        max_attempts: int = 3,
        progress: Callable[[int, int], None] = lambda done, total: None,
    ):
        self.options = options
        self.processes = max(1, processes)
        self.max_attempts = max_attempts
        self.progress = progress  # called with (pages recorded, pages in this call) after each page
        self._done = self._total = 0

    def pages(self, page_ids: list[int]) -> None:
        self._done, self._total = 0, len(page_ids)
        if self.processes == 1 or len(page_ids) <= 1:
            for page_id in page_ids:
                self._follow(process_page(page_id, self.options, self.max_attempts))
            return
        remaining = list(page_ids)
        while remaining:
            remaining = self._run_pool(remaining)
        # A process that recorded a file's last page and died before reporting it back left
        # that file unfinalised; the distributed mode's sweeper does the same catch-up.
        for file_id in complete_unfinalized_files(page_ids):
            self.finalize(file_id)

    def finalize(self, file_id: int) -> None:
        finalize_and_follow(file_id, self)

    def close_batch(self, batch_id: int) -> None:
        close_batch(batch_id, self.options)

    def _run_pool(self, page_ids: list[int]) -> list[int]:
        """Run pages until done; if a process dies, return the pages not yet recorded. Each is
        tried again; process_page marks one failed once it has used up its attempts."""
        from django.db import connections

        connections.close_all()  # never share a database handle across fork
        context = multiprocessing.get_context("fork")
        pending: dict = {}
        with ProcessPoolExecutor(self.processes, mp_context=context, initializer=_init_process) as pool:
            queue = list(page_ids)
            try:
                while queue or pending:
                    while queue and len(pending) < self.processes * 2:
                        page_id = queue.pop(0)
                        pending[pool.submit(process_page, page_id, self.options, self.max_attempts)] = page_id
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        pending.pop(future)
                        self._follow(future.result())
            except BrokenProcessPool:
                lost = queue + list(pending.values())
                log.error("a page process died; %d pages go back to the queue", len(lost))
                return lost
        return []

    def _follow(self, outcome: PageOutcome) -> None:
        after_page(outcome, self)
        if outcome.status != "skipped":
            self._done += 1
        self.progress(self._done, self._total)


class DeferredLocalDispatcher:
    """The web application's dispatcher in the embedded mode: new pages wait in the database for
    the page loop that `casefile serve` runs beside the web server (run_page_loop); finalising and
    closing are cheap and run at once."""

    def __init__(self, options: PipelineOptions):
        self.options = options

    def pages(self, page_ids: list[int]) -> None:
        from django.utils import timezone

        from records.models import Page

        Page.objects.filter(pk__in=page_ids).update(queued_at=timezone.now())

    def finalize(self, file_id: int) -> None:
        finalize_and_follow(file_id, self)

    def close_batch(self, batch_id: int) -> None:
        close_batch(batch_id, self.options)


def run_page_loop(dispatcher: LocalDispatcher, stop, sweep_every: float, stale_after, poll: float = 1.0) -> None:
    """Process queued pages until `stop` (a threading.Event) is set; sweep now and then."""
    import time

    from records.models import Page
    from pipeline.sweep import sweep

    last_sweep = 0.0
    while not stop.is_set():
        if time.monotonic() - last_sweep > sweep_every:
            sweep(dispatcher, stale_after, dispatcher.max_attempts)
            last_sweep = time.monotonic()
        queued = Page.objects.filter(status=Page.Status.PENDING, queued_at__isnull=False).order_by("id")
        page_ids = list(queued.values_list("pk", flat=True)[:64])
        if page_ids:
            dispatcher.pages(page_ids)
        else:
            stop.wait(poll)
