"""Find or start the Redis the distributed-mode tests and the benchmarks need: the one on
127.0.0.1:6379 when it answers, else a private one of ours (devtools/services.py)."""
from __future__ import annotations

import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from devtools.services import HOST, INSTALL_HINT, OwnedServer, make_dir, start_ours

REDIS_START_TIMEOUT = 20.0


def _redis_probe(host: str, port: int, timeout: float) -> redis.Redis:
    # no retries: redis-py 8 retries a refused connection 3 times with backoff (seconds per probe),
    # and SHUTDOWN always ends in a dropped connection that would be retried too
    return redis.Redis(host=host, port=port, socket_timeout=timeout, socket_connect_timeout=timeout,
                       retry=Retry(NoBackoff(), 0))


@dataclass
class RedisServer(OwnedServer):
    host: str
    port: int
    process: subprocess.Popen | None = None  # None: a server already running that we did not start
    data_dir: Path | None = None
    STOP_SIGNAL = signal.SIGTERM  # a graceful shutdown in redis too
    STOP_ERRORS = (redis.RedisError,)

    def _folder(self) -> Path | None:
        return self.data_dir

    def url(self, db: int = 0) -> str:
        return f"redis://{self.host}:{self.port}/{db}"

    def _server_pid(self) -> int | None:
        try:
            with _redis_probe(self.host, self.port, 2) as r:
                r.ping()
                return int(r.info("server")["process_id"])
        except (redis.RedisError, OSError):
            return None

    def alive(self) -> bool:
        if self.process is not None:
            # ours: the process must be running and be the one answering on the port
            return self.process.poll() is None and self._server_pid() == self.process.pid
        return self._server_pid() is not None

    def _start(self) -> None:
        exe = shutil.which("redis-server")
        if exe is None:
            raise RuntimeError(f"redis-server not found on PATH; {INSTALL_HINT}")
        assert self.data_dir is not None
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = self.data_dir / "redis.log"
        cmd = [exe, "--port", str(self.port), "--bind", self.host, "--daemonize", "no",
               "--dir", str(self.data_dir), "--logfile", "",  # "" = stdout, which goes to the log
               # every write is in the AOF before the reply, so a restart loses nothing queued
               "--appendonly", "yes", "--appendfsync", "always", "--save", ""]
        with open(log, "ab") as out:
            # own session: a Ctrl-C in the terminal reaches pytest, which then stops us gracefully
            self.process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_ready(self.alive, "redis-server", log, REDIS_START_TIMEOUT, 0.05)

    def _ask_to_stop(self, proc: subprocess.Popen) -> None:
        # SHUTDOWN fsyncs the AOF before exiting (no RDB: --save "")
        with _redis_probe(self.host, self.port, 10) as r:
            r.shutdown()

    def restart(self, down_for: float = 0.0) -> None:
        """Stop, stay down `down_for` seconds, start again on the same port and data dir (the AOF
        brings the data back)."""
        if self.process is None:
            raise RuntimeError(f"restart(): redis on {self.host}:{self.port} was not started by us")
        self._shutdown()
        time.sleep(down_for)
        self._start()


def find_or_start_redis(private: bool = False, base_dir: Path | None = None) -> RedisServer:
    """The redis on 127.0.0.1:6379 if it answers PING (unless private), else a new one of ours."""
    if not private:
        found = RedisServer(HOST, 6379)
        if found.alive():
            return found
    data_dir = make_dir("casefile-redis-", base_dir)
    return start_ours(RedisServer(HOST, 0, None, data_dir), data_dir)
