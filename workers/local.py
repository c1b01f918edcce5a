"""The embedded dispatcher: a pool of page processes on this machine, no broker.

Pages run in the child processes of a billiard pool (Celery's own pool) under the distributed
mode's two deadlines: at CASEFILE_PAGE_SOFT_TIME_LIMIT a page is interrupted and failed as 识别超时;
a page that does not yield (a native OCR call never returns to Python) has its process killed
at CASEFILE_PAGE_TIME_LIMIT, is failed the same way, and a fresh process takes the next page.
Each start counts an attempt on the page row, as in the distributed mode; a process that dies
on its own (a segfault, the OOM killer) gives its page back, and the page is failed once it has
used CASEFILE_MAX_ATTEMPTS. The parent finalises a file as soon as its last page is recorded and
closes the batch when its last file is final (pipeline/flow.py), so `pages()` returns with the
work done. The pool and its processes are kept from one `pages()` call to the next (`casefile
serve`'s page loop calls it per 64 pages), so each process loads the OCR models once; a pool that
misbehaved (no result within the hard limit, an error) is stopped and the next call starts another.

Crash safety: a run keeps nothing that matters in memory. Every embedded process that reads pages
holds a lock file of its own (workers/runners.py), so a run that finds no other holder alive gives
back at once what a dead process left (`adopt`).
"""
from __future__ import annotations

import atexit
import ctypes
import logging
import os
import queue
import signal
import sys
import time
from collections import deque
from datetime import timedelta
from pathlib import Path
from typing import Callable

import billiard
from billiard.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded, WorkerLostError

from config.options import PipelineOptions
from config.settings import Settings, get_settings
from core import stages
from core.stages import CASE_RULES, DB_READS, DB_WRITES, EXTRACTION, stage
from pipeline.flow import after_page, close_batch, finalize_and_follow
from pipeline.pages import PageOutcome, fail_timed_out, process_page
from workers.runners import runners

log = logging.getLogger("casefile.workers")
# billiard reports a killed pool process by its own name only, through Python's last-resort
# handler onto the clerk's console; the lines below name the page instead.
logging.getLogger("multiprocessing").addHandler(logging.NullHandler())

LOST_WORKER_TIMEOUT = 2.0  # seconds billiard waits for a dead process's last result before calling it lost
PR_SET_PDEATHSIG = 1


def _timed_query(execute, sql, params, many, context):
    """Django execute wrapper: a statement's time is database time, reads apart from writes."""
    with stage(DB_READS if sql.lstrip()[:6].upper() == "SELECT" else DB_WRITES):
        return execute(sql, params, many, context)


def _time_connection(sender=None, connection=None, **_) -> None:
    if _timed_query not in connection.execute_wrappers:
        connection.execute_wrappers.append(_timed_query)


def time_database() -> None:
    """Count every SQL statement of this process (and of its forked children) as database time."""
    from django.db import connections
    from django.db.backends.signals import connection_created

    connection_created.connect(_time_connection, dispatch_uid="casefile.stages")
    for connection in connections.all(initialized_only=True):
        _time_connection(connection=connection)


def flush_stage_times(role: str, pid: int | None = None) -> None:
    """This process's stage times into CASEFILE_STAGE_TIMES when set (`casefile bench`)."""
    folder = get_settings().stage_times  # a pool process's: its parent's, inherited at fork
    if folder and pid in (None, os.getpid()):  # an exit handler runs in its own process only, not a fork's
        stages.flush(folder, role)


def run_page(page_id: int, options: PipelineOptions, max_attempts: int, timeout_errors: tuple = ()) -> PageOutcome:
    """process_page in a pool process, then its stage times written when asked (a pool process
    may be killed at any time, so after every page rather than at exit)."""
    try:
        return process_page(page_id, options, max_attempts, timeout_errors=timeout_errors)
    finally:
        flush_stage_times("page process")


def complete_unfinalized_files(page_ids: list[int]) -> list[int]:
    from django.db.models import F

    from records.models import SourceFile

    files = SourceFile.objects.filter(
        pages__id__in=page_ids, status=SourceFile.Status.PROCESSING, pages_done__gte=F("pages_total")
    )
    return sorted(set(files.values_list("pk", flat=True)))


def _init_process(parent: int) -> None:
    # tesseract: one thread per process, processes ≈ cores (parallel multi-threaded OCR thrashes).
    os.environ["OMP_THREAD_LIMIT"] = "1"
    if sys.platform.startswith("linux"):
        # Die with the run: a killed `casefile run` must not leave page processes writing behind
        # the back of the run that resumes it, nor holding its runner lock.
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the line above
            os._exit(1)
    from pipeline.context import reopen_blob_store

    reopen_blob_store()
    stages.reset()  # this process's own stage times, not the parent's until the fork


