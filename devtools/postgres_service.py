"""Find or start the PostgreSQL the distributed-mode tests and the benchmarks need: the one on
127.0.0.1:5432 when it lets us create databases, else a private trust-auth cluster of ours
(devtools/services.py); scratch databases for one benchmark run."""
from __future__ import annotations

import getpass
import os
import pwd
import re
import shutil
import signal
import subprocess
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import psycopg
from psycopg import sql

from devtools.services import HOST, INSTALL_HINT, OwnedServer, as_user, make_dir, start_ours

POSTGRES_START_TIMEOUT = 30.0


@dataclass
class PostgresServer(OwnedServer):
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
                                            cwd=self._root, start_new_session=True, **as_user(self._run_as))
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
                       cwd=self._root, **as_user(self._run_as))


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
    return subprocess.run(["test", "-w", str(path), "-a", "-x", str(path)], **as_user(user)).returncode == 0


def _cluster_dir(base_dir: Path | None, run_as: str | None) -> Path:
    root = make_dir("casefile-pg-", base_dir)
    if run_as is None:
        return root
    pw = pwd.getpwnam(run_as)
    os.chown(root, pw.pw_uid, pw.pw_gid)
    if base_dir is not None and not _usable_by(run_as, root):
        # base_dir lies below a directory the postgres user cannot enter (pytest's tmp_path is
        # under a 0700 /tmp/pytest-of-root): fall back to the world-traversable system temp dir
        shutil.rmtree(root, ignore_errors=True)
        root = make_dir("casefile-pg-", None)
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
                              timeout=120, **as_user(run_as))
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed (exit {done.returncode}):\n{(done.stdout + done.stderr)[-3000:]}")

    return start_ours(server, root, initdb)


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
