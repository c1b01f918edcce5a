"""The embedded dispatcher: a process pool over pages on this machine, no broker.

Each process loads its OCR engine once and opens its own database connection after fork.
The parent finalizes a file as soon as its last page is recorded.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable

from pipeline.documents import finalize_file
from pipeline.options import PipelineOptions
from pipeline.pages import PageOutcome, process_page

log = logging.getLogger("casefile.workers")

MAX_ATTEMPTS = 3  # a page that kills its process this often is marked failed


def _init_process() -> None:
    # tesseract: one thread per process, processes ≈ cores (parallel multi-threaded OCR thrashes).
    os.environ["OMP_THREAD_LIMIT"] = "1"


class LocalDispatcher:
    def __init__(self, options: PipelineOptions, processes: int = 1):
        self.options = options
        self.processes = max(1, processes)

    def run(self, page_ids: list[int], on_page: Callable[[PageOutcome], None] = lambda o: None) -> None:
        if self.processes == 1 or len(page_ids) <= 1:
            for page_id in page_ids:
                self._finish(process_page(page_id, self.options), on_page)
            return
        remaining = list(page_ids)
        while remaining:
            remaining = self._run_pool(remaining, on_page)

    def _run_pool(self, page_ids: list[int], on_page: Callable[[PageOutcome], None]) -> list[int]:
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
                        pending[pool.submit(process_page, page_id, self.options)] = page_id
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        page_id = pending.pop(future)
                        self._finish(future.result(), on_page)
            except BrokenProcessPool:
                lost = queue + list(pending.values())
                log.error("a page process died; %d pages go back to the queue", len(lost))
                return self._requeue(lost, on_page)
        return []

    def _requeue(self, page_ids: list[int], on_page: Callable[[PageOutcome], None]) -> list[int]:
        from records.models import Page
        from pipeline.pages import record_page

        again = []
        for page in Page.objects.filter(pk__in=page_ids).select_related("file"):
            if page.status in (Page.Status.DONE, Page.Status.FAILED):
                continue
            if page.attempts >= MAX_ATTEMPTS:
                outcome = record_page(
                    page, {"status": Page.Status.FAILED, "error": f"第 {page.number} 页：处理进程多次崩溃，已放弃"}
                )
                self._finish(outcome, on_page)
            else:
                again.append(page.pk)
        return again

    def _finish(self, outcome: PageOutcome, on_page: Callable[[PageOutcome], None]) -> None:
        if outcome.file_complete:
            finalize_file(outcome.file_id)
        on_page(outcome)
