"""Find or start the Redis and PostgreSQL servers that the distributed-mode tests, the benchmark and
the two-host rehearsal need. A server already answering on its usual port (127.0.0.1:6379 / :5432)
is used as is and never stopped; otherwise a private one is started from the Debian binaries on a
free port in a temporary directory, and stop() shuts it down and removes that directory.
Plain Python (stdlib + psycopg + redis-py): no Django, no Celery.
"""
from __future__ import annotations

import atexit
import getpass
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import psycopg
import redis
from psycopg import sql
from redis.backoff import NoBackoff
from redis.retry import Retry

HOST = "127.0.0.1"
INSTALL_HINT = "install redis-server / postgresql: make system"
REDIS_START_TIMEOUT = 20.0
POSTGRES_START_TIMEOUT = 30.0


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


def _make_dir(prefix: str, base_dir: Path | None) -> Path:
    if base_dir is not None:
        Path(base_dir).mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=base_dir))


def _as_user(user: str | None) -> dict:
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


# --------------------------------------------------------------------------- Redis


def _reap(proc: subprocess.Popen, timeout: float) -> None:
    """Wait for a server asked to stop; kill it if it will not."""
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _redis_probe(host: str, port: int, timeout: float) -> redis.Redis:
    # no retries: redis-py 8 retries a refused connection 3 times with backoff (seconds per probe),
    # and SHUTDOWN always ends in a dropped connection that would be retried too
    return redis.Redis(host=host, port=port, socket_timeout=timeout, socket_connect_timeout=timeout,
                       retry=Retry(NoBackoff(), 0))


class _OwnedServer:
    """What a server of ours does alike, Redis or PostgreSQL: wait for it to be ready, stop it
    politely (or by a signal), remove its folder. `process` None: a server we found, not ours."""

    process: subprocess.Popen | None
    STOP_TIMEOUT = 15.0

    def _folder(self) -> Path | None:
        raise NotImplementedError

    def _ask_to_stop(self, proc: subprocess.Popen) -> None:
        """The server's own shutdown; raise OSError/SubprocessError/RedisError when it fails."""
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
        except (redis.RedisError, OSError, subprocess.SubprocessError):
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


@dataclass
class RedisServer(_OwnedServer):
    host: str
    port: int
    process: subprocess.Popen | None = None  # None: a server already running that we did not start
    data_dir: Path | None = None
    STOP_SIGNAL = signal.SIGTERM  # a graceful shutdown in redis too

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
    data_dir = _make_dir("casefile-redis-", base_dir)
    return _start_ours(RedisServer(HOST, 0, None, data_dir), data_dir)


def _start_ours(server, folder: Path, prepare=lambda: None):
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


# --------------------------------------------------------------------------- PostgreSQL


@dataclass
class PostgresServer(_OwnedServer):
    host: str
    port: int
    user: str = "postgres"
    process: subprocess.Popen | None = None  # None: a server already running that we did not start
    data_dir: Path | None = None
    _root: Path | None = field(default=None, repr=False)  # our temp dir: data/, logs, socket
    _bindir: Path | None = field(default=None, repr=False)
    _run_as: str | None = field(default=None, repr=False)  # OS user the server runs as (we are root)
    STOP_SIGNAL = signal.SIGINT  # what pg_ctl -m fast sends
    STOP_TIMEOUT = 30.0

    def _folder(self) -> Path | None:
        return self._root

    @property
    def owned(self) -> bool:
        return self.process is not None

    def dsn(self, dbname: str) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres", **kwargs) -> psycopg.Connection:
        kwargs.setdefault("connect_timeout", 5)
        return psycopg.connect(self.dsn(dbname), **kwargs)

    def create_database(self, prefix: str = "casefile_") -> str:
        name = f"{prefix}{uuid.uuid4().hex[:10]}"
        if len(name.encode()) > 63:  # PostgreSQL would silently truncate it
            raise ValueError(f"database name too long: {name!r}")
        with self.connect(autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return name

    def drop_database(self, name: str) -> None:
        if name in ("postgres", "template0", "template1"):
            raise ValueError(f"refusing to drop {name!r}")
        with self.connect(autocommit=True) as conn:
            if conn.info.server_version >= 130000:
                # FORCE terminates the other sessions itself, atomically with the drop
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            else:
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                             " WHERE datname = %s AND pid <> pg_backend_pid()", [name])
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))

    def _start(self) -> None:
        assert self._root is not None and self._bindir is not None and self.data_dir is not None
        log = self._root / "postgres.log"
        # a unix socket in our dir keeps clear of /var/run/postgresql; its path is limited to
        # ~107 bytes, so a deep base_dir gets none (we only use TCP anyway)
        sockdir = str(self._root) if len(str(self._root)) < 80 else ""
        cmd = [str(self._bindir / "postgres"), "-D", str(self.data_dir), "-p", str(self.port),
               "-c", f"listen_addresses={self.host}", "-c", f"unix_socket_directories={sockdir}",
               "-c", "fsync=off"]  # throwaway cluster: durability not needed, speed is
        with open(log, "ab") as out:
            self.process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                            cwd=self._root, start_new_session=True, **_as_user(self._run_as))
        self._wait_ready(self._answers_as_ours, "postgres", log, POSTGRES_START_TIMEOUT, 0.1)

    def _answers_as_ours(self) -> bool:
        try:
            with self.connect(connect_timeout=2) as conn:
                row = conn.execute("SHOW data_directory").fetchone()
            return bool(row) and Path(row[0]) == self.data_dir  # ours, not a stranger on a reused port
        except psycopg.Error:
            return False  # not listening yet, or "the database system is starting up"

    def _ask_to_stop(self, proc: subprocess.Popen) -> None:
        # a fast shutdown; pg_ctl refuses to run as root as well: run it as the server's user
        subprocess.run([str(self._bindir / "pg_ctl"), "stop", "-D", str(self.data_dir), "-m", "fast",
                        "-w", "-t", "30"], capture_output=True, timeout=40, check=True,
                       cwd=self._root, **_as_user(self._run_as))


