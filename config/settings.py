"""The CASEFILE_* settings, read once into a typed object, and the settings of this process.

An entry point (the CLI, the web's WSGI module, a Celery worker) chooses its settings once: the
environment, with its own overrides (`--workspace`, `--engine`) as a copy (`with_overrides`),
never written back into the environment. config/bootstrap.py makes them this process's
(`use_settings`) before Django reads them; the domain core takes its options as arguments.
"""
from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    # frozen: a copy per override, and hashable, so options built from it can be cached (config/options.py)
    model_config = SettingsConfigDict(env_prefix="CASEFILE_", extra="ignore", frozen=True)

    workspace: Path = Field(Path(".casefile"), description="SQLite database and local blob store live here")
    database_url: str | None = Field(None, description="unset = SQLite in the workspace; postgresql://… at scale")
    storage_url: str | None = Field(None, description="unset = <workspace>/blobs")
    broker_url: str | None = Field(None, description="unset = embedded (in-process pool); redis://… = Celery")
    ocr_engine: str = Field("rapidocr", description="rapidocr or tesseract")
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1, description="page processes")
    dpi: int = 200
    # Ingest limits (ingest/options.py IngestOptions, same names); README "Bad input".
    max_file_bytes: int = Field(200 * 1024 * 1024, ge=1, description="a larger file or ZIP entry is refused")
    max_pages: int = Field(500, ge=1, description="a PDF or multi-page TIFF with more pages is refused")
    max_pixels: int = Field(80_000_000, ge=1, description="a page image with more pixels is refused")
    max_side_pixels: int = Field(20_000, ge=1, description="a page image longer on a side is refused")
    min_side_pixels: int = Field(32, ge=1, description="a page image shorter on a side is refused")
    max_unpacked_bytes: int = Field(1024 * 1024 * 1024, ge=1, description="one upload's archives inflate to at most this")
    max_archive_entries: int = Field(10_000, ge=1, description="files one upload's archives may hold")
    max_archive_depth: int = Field(3, ge=1, description="archives nested deeper are refused")
    max_pdf_stream_bytes: int = Field(256 * 1024 * 1024, ge=1, description="a PDF stream inflating past this is refused")
    secret_key: str = Field("casefile-dev-only-not-secret", description="Django SECRET_KEY; set it in production")
    debug: bool = False
    allowed_hosts: str = Field("127.0.0.1,localhost", description="host names the web application answers to")
    https: bool = Field(False, description="served over HTTPS: session and CSRF cookies are marked secure")
    plugins: str = Field("", description="comma-separated modules imported at start-up, e.g. to register an OCR engine")
    page_model: Path | None = Field(
        None, description="page classifier model (.npz) instead of the shipped one (casefile train --out)"
    )
    policy: Path | None = Field(
        None, description="TOML file with the bureau's policy: [cases], [cases.rules], [workflow], [priority]"
    )
    stage_times: Path | None = Field(
        None, description="embedded mode: every process of a run writes its stage times and peak RSS here (casefile bench)"
    )

    # Page deadlines, in both modes: a page task is interrupted at the soft limit and its process
    # killed at the hard limit (Celery's worker, or the embedded billiard pool). Distributed mode:
    # Redis redelivers an unacknowledged message after the visibility timeout, and the sweeper
    # re-queues a page that has been running longer than stale_after. Each must exceed the one
    # before, or a healthy long page would be delivered twice (docs/flow.md#celery-settings).
    page_soft_time_limit: int = Field(240, ge=1, description="seconds before a page task is interrupted")
    page_time_limit: int = Field(300, ge=2, description="seconds before a page task's process is killed")
    visibility_timeout: int = Field(600, ge=3, description="Redis: seconds before an unacked task is redelivered")
    stale_after: int = Field(900, ge=4, description="sweeper: seconds after which a running page is presumed lost")
    sweep_every: int = Field(60, ge=1, description="seconds between sweeps in the workers")
    max_attempts: int = Field(3, ge=1, description="deliveries of a page before it is marked failed")

    @model_validator(mode="after")
    def _limits_in_order(self) -> "Settings":
        order = [self.page_soft_time_limit, self.page_time_limit, self.visibility_timeout, self.stale_after]
        if order != sorted(set(order)):
            raise ValueError(
                "need CASEFILE_PAGE_SOFT_TIME_LIMIT < CASEFILE_PAGE_TIME_LIMIT < CASEFILE_VISIBILITY_TIMEOUT "
                f"< CASEFILE_STALE_AFTER, got {' / '.join(map(str, order))}"
            )
        return self

    @property
    def distributed(self) -> bool:
        return bool(self.broker_url)

    def with_overrides(self, **changes) -> "Settings":
        """A copy with an entry point's overrides, checked like the variables; None is not given."""
        given = {name: value for name, value in changes.items() if value is not None}
        return type(self)(**(self.model_dump() | given)) if given else self


_current: Settings | None = None


def get_settings() -> Settings:
    """This process's settings: those its entry point chose (use_settings), else the CASEFILE_*
    variables, read once."""
    global _current
    if _current is None:
        _current = Settings()
    return _current


def use_settings(settings: Settings) -> Settings:
    """Make these this process's settings (an entry point, at start-up; a test). Forked page
    processes inherit them; a process started anew reads its own environment."""
    global _current
    _current = settings
    return settings
