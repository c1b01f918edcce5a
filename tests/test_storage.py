"""Blob stores: the local folder store and the fsspec store behave the same through open_store."""
from __future__ import annotations

import multiprocessing
import os
import pickle
import uuid

import fsspec
import pytest

from pipeline.storage import BlobStore, FsspecBlobStore, LocalBlobStore, open_store, sha256

DATA = b"%PDF-1.4 scan of a certificate"


@pytest.fixture
def memory_url():
    root = f"/casefile-test-{uuid.uuid4().hex}"
    yield f"memory://{root}"
    fs = fsspec.filesystem("memory")
    if fs.exists(root):
        fs.rm(root, recursive=True)


def round_trip(store: BlobStore) -> str:
    key = store.key_for("originals", sha256(DATA), "pdf")
    assert not store.exists(key)
    assert store.put(key, DATA) == key
    assert store.exists(key)
    assert store.get(key) == DATA
    return key


def test_key_layout_is_shared(tmp_path, memory_url):
    digest = sha256(DATA)
    expected = f"pages/{digest[:2]}/{digest[2:4]}/{digest}.png"
    assert LocalBlobStore(tmp_path).key_for("pages", digest, "png") == expected
    assert FsspecBlobStore(memory_url).key_for("pages", digest, "png") == expected


@pytest.mark.parametrize("form", ["none", "path", "file_url"])
def test_local_urls_use_local_store(tmp_path, form):
    url = {"none": None, "path": str(tmp_path / "blobs"), "file_url": f"file://{tmp_path}/blobs"}[form]
    store = open_store(url, tmp_path)
    assert type(store) is LocalBlobStore and isinstance(store, BlobStore)
    key = round_trip(store)
    assert (tmp_path / "blobs" / key).read_bytes() == DATA


def test_memory_url_round_trip(tmp_path, memory_url):
    store = open_store(memory_url, tmp_path)
    assert type(store) is FsspecBlobStore and isinstance(store, BlobStore)
    key = round_trip(store)
    assert fsspec.filesystem("memory").cat_file(f"{memory_url}/{key}") == DATA


def test_local_put_twice_does_not_rewrite(tmp_path):
    store = LocalBlobStore(tmp_path)
    key = store.put(store.key_for("originals", sha256(DATA), "pdf"), DATA)
    before = os.stat(tmp_path / key)
    assert store.put(key, b"other bytes") == key
    after = os.stat(tmp_path / key)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert store.get(key) == DATA


def test_memory_put_twice_does_not_rewrite(memory_url):
    store = FsspecBlobStore(memory_url)
    key = store.put(store.key_for("originals", sha256(DATA), "pdf"), DATA)
    mem = fsspec.filesystem("memory")
    path = mem._strip_protocol(f"{memory_url}/{key}")
    stored = mem.store[path]
    assert store.put(key, b"other bytes") == key
    assert mem.store[path] is stored
    assert store.get(key) == DATA


def test_local_put_leaves_no_temp_files_and_is_read_only(tmp_path):
    store = LocalBlobStore(tmp_path)
    key = store.put(store.key_for("originals", sha256(DATA), "pdf"), DATA)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files == [tmp_path / key]
    assert (tmp_path / key).stat().st_mode & 0o777 == 0o444


def test_fsspec_store_builds_filesystem_lazily_and_pickles_only_the_url(memory_url):
    store = FsspecBlobStore(memory_url)
    assert store._fs is None
    round_trip(store)
    # Built with skip_instance_cache, so never fsspec's shared (possibly pre-fork) instance.
    assert store._fs is not None and store._fs is not fsspec.filesystem("memory")
    clone = pickle.loads(pickle.dumps(store))
    assert clone.url == memory_url and clone._fs is None


def child_put(store: FsspecBlobStore, parent_fs_id: int) -> None:
    key = store.put(store.key_for("pages", sha256(b"child"), "png"), b"child")
    # The child must have built its own filesystem, not reused the parent's (fsspec #755).
    assert id(store._fs) != parent_fs_id and store._pid == os.getpid()
    assert store.get(key) == b"child"


def test_forked_child_rebuilds_filesystem_and_writes_to_shared_store(tmp_path):
    store = FsspecBlobStore(f"file://{tmp_path}/shared")
    round_trip(store)  # the parent has built its filesystem before forking
    proc = multiprocessing.get_context("fork").Process(target=child_put, args=(store, id(store._fs)))
    proc.start()
    proc.join(30)
    assert proc.exitcode == 0
    assert store.get(store.key_for("pages", sha256(b"child"), "png")) == b"child"


@pytest.mark.parametrize(
    ("url", "reason"),
    [("nosuch://bucket/blobs", "Protocol not known: nosuch"), ("s3://bucket/blobs", "s3fs")],
)
def test_unsupported_url_names_the_setting(tmp_path, url, reason):
    if url.startswith("s3://"):
        try:
            import s3fs  # noqa: F401
        except ImportError:
            pass
        else:
            pytest.skip("s3fs is installed")
    with pytest.raises(ValueError) as err:
        open_store(url, tmp_path)
    message = str(err.value)
    assert "CASEFILE_STORAGE_URL" in message and url in message and reason in message
