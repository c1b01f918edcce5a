"""Labels learned from a bureau's reviewers, on top of the built-in vocabulary (extract/labels.py).

A `Lexicon` holds extra (concept, label) pairs: when a reviewer confirms or types a field value,
the label printed next to that value on the page (a wording casefile did not know, e.g. 转业时间
on a county's own form) is added to the field's concept. `using(lexicon)` makes it the active
one for the extraction inside the `with` block; label matching (extract/document.find_labels)
reads the active lexicon, so every extractor sees the learned labels without being told. Which
label a reviewer's value sat beside is read by extract/label_learning.py.
"""
from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass

from extract.labels import LABELS


@dataclass(frozen=True)
class Lexicon:
    extra: tuple[tuple[str, str], ...] = ()  # (concept, label), sorted

    def with_label(self, concept: str, label: str) -> "Lexicon":
        if concept not in LABELS:
            raise ValueError(f"unknown label concept {concept!r}")
        return Lexicon(tuple(sorted(set(self.extra) | {(concept, label)})))

    def labels(self, concept: str) -> tuple[str, ...]:
        return tuple(label for c, label in self.extra if c == concept)


_ACTIVE: contextvars.ContextVar[Lexicon] = contextvars.ContextVar("casefile_lexicon", default=Lexicon())


def active() -> Lexicon:
    return _ACTIVE.get()


@contextmanager
def using(lexicon: Lexicon | None):
    token = _ACTIVE.set(lexicon or Lexicon())
    try:
        yield
    finally:
        _ACTIVE.reset(token)
