"""Names as the case stage sees them: the roster's former names (曾用名) on top of same_name.

Normalising and comparing names (same / homophone / different, sound keys) lives in
extract/normalize/names.py; only what is about a roster entry is here.
"""
from __future__ import annotations

import re
from typing import Literal

from extract.normalize.names import normalize_name, same_name

# How a document's name stands to a roster person's: name_relation gives the first four; "unsure"
# (theirs but for characters the OCR read unsure) comes from RosterBook.reconciling.
CaseNameRelation = Literal["same", "homophone", "different", "alias", "unsure"]

FORMER_NAME_COLUMN = "曾用名"
_FORMER_NAME_SEPARATORS = re.compile(r"[,，、;；/]")


def aliases(attributes: dict[str, str]) -> tuple[str, ...]:
    """Former names (曾用名) listed in a roster row, split on common separators, normalised."""
    raw = attributes.get(FORMER_NAME_COLUMN, "")
    return tuple(n for n in (normalize_name(p) for p in _FORMER_NAME_SEPARATORS.split(raw)) if n)


def name_relation(doc_name: str | None, roster_name: str, former_names: tuple[str, ...] = ()) -> CaseNameRelation:
    """same_name against the roster name, plus "alias" when it equals a recorded 曾用名."""
    relation = same_name(doc_name, roster_name)
    if relation != "same" and normalize_name(doc_name) in former_names:
        return "alias"
    return relation
