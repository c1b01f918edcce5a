"""Comparing a person's name across documents: same, homophone or different.

Kept small on purpose; the lead will merge it with extract/normalize's `same_name` later.

- same: equal after NFKC (full-width → half-width) and removing spaces and separator dots
  (`周 立新` = `周立新`, `阿依古丽·买买提` = `阿依古丽买买提`).
- homophone: same length and every character shares a toneless pinyin reading (polyphonic
  characters count with all their readings): `周利新` vs `周立新` (domain.md §6.4, 同音字 or 曾用名).
  Traditional forms of the same character also land here (週 = 周 in sound), which is the
  cautious outcome: a warning for a human, never a silent pass.
- different: anything else. Visually similar OCR misreads are "different" on purpose; whether two
  spellings are the same person is then for the clerk (with the ID or dates as evidence).
"""
from __future__ import annotations

import re
import unicodedata
import itertools
from functools import lru_cache
from typing import Literal

from pypinyin import Style, pinyin

NameRelation = Literal["same", "homophone", "different"]

_IGNORED = re.compile(r"[\s·•・.．\u3000]+")


def normalize_name(raw: str | None) -> str:
    if not raw:
        return ""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", str(raw)))


@lru_cache(maxsize=4096)
def _readings(ch: str) -> frozenset[str]:
    return frozenset(r.lower() for r in pinyin(ch, style=Style.NORMAL, heteronym=True)[0])


def same_name(a: str | None, b: str | None) -> NameRelation:
    x, y = normalize_name(a), normalize_name(b)
    if not x or not y:
        return "different"
    if x == y:
        return "same"
    if len(x) == len(y) and all(_readings(p) & _readings(q) for p, q in zip(x, y)):
        return "homophone"
    return "different"


def sound_keys(raw: str | None) -> frozenset[tuple[str, ...]]:
    """Every toneless pinyin spelling of the name. Two names are the same or homophones exactly
    when their key sets intersect, so a dict keyed by these finds candidates without a scan."""
    name = normalize_name(raw)
    if not name:
        return frozenset()
    return frozenset(itertools.product(*(sorted(_readings(ch)) for ch in name)))


def aliases(attributes: dict[str, str]) -> tuple[str, ...]:
    """Former names (曾用名) listed in a roster row, split on common separators."""
    raw = attributes.get("曾用名", "")
    return tuple(n for n in (normalize_name(p) for p in re.split(r"[,，、;；/]", raw)) if n)


def name_relation(doc_name: str | None, roster_name: str, former_names: tuple[str, ...] = ()) -> str:
    """same_name against the roster name, plus "alias" when it equals a recorded 曾用名."""
    relation = same_name(doc_name, roster_name)
    if relation != "same" and normalize_name(doc_name) in former_names:
        return "alias"
    return relation
