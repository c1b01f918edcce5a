"""PDFs received on several threads at once (the web server's uploads): pdfium is entered by one
thread at a time, and every page comes out as it does alone."""
from __future__ import annotations

import ctypes
import hashlib
import threading
import time
from pathlib import Path

import pypdfium2.raw as pdfium_raw

from ingest import IngestOptions, open_pages
from tests.born_digital import certificate_pdf

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "sample" / "batch"


class EntryWatch:
    """Counts the threads inside pdfium; each call lingers a moment, so overlap cannot hide."""

    def __init__(self) -> None:
        self.inside = 0
        self.most = 0
        self.calls = 0
        self._count = threading.Lock()

    def wrap(self, function):
        def watched(*args, **kwargs):
            with self._count:
                self.inside += 1
                self.calls += 1
                self.most = max(self.most, self.inside)
            try:
                time.sleep(0.0005)
                return function(*args, **kwargs)
            finally:
                with self._count:
                    self.inside -= 1

        return watched


def _digest(data: bytes, name: str, render: bool) -> str:
    digest = hashlib.sha256()
    for page in open_pages(data, "pdf", name, IngestOptions(), render=render):
        digest.update(page.image.tobytes() if page.image is not None else b"-")
        digest.update(repr(page.text_layer).encode() + page.error.encode())
    return digest.hexdigest()


def test_pdfs_opened_on_several_threads_enter_pdfium_one_at_a_time(monkeypatch):
    files = {"cert.pdf": certificate_pdf(pages=2), "scan.pdf": (SAMPLE / "CCF20201129_00032.pdf").read_bytes()}
    alone = {(name, render): _digest(data, name, render) for name, data in files.items() for render in (True, False)}

    watch = EntryWatch()
    for attr in dir(pdfium_raw):  # the C functions, not the structure and handle types
        if isinstance(getattr(pdfium_raw, attr), ctypes._CFuncPtr):
            monkeypatch.setattr(pdfium_raw, attr, watch.wrap(getattr(pdfium_raw, attr)))
    results, failures = [], []

    def receive() -> None:
        try:
            for (name, render) in alone:
                results.append(((name, render), _digest(files[name], name, render)))
        except Exception as exc:  # a thread's exception would otherwise vanish with the thread
            failures.append(exc)

    threads = [threading.Thread(target=receive) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not failures
    assert watch.calls > 50  # the watch did see pdfium being used
    assert watch.most == 1, f"{watch.most} threads were inside pdfium at once"
    assert len(results) == 4 * len(alone)
    assert all(digest == alone[key] for key, digest in results)
