from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class IngestOptions(BaseModel):
    """Limits and rendering settings for ingest. Closed to unknown keys."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dpi: int = Field(200, ge=72, le=600, description="DPI at which PDF pages are rendered")
    max_file_bytes: int = Field(200 * 1024 * 1024, description="larger uploads are refused")
    max_pages: int = Field(500, description="a file with more pages is refused")
    max_pixels: int = Field(80_000_000, description="a page image with more pixels is refused")
    min_text_layer_chars: int = Field(
        30, description="a PDF page whose text layer has fewer CJK/alnum characters is OCR'd instead"
    )