def _can_create_databases(port: int, user: str) -> bool:
    try:
        with psycopg.connect(host=HOST, port=port, user=user, dbname="postgres", connect_timeout=3) as conn:
            row = conn.execute("SELECT rolsuper OR rolcreatedb FROM pg_roles WHERE rolname = current_user").fetchone()
        return bool(row and row[0])
    except psycopg.Error:  # not running, password required, no such role...
        return False


def _postgres_bindir() -> Path:
    """Debian keeps server binaries off PATH in /usr/lib/postgresql/<version>/bin: take the newest."""
    versions = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").exists()]
    versions.sort(key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.name)] or [0])
    if versions:
        return versions[-1]
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise RuntimeError(f"PostgreSQL server binaries (initdb, postgres, pg_ctl) not found; {INSTALL_HINT}")


def _usable_by(user: str, path: Path) -> bool:
    return subprocess.run(["test", "-w", str(path), "-a", "-x", str(path)], **_as_user(user)).returncode == 0


def _cluster_dir(base_dir: Path | None, run_as: str | None) -> Path:
    root = _make_dir("casefile-pg-", base_dir)
    if run_as is None:
        return root
    pw = pwd.getpwnam(run_as)
    os.chown(root, pw.pw_uid, pw.pw_gid)
    if base_dir is not None and not _usable_by(run_as, root):
        # base_dir lies below a directory the postgres user cannot enter (pytest's tmp_path is
        # under a 0700 /tmp/pytest-of-root): fall back to the world-traversable system temp dir
        shutil.rmtree(root, ignore_errors=True)
        root = _make_dir("casefile-pg-", None)
        os.chown(root, pw.pw_uid, pw.pw_gid)
    return root


def find_or_start_postgres(base_dir: Path | None = None, private: bool = False) -> PostgresServer:
    """PostgreSQL on 127.0.0.1:5432 if it lets `postgres` (or the OS user) create databases
    (unless private), else a new private trust-auth cluster with superuser `postgres`."""
    if not private:
        users = ["postgres"]
        try:
            users.append(getpass.getuser())
        except Exception:  # no passwd entry / no USER: just postgres
            pass
        for user in dict.fromkeys(users):
            if _can_create_databases(5432, user):
                return PostgresServer(HOST, 5432, user)

    bindir = _postgres_bindir()
    run_as = None
    if os.geteuid() == 0:
        # initdb, postgres and pg_ctl all refuse to run as root
        run_as = "postgres"
        try:
            pwd.getpwnam(run_as)
        except KeyError:
            raise RuntimeError(f"running as root but there is no '{run_as}' OS user to run initdb as; {INSTALL_HINT}")
    root = _cluster_dir(base_dir, run_as)
    server = PostgresServer(HOST, 0, "postgres", None, root / "data", _root=root, _bindir=bindir, _run_as=run_as)

    def initdb() -> None:
        done = subprocess.run([str(bindir / "initdb"), "-D", str(server.data_dir), "-A", "trust", "-U", "postgres",
                               "--encoding", "UTF8", "--no-locale", "--no-sync"],
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=root,
                              timeout=120, **_as_user(run_as))
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed (exit {done.returncode}):\n{(done.stdout + done.stderr)[-3000:]}")

    return _start_ours(server, root, initdb)


@contextmanager
def scratch_database(backend: str, base_dir: Path, prefix: str) -> Iterator[str]:
    """A database URL for one benchmark run: "" for SQLite (the workspace's own file), else a fresh
    PostgreSQL database on a found or started server, dropped (and the server stopped) after."""
    if backend != "postgresql":
        yield ""
        return
    server = find_or_start_postgres(base_dir=base_dir / "pg")
    database = server.create_database(prefix)
    try:
        yield server.dsn(database)
    finally:
        server.drop_database(database)
        server.stop()
