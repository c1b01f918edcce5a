"""OcrOptions: the typed, closed set of switches that change what OCR reads."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import metadata

import pydantic
from pydantic import Field, field_validator

from ocr.engines import engine_names

# Fields that change how fast or how robustly a page is read, never what is read.
# They are left out of options_hash so that tuning them does not mark results stale.
_NOT_IN_HASH = frozenset({"timeout_s", "threads"})


class OcrOptions(pydantic.BaseModel, extra="forbid", frozen=True):
    """How one page is read. Built once by the pipeline; recorded with every result."""

    engine: str = Field(
        "rapidocr",
        description="OCR engine. rapidocr (PP-OCR det+rec, ONNX) found 100% of key values on our rendered "
        "evidence pages, tesseract with all preprocessing and table cells 58-80% (ocr/README.md).",
    )
    languages: str = Field("chi_sim+eng", description="tesseract -l value; ignored by rapidocr.")
    fix_orientation: bool = Field(True, description="Detect and undo 90/180/270 page rotation.")
    deskew: bool = Field(True, description="Projection-profile deskew, ±5° (minAreaRect is wrong on forms).")
    suppress_seals: bool = Field(True, description="Use the red channel as grey: red seal ink turns white.")
    binarize: bool = Field(True, description="Otsu threshold before tesseract (tesseract only).")
    glyph_px: int = Field(
        25, ge=0, le=80, description="tesseract: scale so CJK glyphs are about this tall (0 = no scaling)."
    )
    table_cells: bool = Field(True, description="tesseract: OCR ruled table cells one by one.")
    max_side_len: int = Field(
        1280, ge=320, le=8000,
        description="rapidocr: the page is shrunk so its longer side is at most this. 1280 read every key "
        "value that 2000 read (ours and the 116 real pages of docs/findings.md) at 2/3 of the time (ocr/README.md).",
    )
    timeout_s: float = Field(180.0, gt=0, description="Timeout per external call (tesseract run).")
    threads: int = Field(
        1, ge=1, le=64, description="rapidocr: onnxruntime intra-op threads (1 = one per process in a pool)."
    )

    @field_validator("engine")
    @classmethod
    def _known_engine(cls, name: str) -> str:
        if name not in engine_names():
            raise ValueError(f"unknown OCR engine {name!r}; known: {', '.join(engine_names())}")
        return name

    def options_hash(self) -> str:
        """Short stable hash of everything that changes results, including engine and model versions."""
        payload = {k: v for k, v in self.model_dump().items() if k not in _NOT_IN_HASH}
        payload["engine_version"] = engine_version(self.engine)
        payload["ocr_pipeline"] = PIPELINE_VERSION
        blob = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


# Bump when preprocessing or result assembly changes in a way that changes output.
PIPELINE_VERSION = "1"


@lru_cache(maxsize=None)
def engine_version(engine: str) -> str:
    """Version string of the engine (package and model), cached per process."""
    if engine == "rapidocr":
        try:
            return "rapidocr-" + metadata.version("rapidocr")
        except metadata.PackageNotFoundError:
            return "rapidocr-missing"
    if engine != "tesseract":
        return engine  # a registered engine (ocr.engines.register_engine)
    try:
        import pytesseract

        return "tesseract-" + str(pytesseract.get_tesseract_version())
    except Exception:  # tesseract missing: hashing must not fail
        return "tesseract-missing"
