"""The OCR engine plug-in interface: one class per engine, found by its name (ocr/engines/__init__.py).

An engine class owns everything that is particular to it:

- `name`: what OcrOptions.engine (CASEFILE_OCR_ENGINE, `casefile run --engine`) selects it by;
- `Options`: a pydantic model of its own switches (OcrOptions.engine_options holds one; an engine
  without switches keeps the empty `EngineOptions`);
- `fingerprint(options)`: what it reads with (package version, model files, runtime), recorded
  in OcrOptions.options_hash(), so results read by another model or runtime are told apart;
- `reads_colour`: handed the colour page when seals are not suppressed (else the grey page);
- `prepare(image)`: its own preparation of the upright, deskewed page (scaling, binarisation),
  returning the 3x3 matrix of any geometric change so boxes map back to the original;
- `read(image)`: text lines with boxes in the prepared image's coordinates.

ocr/page.py does what is common to every engine (grey or red channel, orientation, deskew,
mapping boxes back, reading order) and never asks which engine it runs.
"""
from __future__ import annotations

import abc
import hashlib
from pathlib import Path
from typing import ClassVar

import numpy as np
import pydantic

from core.types import Line


class EngineOptions(pydantic.BaseModel, extra="forbid", frozen=True):
    """Base of every engine's own options: closed to unknown keys, frozen, hashable."""


class OcrEngine(abc.ABC):
    """Reads an already preprocessed page image. Raises core.errors.OcrTimeout / OcrFailed.

    Built per page from the page's options (cheap: heavy state such as ONNX sessions is cached
    per process by the engine module). `threads` and `timeout_s` change speed, never text."""

    name: ClassVar[str]
    Options: ClassVar[type[EngineOptions]] = EngineOptions
    reads_colour: ClassVar[bool] = False

    def __init__(self, options: EngineOptions | None = None, *, threads: int = 1, timeout_s: float = 180.0,
                 **fields):
        """`options` is the engine's Options; without it, `fields` build one (TesseractEngine(table_cells=False))."""
        if options is None:
            options = self.Options(**fields)
        elif fields:
            raise TypeError("pass the engine's options or its fields, not both")
        self.options = options
        self.threads = threads
        self.timeout_s = timeout_s

    @classmethod
    @abc.abstractmethod
    def fingerprint(cls, options: EngineOptions) -> dict:
        """JSON-able description of the engine, its model files and its runtime, for options_hash."""

    def prepare(self, image: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """The image the engine reads, and the 3x3 matrix mapping `image` to it (None: unchanged)."""
        return image, None

    @abc.abstractmethod
    def read(self, image: np.ndarray) -> list[Line]: ...


def file_digest(path: Path | str) -> str:
    """sha256 of a model file (first 16 hex digits), read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]
