"""What every view needs from the rest of casefile: the pipeline options and the dispatcher of
the configured mode."""
from __future__ import annotations

from config.options import PipelineOptions, pipeline_options
from config.settings import get_settings


def options() -> PipelineOptions:
    """The options of the settings the WSGI process started with and of the policy file as it
    is now: an edited policy reaches the next page (config/options.py keeps the one cache)."""
    return pipeline_options(get_settings())


def dispatcher():
    if get_settings().distributed:
        from workers.dispatch import CeleryDispatcher

        return CeleryDispatcher()
    from workers.local import DeferredLocalDispatcher

    return DeferredLocalDispatcher(options())
