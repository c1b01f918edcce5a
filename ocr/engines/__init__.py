"""OCR engines behind one interface (ocr.engines.base.OcrEngine).

rapidocr and tesseract are built in (ocr/page.py builds them). `register_engine` adds another
by name; the test suite registers one that crashes or hangs on purpose (tests/faults.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from ocr.engines.base import OcrEngine

# The names live here, with the engines; ocr/options.py checks OcrOptions.engine against them.
BUILT_IN = ("rapidocr", "tesseract")

# Called with the page's OcrOptions. Typed loosely on purpose: the engines never import the
# options module that validates their names, so the two do not import each other.
EngineFactory = Callable[..., "OcrEngine"]
_registered: dict[str, EngineFactory] = {}


def register_engine(name: str, factory: EngineFactory) -> None:
    if name in BUILT_IN:
        raise ValueError(f"OCR engine {name!r} is built in")
    _registered[name] = factory


def registered_engine(name: str) -> EngineFactory | None:
    return _registered.get(name)


def engine_names() -> tuple[str, ...]:
    return BUILT_IN + tuple(sorted(_registered))
