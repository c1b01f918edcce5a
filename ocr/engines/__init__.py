"""OCR engines behind one interface (ocr.engines.base.OcrEngine).

rapidocr and tesseract are built in (ocr/page.py builds them). `register_engine` adds another
by name; the test suite registers one that crashes or hangs on purpose (tests/faults.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from ocr.engines.base import OcrEngine
    from ocr.options import OcrOptions

BUILT_IN = ("rapidocr", "tesseract")
_registered: dict[str, Callable[["OcrOptions"], "OcrEngine"]] = {}


def register_engine(name: str, factory: Callable[["OcrOptions"], "OcrEngine"]) -> None:
    if name in BUILT_IN:
        raise ValueError(f"OCR engine {name!r} is built in")
    _registered[name] = factory


def registered_engine(name: str) -> Callable[["OcrOptions"], "OcrEngine"] | None:
    return _registered.get(name)


def engine_names() -> tuple[str, ...]:
    return BUILT_IN + tuple(sorted(_registered))
