"""Per-process handles: the blob store of this process's settings, opened lazily (after fork)."""
from __future__ import annotations

from functools import lru_cache

from config.settings import Settings, get_settings
from pipeline.storage import BlobStore, open_store


def blob_store() -> BlobStore:
    return _opened(get_settings())


@lru_cache(maxsize=1)  # keyed by the settings: a process given other settings opens their store
def _opened(cfg: Settings) -> BlobStore:
    return open_store(cfg.storage_url, cfg.workspace)


def reopen_blob_store() -> None:
    """In a forked process: a storage client of its own on next use (fsspec #755)."""
    _opened.cache_clear()
