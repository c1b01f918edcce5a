"""The local cluster's 'hosts' die with the process that started them (devtools/localcluster.py),
so a test run killed half-way leaves no Celery worker behind."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

STARTER = """
import subprocess, sys
from devtools.localcluster import die_with_parent
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=die_with_parent)
print(child.pid, flush=True)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie has died; nothing reaped it yet
        return stat.read().split(")")[-1].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl(PR_SET_PDEATHSIG) is Linux's")
def test_a_started_host_dies_with_its_starter():
    out = subprocess.run([sys.executable, "-c", STARTER], capture_output=True, text=True, timeout=60, check=True)
    pid = int(out.stdout.split()[0])  # the starter has exited: its child must follow it
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = _alive(pid)
    if alive:
        os.kill(pid, 9)
    assert not alive
