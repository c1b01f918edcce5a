"""Configuration from CASEFILE_* environment variables, read once into a typed object.

Only the outer layers (CLI, Django settings, pipeline) read this; the domain core takes its
options as arguments.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CASEFILE_", extra="ignore")

    workspace: Path = Field(Path(".casefile"), description="SQLite database and local blob store live here")
    database_url: str | None = Field(None, description="unset = SQLite in the workspace; postgresql://… at scale")
    storage_url: str | None = Field(None, description="unset = <workspace>/blobs")
    broker_url: str | None = Field(None, description="unset = embedded (in-process pool); redis://… = Celery")
    ocr_engine: str = Field("rapidocr", description="rapidocr or tesseract")
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1, description="page processes")
    dpi: int = 200
    secret_key: str = Field("casefile-dev-only-not-secret", description="Django SECRET_KEY; set it in production")
    debug: bool = False


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
