"""Blob store for originals and page images, content-addressed by sha256.

Keys look like ``originals/ab/cd/<sha256>.<ext>``; writing the same bytes twice is a no-op, and
nothing is ever rewritten in place, so an original a clerk uploaded is never changed.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class LocalBlobStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    def key_for(self, prefix: str, digest: str, ext: str) -> str:
        return f"{prefix}/{digest[:2]}/{digest[2:4]}/{digest}.{ext}"

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


def open_store(storage_url: str | None, workspace: Path) -> LocalBlobStore:
    if storage_url is None:
        return LocalBlobStore(workspace / "blobs")
    if storage_url.startswith("file://"):
        return LocalBlobStore(Path(storage_url[len("file://"):]))
    if "://" not in storage_url:
        return LocalBlobStore(Path(storage_url))
    raise ValueError(f"CASEFILE_STORAGE_URL: unsupported storage {storage_url!r} (local folders only for now)")
