from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class IngestOptions(BaseModel):
    """Limits and rendering settings for ingest. Closed to unknown keys. The limits are set by the
    CASEFILE_* variable of the same name in upper case (config/settings.py); README "Bad input"."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dpi: int = Field(200, ge=72, le=600, description="DPI at which PDF pages are rendered")
    max_file_bytes: int = Field(200 * 1024 * 1024, ge=1, description="a larger file (or ZIP entry) is refused")
    max_pages: int = Field(500, ge=1, description="a PDF or multi-page TIFF with more pages is refused")
    max_pixels: int = Field(80_000_000, ge=1, description="a page image with more pixels is refused")
    max_side_pixels: int = Field(20_000, ge=1, description="a page image longer than this on a side is refused")
    min_side_pixels: int = Field(32, ge=1, description="a page image shorter than this on a side is refused")
    max_unpacked_bytes: int = Field(
        1024 * 1024 * 1024, ge=1, description="what one upload's archives may inflate to, nested ones included"
    )
    max_archive_entries: int = Field(10_000, ge=1, description="files one upload's archives may hold, nested included")
    max_pdf_stream_bytes: int = Field(
        256 * 1024 * 1024, ge=1, description="a PDF with a stream (page content, image) inflating past this is refused"
    )
    max_archive_depth: int = Field(3, ge=1, description="archives inside archives deeper than this are refused")
    min_text_layer_chars: int = Field(
        30, description="a PDF page whose text layer has fewer CJK/alnum characters is OCR'd instead"
    )
