"""OCR engines behind one interface (ocr.engines.base.OcrEngine), found by name.

Every engine is a plug-in, the built-in ones included: an entry point of the group
`casefile.ocr_engines` names its OcrEngine class (pyproject.toml declares rapidocr and
tesseract exactly as another package would declare its own):

    [project.entry-points."casefile.ocr_engines"]
    myengine = "mypackage.ocr:MyEngine"

A class can also be registered at run time with `register_engine` (a CASEFILE_PLUGINS module,
a test: tests/faults.py registers one that crashes or hangs on purpose).
"""
from __future__ import annotations

from functools import lru_cache
from importlib import metadata

from ocr.engines.base import EngineOptions, OcrEngine

GROUP = "casefile.ocr_engines"
_registered: dict[str, type[OcrEngine]] = {}


class UnknownEngine(LookupError):
    pass


@lru_cache(maxsize=1)
def _entry_points() -> dict[str, metadata.EntryPoint]:
    return {ep.name: ep for ep in metadata.entry_points(group=GROUP)}


def _checked(name: str, engine: object) -> type[OcrEngine]:
    if not (isinstance(engine, type) and issubclass(engine, OcrEngine)):
        raise TypeError(f"OCR engine {name!r} is not an ocr.engines.base.OcrEngine subclass: {engine!r}")
    if getattr(engine, "name", None) != name:
        raise TypeError(f"OCR engine registered as {name!r} is named {getattr(engine, 'name', None)!r}")
    if not (isinstance(engine.Options, type) and issubclass(engine.Options, EngineOptions)):
        raise TypeError(f"OCR engine {name!r}: Options must subclass ocr.engines.base.EngineOptions")
    return engine


def register_engine(engine: type[OcrEngine]) -> type[OcrEngine]:
    """Make `engine` selectable by its name (usable as a class decorator). A name another class
    already holds, through an entry point or an earlier call, is refused."""
    name = getattr(engine, "name", None)
    _checked(str(name), engine)
    held = _registered.get(name)
    if held is None and name in _entry_points():
        held = engine_class(name)
    if held is not None and held is not engine:
        raise ValueError(f"OCR engine name {name!r} is already taken by {held.__module__}.{held.__qualname__}")
    _registered[name] = engine
    return engine


def engine_class(name: str) -> type[OcrEngine]:
    """The engine class called `name`; its entry point is loaded (imported) on first use."""
    engine = _registered.get(name)
    if engine is not None:
        return engine
    point = _entry_points().get(name)
    if point is None:
        known = ", ".join(engine_names()) or "none: is casefile installed (pip install -e .)?"
        raise UnknownEngine(f"unknown OCR engine {name!r}; known: {known}")
    engine = _registered[name] = _checked(name, point.load())
    return engine


def engine_names() -> tuple[str, ...]:
    return tuple(sorted(set(_entry_points()) | set(_registered)))


__all__ = ["GROUP", "EngineOptions", "OcrEngine", "UnknownEngine", "engine_class", "engine_names", "register_engine"]
