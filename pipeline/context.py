"""Per-process handles: the blob store, built lazily after fork from configuration."""
from __future__ import annotations

from functools import lru_cache

from pipeline.storage import BlobStore, open_store


@lru_cache(maxsize=1)
def blob_store() -> BlobStore:
    from casefile.config import get_settings

    cfg = get_settings()
    return open_store(cfg.storage_url, cfg.workspace)
