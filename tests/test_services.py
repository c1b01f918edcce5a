"""devtools/redis_service.py, postgres_service.py: find or start Redis and PostgreSQL (real servers, no Django needed)."""
from __future__ import annotations

import uuid

import psycopg
import pytest
import redis

from devtools.postgres_service import PostgresServer, find_or_start_postgres
from devtools.redis_service import RedisServer, find_or_start_redis
from devtools.services import free_port


@pytest.fixture
def redis_server(tmp_path, request):
    server = find_or_start_redis(base_dir=tmp_path)
    request.addfinalizer(server.stop)  # no-op when it is the machine's own redis
    return server


@pytest.fixture
def private_redis(tmp_path, request):
    server = find_or_start_redis(private=True, base_dir=tmp_path)
    request.addfinalizer(server.stop)
    return server


@pytest.fixture
def postgres(tmp_path, request):
    server = find_or_start_postgres(base_dir=tmp_path)
    request.addfinalizer(server.stop)
    return server


@pytest.fixture
def private_postgres(tmp_path, request):
    server = find_or_start_postgres(base_dir=tmp_path, private=True)
    request.addfinalizer(server.stop)
    return server


def test_free_port_is_bindable():
    import socket

    port = free_port()
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))


def test_redis_answers_and_url_selects_the_database(redis_server):
    assert redis_server.alive()
    assert redis_server.url(3) == f"redis://127.0.0.1:{redis_server.port}/3"
    key = f"casefile-test-{uuid.uuid4().hex}"
    with redis.Redis.from_url(redis_server.url(3)) as db3, redis.Redis.from_url(redis_server.url(0)) as db0:
        assert db3.ping()
        db3.set(key, "x", ex=60)
        try:
            assert db3.get(key) == b"x"
            assert db0.get(key) is None  # the /3 in the url really selected another database
        finally:
            db3.delete(key)


def test_private_redis_keeps_a_list_across_restart_and_stops(private_redis):
    server = private_redis
    assert server.process is not None and server.port != 6379
    assert server.data_dir is not None and server.data_dir.is_dir()
    with redis.Redis.from_url(server.url(2)) as r:
        r.rpush("queue", "a", "b", "c")
    first_pid = server.process.pid

    server.restart()
    assert server.process.pid != first_pid and server.alive()
    with redis.Redis.from_url(server.url(2)) as r:
        assert r.lrange("queue", 0, -1) == [b"a", b"b", b"c"]

    # a server we did not start (process None) is never stopped, even on the same port
    RedisServer(server.host, server.port).stop()
    assert server.alive()

    process, data_dir = server.process, server.data_dir
    server.stop()
    assert process.poll() is not None
    assert not server.alive()
    assert not data_dir.exists()


def _use_and_drop_a_database(server: PostgresServer) -> None:
    name = server.create_database("casefile_test_")
    try:
        assert name.startswith("casefile_test_")
        with psycopg.connect(server.dsn(name)) as conn:
            conn.execute("CREATE TABLE pages (id serial PRIMARY KEY, text text NOT NULL)")
            conn.execute("INSERT INTO pages (text) VALUES (%s), (%s)", ["一", "two"])
            conn.commit()
            assert conn.execute("SELECT text FROM pages ORDER BY id").fetchall() == [("一",), ("two",)]
        lingering = psycopg.connect(server.dsn(name))  # still open while we drop
        try:
            lingering.execute("SELECT 1")
            server.drop_database(name)
            with pytest.raises(psycopg.OperationalError):
                lingering.execute("SELECT 1")  # its backend was terminated by the drop
        finally:
            lingering.close()
        with psycopg.connect(server.dsn("postgres")) as conn:
            assert conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None
    finally:
        server.drop_database(name)  # idempotent (IF EXISTS); cleans up after a failure above


def test_postgres_create_use_and_drop_database(postgres):
    _use_and_drop_a_database(postgres)


def test_drop_database_refuses_system_databases(postgres):
    with pytest.raises(ValueError):
        postgres.drop_database("postgres")


def test_private_postgres_cluster_starts_works_and_stops(private_postgres):
    server = private_postgres
    assert server.owned and server.port != 5432 and server.user == "postgres"
    assert (server.data_dir / "PG_VERSION").exists()
    _use_and_drop_a_database(server)

    process, root = server.process, server.data_dir.parent
    server.stop()
    assert process.poll() is not None
    assert not root.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(server.dsn("postgres"), connect_timeout=2)
