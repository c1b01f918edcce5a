"""What the local servers of the tests and benchmarks do alike (devtools/redis_service.py,
devtools/postgres_service.py): a free port, a folder of their own, running as another OS user,
waiting until ready, stopping politely or by a signal, and starting on a free port with nothing
left behind on _failure. A server already answering on its usual port is used as is and never
stopped; a private one is started from the Debian binaries and stop() shuts it down and removes
its folder. Plain Python (stdlib): no Django, no Celery.
"""
from __future__ import annotations

import atexit
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

HOST = "127.0.0.1"
INSTALL_HINT = "install redis-server / postgresql: make system"


class _PortTaken(RuntimeError):
    """Another process bound the free port between free_port() and our server: pick another."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def make_dir(prefix: str, base_dir: Path | None) -> Path:
    if base_dir is not None:
        Path(base_dir).mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=base_dir))


def as_user(user: str | None) -> dict:
    """Popen keyword arguments that run the child as `user` (setuid in the child, no wrapper
    process: the Popen pid is the server itself, so signals and wait() reach it directly)."""
    if user is None:
        return {}
    pw = pwd.getpwnam(user)
    env = {**os.environ, "HOME": pw.pw_dir, "USER": user, "LOGNAME": user}
    return {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": [], "env": env}


def _failure(what: str, process: subprocess.Popen, log: Path, timeout: float) -> RuntimeError:
    text = _tail(log)
    why = f"exited with code {process.returncode}" if process.poll() is not None else f"not ready after {timeout:.0f} s"
    cls = _PortTaken if "Address already in use" in text else RuntimeError
    return cls(f"{what} {why}; log tail ({log}):\n{text}")


def _reap(proc: subprocess.Popen, timeout: float) -> None:
    """Wait for a server asked to stop; kill it if it will not."""
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class OwnedServer:
    """What a server of ours does alike, Redis or PostgreSQL: wait for it to be ready, stop it
    politely (or by a signal), remove its folder. `process` None: a server we found, not ours."""

    process: subprocess.Popen | None
    STOP_TIMEOUT = 15.0
    STOP_ERRORS: tuple[type[BaseException], ...] = ()  # the client library's errors when asking to stop

    def _folder(self) -> Path | None:
        raise NotImplementedError

    def _ask_to_stop(self, proc: subprocess.Popen) -> None:
        """The server's own shutdown; raise OSError, SubprocessError or one of STOP_ERRORS when it fails."""
        raise NotImplementedError

    def _wait_ready(self, ready, what: str, log: Path, timeout: float, poll: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            if ready():
                return
            time.sleep(poll)
        error = _failure(f"{what} on {self.host}:{self.port}", self.process, log, timeout)
        self._shutdown()
        raise error

    def _shutdown(self) -> None:
        proc = self.process
        if proc is None or proc.poll() is not None:
            return
        try:
            self._ask_to_stop(proc)
        except (OSError, subprocess.SubprocessError, *self.STOP_ERRORS):
            proc.send_signal(self.STOP_SIGNAL)
        _reap(proc, self.STOP_TIMEOUT)

    def stop(self, keep_dir: bool = False) -> None:
        """Shut down a server we started and remove its folder; no-op for one we found."""
        if self.process is None:
            return
        self._shutdown()
        atexit.unregister(self.stop)
        if not keep_dir and self._folder() is not None:
            shutil.rmtree(self._folder(), ignore_errors=True)


def start_ours(server, folder: Path, prepare=lambda: None):
    """Start a server of ours (after `prepare`, e.g. initdb) on a free port, three tries since
    another process may take the port first. Whatever fails (Ctrl-C too) leaves no server and no
    folder behind; a started one is stopped at exit if the caller forgets stop()."""
    try:
        prepare()
        for attempt in range(3):
            server.port = free_port()
            try:
                server._start()
                break
            except _PortTaken:
                if attempt == 2:
                    raise
    except BaseException:
        server._shutdown()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    atexit.register(server.stop)
    return server
