"""What every view needs from the rest of casefile: the pipeline options and the dispatcher of
the configured mode."""
from __future__ import annotations

from functools import lru_cache

from casefile.config import get_settings
from pipeline.options import PipelineOptions, from_settings


@lru_cache(maxsize=1)
def options() -> PipelineOptions:
    return from_settings()


def dispatcher():
    if get_settings().distributed:
        from workers.dispatch import CeleryDispatcher

        return CeleryDispatcher()
    from workers.local import DeferredLocalDispatcher

    return DeferredLocalDispatcher(options())
