"""Per-stage CPU time: a timing hook cheap enough to stay on everywhere (issue #12, item 1).

    from core.stages import stage, ORIENTATION

    with stage(ORIENTATION):
        ...

CPU time is given to the innermost open stage: a stage opened inside another is not counted in
the outer one (a database write inside extraction is a database write), so the stages of one
process never add up to more than its CPU time. The open stage lives in a context variable, so
threads and tasks each have their own. A stage costs two clock reads and a context-variable
set/reset (about a microsecond); nothing is written anywhere unless `flush` is called.

CPU is the calling thread's (`time.thread_time`: other threads of a server or of the process
pool's bookkeeping are not counted in it), plus, for a stage opened with `subprocesses=True`,
the CPU of the child processes it waited for (tesseract runs as one per call). onnxruntime runs
with one intra-op thread per process (OcrOptions.threads), on the calling thread.

Each process keeps its own totals; `flush(folder)` writes them with the process's peak RSS to
<folder>/<pid>.json, which is how `casefile bench` collects them from every page process.
"""
from __future__ import annotations

import json
import os
import resource
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Iterable, Iterator

# The stages of a page and a batch, in the order the bench table lists them.
INGEST = "ingest"  # reading and hashing uploads, storing originals (page decoding is DECODE)
DECODE = "decode/render"
ORIENTATION = "orientation"
DESKEW = "deskew"
PREPARE = "grey, scaling, binarisation"
MODEL_LOAD = "model load"
DETECTION = "detection"
DIRECTION = "line direction"
RECOGNITION = "recognition"
READING = "reading: line crops, word boxes, boxes mapped back"  # what an engine's read does outside its models
CLASSIFICATION = "classification"
EXTRACTION = "extraction"
DB_READS = "database reads"
DB_WRITES = "database writes"
CASE_RULES = "linking and case rules"
REPORT = "report"
ORDER = (INGEST, DECODE, ORIENTATION, DESKEW, PREPARE, MODEL_LOAD, DETECTION, DIRECTION, RECOGNITION, READING,
         CLASSIFICATION, EXTRACTION, DB_READS, DB_WRITES, CASE_RULES, REPORT)


class _Frame:
    __slots__ = ("start", "start_children", "nested", "children")

    def __init__(self, children: bool):
        self.children = children  # also count the CPU of child processes waited for
        self.start = time.thread_time()
        self.start_children = _children_cpu() if children else 0.0
        self.nested = 0.0  # CPU counted by stages opened inside this one


_current: ContextVar[_Frame | None] = ContextVar("casefile_stage", default=None)
_names: ContextVar[str | None] = ContextVar("casefile_stage_name", default=None)
_lock = threading.Lock()
_totals: dict[str, list[float]] = {}  # stage -> [cpu seconds, calls]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def stage(name: str, subprocesses: bool = False) -> Iterator[None]:
    """Count the CPU time spent inside the block (less what nested stages count) under `name`."""
    parent = _current.get()
    frame = _Frame(subprocesses or (parent is not None and parent.children))
    token, name_token = _current.set(frame), _names.set(name)
    try:
        yield
    finally:
        _names.reset(name_token)
        _current.reset(token)
        thread = time.thread_time() - frame.start
        spent = thread + (_children_cpu() - frame.start_children if frame.children else 0.0)
        own = max(0.0, spent - frame.nested)
        if parent is not None:
            parent.nested += spent if parent.children else thread  # in the parent's own clock
        with _lock:
            entry = _totals.get(name)
            if entry is None:
                _totals[name] = [own, 1]
            else:
                entry[0] += own
                entry[1] += 1


def timed(name: str, items: Iterable) -> Iterator:
    """`items`, with the time spent producing each item (not the caller's loop body) in `name`."""
    it = iter(items)
    while True:
        with stage(name):
            try:
                item = next(it)
            except StopIteration:
                return
        yield item


def current() -> str | None:
    """The innermost open stage's name."""
    return _names.get()


def totals() -> dict[str, tuple[float, int]]:
    """This process's totals so far: stage -> (CPU seconds, times entered)."""
    with _lock:
        return {name: (cpu, int(calls)) for name, (cpu, calls) in _totals.items()}


def reset() -> None:
    """Forget this process's totals (a forked child starts from its parent's)."""
    with _lock:
        _totals.clear()


def peak_rss_mb() -> float:
    """The process's peak resident set size (Linux: ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def flush(folder: Path | str, role: str = "") -> Path:
    """Write this process's totals, CPU and peak RSS to <folder>/<pid>.json (replaced atomically)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    data = {
        "pid": os.getpid(),
        "role": role,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "children_cpu_s": _children_cpu(),  # child processes waited for (tesseract runs; a run's pool)
        "peak_rss_mb": usage.ru_maxrss / 1024.0,
        "stages": {name: {"cpu_s": cpu, "calls": calls} for name, (cpu, calls) in totals().items()},
    }
    path = folder / f"{os.getpid()}.json"
    tmp = folder / f".{os.getpid()}.json.tmp"
    tmp.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
    return path
