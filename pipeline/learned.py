"""What the pipeline reads of the workspace's learned state (pipeline/learning.py writes it)."""
from __future__ import annotations

import io
from functools import lru_cache

from classify.model import PageModel, default_model
from config.options import PipelineOptions
from extract import EXTRACTOR_VERSION
from extract.lexicon import Lexicon
from pipeline.context import blob_store
from records.models import LearnedState


def active_state() -> LearnedState | None:
    return LearnedState.objects.filter(active=True).order_by("-pk").first()


def page_model(options: PipelineOptions) -> PageModel | None:
    """An explicit model file (CASEFILE_PAGE_MODEL) first, else the learned one, else shipped."""
    if options.classify.model_path:
        return options.classify.model()
    state = active_state()
    return _learned_model(state.pk, state.model_key) if state else default_model()


def classifier_version(model: PageModel | None) -> str:
    return model.version if model else "rules"


def lexicon() -> Lexicon:
    state = active_state()
    return Lexicon(tuple(sorted(tuple(p) for p in state.labels))) if state else Lexicon()


def extractor_version() -> str:
    """EXTRACTOR_VERSION, with the learned version whose labels the extraction used."""
    state = active_state()
    return f"{EXTRACTOR_VERSION}+L{state.pk}" if state and state.labels else EXTRACTOR_VERSION


@lru_cache(maxsize=4)
def _learned_model(pk: int, key: str) -> PageModel:
    return PageModel.load(io.BytesIO(blob_store().get(key)))
