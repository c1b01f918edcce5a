"""A distributed casefile on one machine: worker and submitter subprocesses that share nothing
but a Redis URL, a PostgreSQL URL and a storage URL, as separate hosts would. Used by the
distributed-mode tests and by `casefile bench-workers`.

Each LocalCluster has its own PostgreSQL database, its own Redis db number and its own folders,
and removes them all on close(). Callers read the shared database with plain SQL.
"""
from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import redis

from devtools.postgres_service import PostgresServer
from devtools.redis_service import RedisServer

ROOT = Path(__file__).resolve().parent.parent
CASEFILE = [str(Path(sys.executable).parent / "casefile")]

_used_redis_dbs: set[tuple[int, int]] = set()
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent() -> None:
    """In a started 'host', before it runs: it gets SIGTERM (a Celery worker's warm shutdown)
    when the process that started it dies. A test run killed half-way must not leave workers
    behind, sweeping and loading the machine the next run shares."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _free_redis_db(server: RedisServer) -> int:
    """A db number nobody uses on this server (db 0 is left to the developer)."""
    for db in range(15, 0, -1):
        if (server.port, db) in _used_redis_dbs:
            continue
        client = redis.Redis.from_url(server.url(db))
        if client.dbsize() == 0:
            _used_redis_dbs.add((server.port, db))
            return db
    raise RuntimeError("no empty Redis db number left")


class LocalCluster:
    def __init__(self, redis_server: RedisServer, postgres: PostgresServer, base: Path, env: dict | None = None):
        self.redis = redis_server
        self.postgres = postgres
        self.base = base
        self.db = postgres.create_database("casefile_test_")
        self.redis_db = _free_redis_db(redis_server)
        self.workers: dict[str, subprocess.Popen] = {}  # every process started, by 'host' name
        self.worker_names: set[str] = set()  # those that are Celery workers
        self.env = {
            "CASEFILE_BROKER_URL": redis_server.url(self.redis_db),
            "CASEFILE_DATABASE_URL": postgres.dsn(self.db),
            "CASEFILE_STORAGE_URL": (base / "shared-storage").as_uri(),
            **(env or {}),
        }

    def _process_env(self, workspace: Path, extra: dict | None = None) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFILE_")}
        env.update(self.env, CASEFILE_WORKSPACE=str(workspace), **(extra or {}))
        return env

    def start_worker(self, name: str, concurrency: int = 1, beat: bool = True, extra_env: dict | None = None) -> None:
        """A worker 'host': its own working folder, its own log, its own process group."""
        args = ["worker", f"--concurrency={concurrency}", f"--hostname={name}@%h", "--beat" if beat else "--no-beat"]
        self.start(name, args, extra_env)
        self.worker_names.add(name)

    def start(self, name: str, args: list[str], extra_env: dict | None = None) -> subprocess.Popen:
        """Any long-running casefile command as its own 'host' (a worker, `serve`)."""
        home = self.base / name
        home.mkdir(parents=True, exist_ok=True)
        with open(home / "worker.log", "wb") as log:
            self.workers[name] = subprocess.Popen(
                [*CASEFILE, *args], cwd=home, env=self._process_env(home / "workspace", extra_env),
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=die_with_parent,
            )
        return self.workers[name]

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        pending = set(self.worker_names)
        while pending and time.monotonic() < deadline:
            for name in list(pending):
                if self.workers[name].poll() is not None:
                    raise RuntimeError(f"worker {name} exited:\n{self.log(name)}")
                if b" ready." in (self.base / name / "worker.log").read_bytes():
                    pending.discard(name)
            time.sleep(0.5)
        if pending:
            raise RuntimeError(f"workers not ready: {pending}\n" + "\n".join(self.log(n) for n in pending))

    def kill_worker(self, name: str) -> None:
        """SIGKILL the worker and its pool processes at once: no warm shutdown, nothing acked."""
        os.killpg(self.workers[name].pid, signal.SIGKILL)
        self.workers[name].wait(10)

    def submit(self, inputs: list[Path], roster: Path | None = None, extra_env: dict | None = None) -> subprocess.Popen:
        """`casefile submit --wait` in the background, from its own folder; finish() collects it."""
        home = self.base / "submitter"
        home.mkdir(parents=True, exist_ok=True)
        args = [*CASEFILE, "submit", *map(str, inputs), "--wait", "--timeout", "600"]
        args += ["--report-json", str(self.base / "report.json")]
        if roster:
            args += ["--roster", str(roster)]
        return subprocess.Popen(
            args, cwd=home, env=self._process_env(home / "workspace", extra_env),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )

    def finish(self, submitter: subprocess.Popen, timeout: float = 600) -> dict:
        """Wait for `submit --wait` to end; its batch id is kept in self.batch_id; returns the report."""
        try:
            out, err = submitter.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            submitter.kill()
            _, err = submitter.communicate()
            raise RuntimeError(f"{self.logs()}\nsubmit still running after {timeout:.0f} s:\n{err.decode()[-3000:]}") from None
        if submitter.returncode != 0:  # the reason last: a CI excerpt shows the end of a long message
            raise RuntimeError(f"{self.logs()}\nsubmit failed (exit {submitter.returncode}):\n{err.decode()[-3000:]}")
        self.batch_id = int(out.decode().split()[0])
        report = self.base / "report.json"
        return json.loads(report.read_text(encoding="utf-8"))

    def cli(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """Another casefile command on the submitting 'host'."""
        home = self.base / "submitter"
        home.mkdir(parents=True, exist_ok=True)
        return subprocess.run(
            [*CASEFILE, *args], cwd=home, env=self._process_env(home / "workspace"),
            capture_output=True, text=True, timeout=timeout,
        )

    def sql(self, query: str, *params) -> list[tuple]:
        with psycopg.connect(self.postgres.dsn(self.db)) as conn:
            return conn.execute(query, params).fetchall()

    def log(self, name: str) -> str:
        text = (self.base / name / "worker.log").read_text(errors="replace")
        return f"--- {name} ---\n" + "\n".join(text.splitlines()[-40:])

    def logs(self) -> str:
        return "\n".join(self.log(n) for n in self.workers if (self.base / n / "worker.log").exists())

    def close(self) -> None:
        for proc in self.workers.values():
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                    proc.wait(20)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(10)
        if self.redis.alive():
            redis.Redis.from_url(self.redis.url(self.redis_db)).flushdb()
        _used_redis_dbs.discard((self.redis.port, self.redis_db))
        self.postgres.drop_database(self.db)

