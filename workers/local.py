"""The embedded dispatcher: a pool of page processes on this machine, no broker.

The same pool splits the received files into pages and reads the pages: a file's pages are
queued for reading as soon as its split has stored them, and pages waiting to be read go before
files waiting to be split, so reading keeps pace with ingest on every core (pipeline/flow.py).
Splits and pages run in the child processes of a billiard pool (Celery's own pool) under the
distributed mode's two deadlines (a file that cannot be split within them is refused, named,
and the batch goes on): at CASEFILE_PAGE_SOFT_TIME_LIMIT a page is interrupted and failed as 识别超时;
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
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Callable

import billiard
from billiard.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded, WorkerLostError

from config.options import PipelineOptions
from config.settings import Settings, get_settings
from core import stages
from core.stages import CASE_RULES, DB_READS, DB_WRITES, EXTRACTION, stage
from pipeline.flow import after_page, after_split, close_batch, finalize_and_follow
from pipeline.ingest_batch import SplitOutcome, refuse_unsplit, split_file
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


def run_split(file_id: int, options: PipelineOptions) -> SplitOutcome:
    """split_file in a pool process, then its stage times written when asked."""
    try:
        return split_file(file_id, options.ingest)
    finally:
        flush_stage_times("page process")


@dataclass(frozen=True)
class RunProgress:
    """What a `pages()` or `split()` call has done so far: files split into pages (of those it was
    given), pages recorded (of those known so far: a file's pages are known once it is split)."""

    files_done: int = 0
    files_total: int = 0
    pages_done: int = 0
    pages_total: int = 0


def complete_unfinalized_files(file_ids: list[int]) -> list[int]:
    """Of these files, those whose every page is recorded but which were never finalised."""
    from django.db.models import F

    from records.models import SourceFile

    ids = sorted(set(file_ids))
    found: list[int] = []
    for start in range(0, len(ids), 500):
        files = SourceFile.objects.filter(
            pk__in=ids[start:start + 500], status=SourceFile.Status.PROCESSING, pages_done__gte=F("pages_total")
        )
        found += files.values_list("pk", flat=True)
    return sorted(found)


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
        progress: Callable[[RunProgress], None] = lambda state: None,
        settings: Settings | None = None,
    ):
        self.options = options
        self.settings = settings or get_settings()  # the entry point's: workspace, deadlines, database
        self.processes = max(1, processes)
        self.max_attempts = max_attempts
        self.progress = progress  # called with a RunProgress after each file split and each page recorded
        self.recovers_at_once = True  # run_page_loop turns it off: the web processes beside it are unseen
        self._state = RunProgress()
        self._queue: tuple[deque, deque] | None = None  # (files, pages) waiting, while a call runs the pool
        self._seen_files: set[int] = set()
        self._pool = None
        self._closes_at_exit = False
        if not _in_memory_database():
            runners(self.settings.workspace).join()  # from the start, so that no other process takes this one's work for lost
        time_database()
        if self.settings.stage_times:
            atexit.register(flush_stage_times, "run", os.getpid())

    def split(self, file_ids: list[int]) -> None:
        """Split these received files into pages and read every page, finalising files and closing
        batches as they complete; returns with the work done."""
        self._run(list(file_ids), [])

    def pages(self, page_ids: list[int]) -> None:
        """Read these pages (and finalise, close what they complete); returns with the work done.
        Called while a split() or pages() call runs (a file just split), they join its queue."""
        if self._queue is not None:
            self._queue[1].extend(page_ids)
            self._count(pages_total=len(page_ids))
            return
        self._run([], list(page_ids))

    def _run(self, file_ids: list[int], page_ids: list[int]) -> None:
        self._state = RunProgress(files_total=len(file_ids), pages_total=len(page_ids))
        if not file_ids and not page_ids:
            return
        if _in_memory_database():  # no deadline here: only the tests' in-process database
            self._run_inline(file_ids, page_ids)
            return
        runners(self.settings.workspace).join()
        self._seen_files = set(file_ids)
        self._run_pool(deque(file_ids), deque(page_ids))
        # A page whose process recorded it and died (or was killed) before its result came back
        # leaves its file unfinalised; the distributed mode's sweeper does the same catch-up.
        if page_ids:
            from records.models import Page

            for start in range(0, len(page_ids), 500):
                self._seen_files.update(Page.objects.filter(pk__in=page_ids[start:start + 500]).values_list("file_id", flat=True))
        for file_id in complete_unfinalized_files(sorted(self._seen_files)):
            self.finalize(file_id)

    def _run_inline(self, file_ids: list[int], page_ids: list[int]) -> None:
        files, pages = deque(file_ids), deque(page_ids)
        self._queue = (files, pages)
        try:
            while files or pages:
                if pages:
                    self._follow(process_page(pages.popleft(), self.options, self.max_attempts))
                else:
                    self._follow_split(split_file(files.popleft(), self.options.ingest))
        finally:
            self._queue = None

    def _count(self, **more: int) -> None:
        state = self._state
        self._state = RunProgress(**{k: getattr(state, k) + more.get(k, 0) for k in vars(state)})

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

    def _run_pool(self, files: deque, pages: deque) -> None:
        """Run every file to its split and every page to a recorded result; the pages of a file
        split meanwhile join `pages`. A page whose process died is tried again (process_page
        fails it once it has used up its attempts), a file too, up to the same number of attempts;
        a page past the hard time limit has had its process killed (billiard starts another) and is
        failed as timed out, a file refused. The pool is kept for the next call unless something
        went wrong with it: then it is stopped, and the next call starts a fresh one."""
        cfg = self.settings
        pool = self._get_pool()
        results: queue.Queue = queue.Queue()  # this call's: a stopped pool's late answers go nowhere
        # Silence longer than this means no job is running any more: every running job ends
        # within the hard limit, by its result, its time-out or its process's death.
        silence = cfg.page_time_limit + LOST_WORKER_TIMEOUT + 30
        running: dict[int, tuple[str, int]] = {}  # job token -> ("page" | "split", id)
        lost_splits: dict[int, int] = {}  # file id -> deaths of the processes splitting it
        token = 0
        finished = False
        self._queue = (files, pages)
        try:
            while files or pages or running:
                while (files or pages) and len(running) < self.processes * 2:
                    token += 1
                    if pages:  # reading first: the files' pages never pile up unread
                        job = ("page", pages.popleft())
                        func, args, kwargs = run_page, (job[1], self.options, self.max_attempts), {
                            "timeout_errors": (SoftTimeLimitExceeded,)}
                    else:
                        job = ("split", files.popleft())
                        func, args, kwargs = run_split, (job[1], self.options), {}
                    running[token] = job
                    pool.apply_async(
                        func, args, kwargs,
                        callback=lambda outcome, t=token, q=results: q.put((t, outcome, None)),
                        error_callback=lambda err, t=token, q=results: q.put((t, None, _exception(err))),
                    )
                try:
                    done, outcome, error = results.get(timeout=silence)
                except queue.Empty:
                    log.error("no result for %d s; %d jobs go back to the queue", silence, len(running))
                    for kind, object_id in running.values():
                        (pages if kind == "page" else files).append(object_id)
                    running.clear()
                    self.close()  # whatever holds its processes goes with them
                    results = queue.Queue()
                    pool = self._get_pool()
                    continue
                job = running.pop(done, None)
                if job is None:  # a job given up on above answered after all
                    continue
                kind, object_id = job
                if kind == "split":
                    self._split_result(object_id, outcome, error, files, lost_splits)
                elif error is None:
                    self._follow(outcome)
                elif isinstance(error, (TimeLimitExceeded, SoftTimeLimitExceeded)):
                    log.warning("page=%s past the time limit: its process was stopped", object_id)
                    self._follow(fail_timed_out(object_id))
                elif isinstance(error, WorkerLostError):
                    log.error("page=%s: its process died; the page goes back to the queue", object_id)
                    pages.append(object_id)
                else:
                    raise error
            finished = True
        finally:
            self._queue = None
            if not finished:  # an error or an interruption: no job of this call may run on
                self.close()

    def _split_result(self, file_id: int, outcome, error, files: deque, lost: dict[int, int]) -> None:
        if error is None:
            self._follow_split(outcome)
        elif isinstance(error, (TimeLimitExceeded, SoftTimeLimitExceeded)):
            log.warning("file=%s past the time limit while split: refused", file_id)
            self._follow_split(refuse_unsplit(file_id, "timeout"))
        elif isinstance(error, WorkerLostError):
            lost[file_id] = lost.get(file_id, 0) + 1
            if lost[file_id] < self.max_attempts:
                log.error("file=%s: its process died while splitting it; the file goes back to the queue", file_id)
                files.append(file_id)
            else:
                log.error("file=%s: %d processes died splitting it: refused", file_id, lost[file_id])
                self._follow_split(refuse_unsplit(file_id, "crashed", lost[file_id]))
        else:
            raise error

    def _follow_split(self, outcome: SplitOutcome) -> None:
        self._count(files_done=1)
        after_split(outcome, self)  # its pages join the queue (pages() above)
        self.progress(self._state)

    def _follow(self, outcome: PageOutcome) -> None:
        after_page(outcome, self)
        if outcome.status != "skipped":
            self._count(pages_done=1)
        self.progress(self._state)


class DeferredLocalDispatcher:
    """The web application's dispatcher in the embedded mode: new pages wait in the database for
    the page loop that `casefile serve` runs beside the web server (run_page_loop); finalising and
    closing are cheap and run at once."""

    def __init__(self, options: PipelineOptions):
        self.options = options

    def split(self, file_ids: list[int]) -> None:
        """Files received and never split (a dead process's, found by the sweeper): split here,
        their pages left to the page loop."""
        for file_id in file_ids:
            after_split(split_file(file_id, self.options.ingest), self)

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