def _in_memory_database() -> bool:
    """The tests' SQLite database lives in this process's memory; a child could not see it."""
    from django.db import connection

    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def _exception(error) -> BaseException:
    """The exception inside billiard's ExceptionInfo (and its traceback wrapper, when the error
    was made in this process, as a time limit's is)."""
    exc = getattr(error, "exception", error)
    return getattr(exc, "exc", exc)


class LocalDispatcher:
    def __init__(
        self,
        options: PipelineOptions,
        processes: int = 1,
        max_attempts: int = 3,
        progress: Callable[[int, int], None] = lambda done, total: None,
        settings: Settings | None = None,
    ):
        self.options = options
        self.settings = settings or get_settings()  # the entry point's: workspace, deadlines, database
        self.processes = max(1, processes)
        self.max_attempts = max_attempts
        self.progress = progress  # called with (pages recorded, pages in this call) after each page
        self.recovers_at_once = True  # run_page_loop turns it off: the web processes beside it are unseen
        self._done = self._total = 0
        self._pool = None
        self._closes_at_exit = False
        if not _in_memory_database():
            runners(self.settings.workspace).join()  # from the start, so that no other process takes this one's work for lost
        time_database()
        if self.settings.stage_times:
            atexit.register(flush_stage_times, "run", os.getpid())

    def pages(self, page_ids: list[int]) -> None:
        self._done, self._total = 0, len(page_ids)
        if not page_ids:
            return
        if _in_memory_database():  # no deadline here: only the tests' in-process database
            for page_id in page_ids:
                self._follow(process_page(page_id, self.options, self.max_attempts))
            return
        runners(self.settings.workspace).join()
        self._run_pool(page_ids)
        # A page whose process recorded it and died (or was killed) before its result came back
        # leaves its file unfinalised; the distributed mode's sweeper does the same catch-up.
        for file_id in complete_unfinalized_files(page_ids):
            self.finalize(file_id)

    def finalize(self, file_id: int) -> None:
        with stage(EXTRACTION):  # splitting into documents and extracting fields; a close it starts is its own
            finalize_and_follow(file_id, self)

    def close_batch(self, batch_id: int) -> None:
        with stage(CASE_RULES):  # linking documents to cases and evaluating them
            close_batch(batch_id, self.options)

    def lost_after(self, stale_after: timedelta) -> timedelta:
        """How old a `running` page, `finalizing` file or `closing` batch must be to be taken for
        lost: at once when no other process can be working on this workspace (its own SQLite
        database and no other runner alive), else the sweeper's threshold."""
        if not self.recovers_at_once or self.settings.database_url or _in_memory_database():
            return stale_after
        registry = runners(self.settings.workspace)
        registry.join()
        return stale_after if registry.others_alive() else timedelta(0)

    def adopt(self, batch_id: int, poll: float = 2.0) -> None:
        """Finish a batch whatever an earlier, dead run left of it; returns once it is closed.
        Work another live process holds is waited for, and taken back if it goes stale."""
        from pipeline.sweep import sweep
        from records.models import Batch

        stale = timedelta(seconds=self.settings.stale_after)
        waiting = False
        while True:
            result = sweep(self, stale, self.max_attempts, batch_id=batch_id)
            if Batch.objects.filter(pk=batch_id, status=Batch.Status.CLOSED).exists():
                return
            if _in_memory_database():  # the tests' database: no other process can hold its work
                return
            if not result:
                if not waiting:
                    log.warning("batch=%s waits for work another process holds (taken back after %s)", batch_id, stale)
                    waiting = True
                time.sleep(poll)

    def _get_pool(self):
        """The dispatcher's pool, started on first use and kept across calls, so its processes
        (and the OCR models each loaded once) serve every batch; see close()."""
        if self._pool is not None:
            return self._pool
        from django.db import connections

        cfg = self.settings
        connections.close_all()  # never share a database handle across fork
        self._pool = billiard.get_context("fork").Pool(
            self.processes,
            initializer=_init_process,
            initargs=(os.getpid(),),
            soft_timeout=cfg.page_soft_time_limit,
            timeout=cfg.page_time_limit,
            lost_worker_timeout=LOST_WORKER_TIMEOUT,
        )
        if not self._closes_at_exit:
            atexit.register(self._close_at_exit, os.getpid())
            self._closes_at_exit = True
        return self._pool

    def _close_at_exit(self, pid: int) -> None:
        if os.getpid() == pid:  # never in a forked child: the pool is its parent's
            self.close()

    def close(self) -> None:
        """Stop the pool's processes (a later call to pages() starts new ones)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.terminate()
            pool.join()

    def _run_pool(self, page_ids: list[int]) -> None:
        """Run every page to a recorded result. A page whose process died is tried again
        (process_page fails it once it has used up its attempts); a page past the hard time
        limit has had its process killed (billiard starts another) and is failed as timed out.
        The pool is kept for the next call unless something went wrong with it: then it is
        stopped, and the next call starts a fresh one."""
        cfg = self.settings
        pool = self._get_pool()
        results: queue.Queue = queue.Queue()  # this call's: a stopped pool's late answers go nowhere
        # Silence longer than this means no page is running any more: every running page ends
        # within the hard limit, by its result, its time-out or its process's death.
        silence = cfg.page_time_limit + LOST_WORKER_TIMEOUT + 30
        waiting = deque(page_ids)
        running: dict[int, int] = {}  # job token -> page id
        token = 0
        finished = False
        try:
            while waiting or running:
                while waiting and len(running) < self.processes * 2:
                    page_id, token = waiting.popleft(), token + 1
                    running[token] = page_id
                    pool.apply_async(
                        run_page,
                        (page_id, self.options, self.max_attempts),
                        {"timeout_errors": (SoftTimeLimitExceeded,)},
                        callback=lambda outcome, t=token, q=results: q.put((t, outcome, None)),
                        error_callback=lambda err, t=token, q=results: q.put((t, None, _exception(err))),
                    )
                try:
                    job, outcome, error = results.get(timeout=silence)
                except queue.Empty:
                    log.error("no page result for %d s; %d pages go back to the queue", silence, len(running))
                    waiting.extend(running.values())
                    running.clear()
                    self.close()  # whatever holds its processes goes with them
                    results = queue.Queue()
                    pool = self._get_pool()
                    continue
                page_id = running.pop(job, None)
                if page_id is None:  # a job given up on above answered after all
                    continue
                if error is None:
                    self._follow(outcome)
                elif isinstance(error, (TimeLimitExceeded, SoftTimeLimitExceeded)):
                    log.warning("page=%s past the time limit: its process was stopped", page_id)
                    self._follow(fail_timed_out(page_id))
                elif isinstance(error, WorkerLostError):
                    log.error("page=%s: its process died; the page goes back to the queue", page_id)
                    waiting.append(page_id)
                else:
                    raise error
            finished = True
        finally:
            if not finished:  # an error or an interruption: no job of this call may run on
                self.close()

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


def requeue_orphaned_pages(cfg: Settings) -> int:
    """Pages left `running` by a dead embedded process (a server restarted after a crash) go back
    to the page queue at once, when no other runner is alive on this workspace's own database."""
    from django.utils import timezone

    from records.models import Page

    registry = runners(cfg.workspace)
    registry.join()
    if cfg.database_url or registry.others_alive():
        return 0
    count = Page.objects.filter(status=Page.Status.RUNNING).update(status=Page.Status.PENDING, queued_at=timezone.now())
    if count:
        log.warning("%d pages left running by a dead process go back to the queue", count)
    return count


def run_page_loop(dispatcher: LocalDispatcher, stop, sweep_every: float, stale_after, poll: float = 1.0) -> None:
    """Process queued pages until `stop` (a threading.Event) is set; sweep now and then."""
    from pipeline.sweep import sweep
    from records.models import Page

    # The web server's processes finalise and close too, and hold no runner lock: only what has
    # gone stale is taken for lost here, except pages, which only runners' page processes run.
    dispatcher.recovers_at_once = False
    requeue_orphaned_pages(dispatcher.settings)
    last_sweep = 0.0
    try:
        while not stop.is_set():
            if time.monotonic() - last_sweep > sweep_every:
                sweep(dispatcher, stale_after, dispatcher.max_attempts)
                last_sweep = time.monotonic()
            queued = Page.objects.filter(status=Page.Status.PENDING, queued_at__isnull=False).order_by("id")
            page_ids = list(queued.values_list("pk", flat=True)[:64])
            if page_ids:
                dispatcher.pages(page_ids)  # the same pool processes, with their models, every time
            else:
                stop.wait(poll)
    finally:
        dispatcher.close()
