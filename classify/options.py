"""ClassifyOptions: which page model file reads the pages, when not the shipped or learned one."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pydantic
from pydantic import Field

from classify.model import PageModel, default_model


class ClassifyOptions(pydantic.BaseModel, extra="forbid", frozen=True):
    model_path: str | None = Field(
        None, description="A page model file (.npz, `casefile train --out`) to use instead of the "
        "workspace's learned one or the shipped one, e.g. a model of one template family for measurement.",
    )

    def model(self) -> PageModel | None:
        return _load(self.model_path) if self.model_path else default_model()


@lru_cache(maxsize=8)
def _load(path: str) -> PageModel:
    return PageModel.load(Path(path))
