"""The one interface every OCR engine implements."""
from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

from core.types import Line


@runtime_checkable
class OcrEngine(Protocol):
    """Reads an already preprocessed page image.

    `read` takes a grey (HxW) or BGR (HxWx3) uint8 array and returns text lines whose boxes are
    in that array's pixel coordinates; ocr/page.py maps them back to the original page.
    Raises core.errors.OcrTimeout / OcrFailed.
    """

    name: str

    def read(self, image: np.ndarray) -> list[Line]: ...
