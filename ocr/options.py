"""OcrOptions: the typed, closed set of switches that change what OCR reads.

The switches every engine shares are fields of OcrOptions; each engine's own are its Options
model (ocr/engines/base.py), held in `engine_options` and chosen by `engine`. They may also be
given flat, as before: OcrOptions(engine="tesseract", table_cells=False) puts table_cells in
the tesseract options, and a switch the chosen engine does not have is refused.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

import pydantic
from pydantic import Field, SerializeAsAny, model_validator

from ocr.engines import EngineOptions, UnknownEngine, engine_class
from ocr.engines.rapid import models_fingerprint

# Fields that change how fast or how robustly a page is read, never what is read.
# They are left out of options_hash so that tuning them does not mark results stale.
_NOT_IN_HASH = frozenset({"timeout_s", "threads"})

DEFAULT_ENGINE = "rapidocr"


class OcrOptions(pydantic.BaseModel, extra="forbid", frozen=True):
    """How one page is read. Built once by the pipeline; recorded with every result."""

    engine: str = Field(
        DEFAULT_ENGINE,
        description="OCR engine. rapidocr (PP-OCR det+rec, ONNX) found 100% of key values on our rendered "
        "evidence pages, tesseract with all preprocessing and table cells 58-80% (ocr/README.md).",
    )
    fix_orientation: bool = Field(True, description="Detect and undo 90/180/270 page rotation.")
    deskew: bool = Field(True, description="Projection-profile deskew, ±5° (minAreaRect is wrong on forms).")
    suppress_seals: bool = Field(True, description="Use the red channel as grey: red seal ink turns white.")
    timeout_s: float = Field(180.0, gt=0, description="Timeout per external call an engine makes (a tesseract run).")
    threads: int = Field(
        1, ge=1, le=64, description="onnxruntime intra-op threads (1 = one per process in a pool)."
    )
    engine_options: SerializeAsAny[EngineOptions] = Field(
        default=None, validate_default=False,  # always set by _engine_options below
        description="The engine's own switches: an instance of its Options model.",
    )

    @model_validator(mode="before")
    @classmethod
    def _engine_options(cls, data: Any) -> Any:
        """Validate the engine's own switches with the chosen engine's Options model."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        name = data.get("engine", DEFAULT_ENGINE)
        try:
            options_model = engine_class(name).Options
        except UnknownEngine as exc:
            raise ValueError(str(exc)) from None
        flat = {key: data.pop(key) for key in list(data) if key not in cls.model_fields}
        given = data.get("engine_options")
        if isinstance(given, options_model) and not flat:
            return data
        if isinstance(given, pydantic.BaseModel):
            given = given.model_dump()
        data["engine_options"] = options_model.model_validate({**(given or {}), **flat})
        return data

    def options_hash(self) -> str:
        """Short stable hash of everything that changes results: the options, the engine's version,
        model files and runtime, the orientation detector's models when it runs, PIPELINE_VERSION."""
        payload = {k: v for k, v in self.model_dump().items() if k not in _NOT_IN_HASH}
        payload["engine_fingerprint"] = engine_fingerprint(self.engine, self.engine_options)
        if self.fix_orientation:
            payload["orientation_models"] = models_fingerprint()
        payload["ocr_pipeline"] = PIPELINE_VERSION
        blob = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


# Bump when preprocessing or result assembly changes in a way that changes output.
PIPELINE_VERSION = "1"


@lru_cache(maxsize=None)
def engine_fingerprint(engine: str, options: EngineOptions) -> dict:
    """The engine's fingerprint (package, model files, runtime), cached per process."""
    return engine_class(engine).fingerprint(options)
