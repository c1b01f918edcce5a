"""Blob store for originals and page images, content-addressed by sha256.

Keys look like ``originals/ab/cd/<sha256>.<ext>``; writing the same bytes twice is a no-op, and
nothing is ever rewritten in place, so an original a clerk uploaded is never changed.

Two stores, chosen by ``open_store`` from CASEFILE_STORAGE_URL:

* ``LocalBlobStore`` for unset (``<workspace>/blobs``), a plain path or ``file://``: a local or
  mounted (e.g. NFS) folder, written through a temporary file and a rename.
* ``FsspecBlobStore`` for any other fsspec URL (``s3://``, ``sftp://``, ``memory://``, ...), so
  several worker hosts can share one store.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol, runtime_checkable

import fsspec
from fsspec.core import url_to_fs


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def blob_key(prefix: str, digest: str, ext: str) -> str:
    return f"{prefix}/{digest[:2]}/{digest[2:4]}/{digest}.{ext}"


@runtime_checkable
class BlobStore(Protocol):
    def key_for(self, prefix: str, digest: str, ext: str) -> str: ...
    def put(self, key: str, data: bytes) -> str: ...
    def get(self, key: str) -> bytes: ...
    def exists(self, key: str) -> bool: ...


class LocalBlobStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    def key_for(self, prefix: str, digest: str, ext: str) -> str:
        return blob_key(prefix, digest, ext)

    def put(self, key: str, data: bytes) -> str:
        path = self.root / key
        if path.exists():
            return key
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write to a temporary name and rename: a crash never leaves a half-written blob.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        os.chmod(path, 0o444)
        return key

    def get(self, key: str) -> bytes:
        return (self.root / key).read_bytes()

    def exists(self, key: str) -> bool:
        return (self.root / key).exists()


class FsspecBlobStore:
    """Any fsspec URL; objects are written whole, so a crash never leaves a half-written blob.

    Only the URL is kept (and pickled): the filesystem is built on first use in each process,
    never shared across fork, because async filesystems such as s3fs hold an event loop and
    connections that are broken in a forked child (fsspec issue #755).
    """

    def __init__(self, url: str):
        self.url = url
        self._fs: fsspec.AbstractFileSystem | None = None
        self._root = ""
        self._pid: int | None = None
        _check_protocols(url)  # fail at startup, not at the first upload

    def __getstate__(self) -> dict:
        return {"url": self.url}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["url"])

    def _target(self, key: str) -> tuple[fsspec.AbstractFileSystem, str]:
        if self._pid != os.getpid():
            # skip_instance_cache: fsspec would otherwise hand back an instance built before fork.
            self._fs, root = url_to_fs(self.url, skip_instance_cache=True)
            self._root, self._pid = root.rstrip("/"), os.getpid()
        return self._fs, f"{self._root}/{key}"

    def key_for(self, prefix: str, digest: str, ext: str) -> str:
        return blob_key(prefix, digest, ext)

    def put(self, key: str, data: bytes) -> str:
        fs, path = self._target(key)
        if fs.exists(path):  # same key, same bytes: never rewrite
            return key
        try:
            fs.pipe_file(path, data)
        except FileNotFoundError:  # folder-like filesystems (sftp, local) need the parent first
            fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
            fs.pipe_file(path, data)
        return key

    def get(self, key: str) -> bytes:
        fs, path = self._target(key)
        return fs.cat_file(path)

    def exists(self, key: str) -> bool:
        fs, path = self._target(key)
        return fs.exists(path)


def _check_protocols(url: str) -> None:
    # A chained URL ("simplecache::s3://bucket/x") names one protocol per "::" part; loading the
    # classes finds unknown protocols and missing drivers without connecting anywhere.
    for part in url.split("::"):
        protocol = part.split("://", 1)[0]
        try:
            fsspec.get_filesystem_class(protocol)
        except (ValueError, ImportError) as exc:
            reason = str(exc)
            if isinstance(exc, ImportError):
                reason = f"install the driver for {protocol}:// URLs ({exc})"
            shown = re.sub(r"//[^/@]*@", "//***@", url)  # never print credentials
            raise ValueError(f"CASEFILE_STORAGE_URL={shown!r} is not supported: {reason}") from exc


def open_store(storage_url: str | None, workspace: Path) -> BlobStore:
    if storage_url is None:
        return LocalBlobStore(workspace / "blobs")
    if storage_url.startswith("file://"):
        return LocalBlobStore(Path(storage_url[len("file://"):]))
    if "://" not in storage_url:
        return LocalBlobStore(Path(storage_url))
    return FsspecBlobStore(storage_url)
