"""The runner registry of the embedded mode: each process that reads pages holds a lock file of
its own, a dead process's file is free and cleared, and `casefile serve` started after a crash
puts the pages a dead process left running back in the queue at once, but only when no other
runner is alive. Born-digital pages, no OCR."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from config.options import PipelineOptions
from config.settings import get_settings
from pipeline.ingest_batch import ingest_batch
from tests.born_digital import certificate_pdf
from workers.local import requeue_orphaned_pages
from workers.runners import Runners, runners

pytestmark = pytest.mark.django_db

# Another runner, as a separate process: it takes its lock the way Runners.join does, then waits.
HOLDER = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
"""


def other_runner(folder: Path, seconds: float) -> subprocess.Popen:
    folder.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder / "other.lock"), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_a_dead_runner_is_told_from_a_live_one(tmp_path):
    folder = tmp_path / "runners"
    me = Runners(folder)
    me.join()
    assert not me.others_alive()
    live = other_runner(folder, 60)
    try:
        assert me.others_alive()
    finally:
        live.kill()  # as SIGKILL or a power cut ends a run: its file stays, its lock goes
        live.wait()
    assert (folder / "other.lock").exists()
    assert not me.others_alive()
    assert list(folder.glob("*.lock")) == [me.mine]  # the dead one's file was cleared


def test_pages_a_dead_process_left_running_go_back_to_the_queue_when_no_runner_is_alive(workspace):
    from records.models import Page

    folder = workspace / "batch"
    folder.mkdir()
    (folder / "cert.pdf").write_bytes(certificate_pdf())
    left, _ = ingest_batch([folder], PipelineOptions().ingest).new_page_ids
    Page.objects.filter(pk=left).update(status="running", attempts=1)

    cfg = get_settings()
    live = other_runner(runners(cfg.workspace).folder, 60)
    try:
        assert requeue_orphaned_pages(cfg) == 0  # a live runner may be reading it
        assert Page.objects.get(pk=left).status == "running"
    finally:
        live.kill()
        live.wait()
    assert requeue_orphaned_pages(cfg) == 1
    page = Page.objects.get(pk=left)
    assert page.status == "pending" and page.queued_at is not None and page.attempts == 1
