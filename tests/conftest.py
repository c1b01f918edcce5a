"""Fixtures shared by the tests that use the database."""
from __future__ import annotations

import pytest

from casefile.config import get_settings
from pipeline.context import blob_store


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEFILE_WORKSPACE", str(tmp_path / "ws"))
    get_settings.cache_clear()
    blob_store.cache_clear()
    yield tmp_path
    get_settings.cache_clear()
    blob_store.cache_clear()
