"""The embedded processes working on one workspace (crash safety of the embedded mode).

Every embedded process that reads pages holds a lock file of its own in <workspace>/runners/
(children die with their parent), so a run that finds no other holder alive knows that every page
still `running`, file `finalizing` and batch `closing` was left by a dead process, and gives it
back at once (workers/local.py: `LocalDispatcher.lost_after`, `requeue_orphaned_pages`).
"""
from __future__ import annotations

import atexit
import fcntl
import os
import uuid
from pathlib import Path


class Runners:
    """The embedded processes working on one workspace, one locked file each in <workspace>/runners/.
    The kernel drops a lock when its process dies, however it dies, so a file that can be locked
    belongs to a dead process."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.mine: Path | None = None
        self._fd: int | None = None

    def join(self) -> None:
        if self._fd is not None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{os.getpid()}-{uuid.uuid4().hex[:12]}.lock"
        tmp = self.folder / f".tmp-{name}"
        fd = os.open(tmp, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.replace(tmp, self.folder / name)  # visible only once locked, so never taken for dead
        self._fd, self.mine = fd, self.folder / name
        atexit.register(self._leave, os.getpid())

    def _leave(self, pid: int) -> None:
        if os.getpid() == pid and self.mine is not None:  # not in a forked child exiting
            self.mine.unlink(missing_ok=True)

    def others_alive(self) -> bool:
        alive = False
        for path in self.folder.glob("*.lock"):
            if path == self.mine:
                continue
            try:
                fd = os.open(path, os.O_RDWR)
            except FileNotFoundError:  # another process cleared it just now
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                alive = True
            else:
                path.unlink(missing_ok=True)  # its process is gone
            finally:
                os.close(fd)
        return alive


_runners: dict[Path, Runners] = {}


def runners(workspace: Path) -> Runners:
    folder = (workspace / "runners").absolute()
    return _runners.setdefault(folder, Runners(folder))
