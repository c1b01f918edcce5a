"""Where a line's text names a field: the labels of the vocabulary (extract/labels.py) and of the
active lexicon found in it, a label never seen before read by its words, and a label about another
person (父亲工作单位) told apart. extract/document.py gives every line its hits."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extract import lexicon
from extract.labels import DISTRACTORS, INFERRED_LABELS, LABELS, NOT_THE_VETERAN, PERSON_LABEL_END, WEAK
from extract.normalize.text import HAN, is_han


@dataclass(frozen=True)
class LabelHit:
    key: str  # concept key of extract/labels.LABELS, or "other"
    label: str  # canonical label text
    start: int  # label span in the TLine's NFKC text
    end: int  # end of label plus its colon/spaces: where the value starts
    weak: bool


def _label_regex(label: str) -> str:
    return r"\s*".join(re.escape(c) for c in label if not c.isspace())


@lru_cache(maxsize=8)
def _vocabulary(extra: tuple[tuple[str, str], ...] = ()) -> tuple[re.Pattern, dict[str, tuple[str, str]]]:
    """The label pattern of the built-in vocabulary plus a lexicon's learned labels (which never
    displace a built-in one)."""
    by_text: dict[str, tuple[str, str]] = {}
    for key, labels in LABELS.items():
        for label in labels:
            by_text.setdefault(label, (key, label))
    for label in DISTRACTORS:
        by_text.setdefault(label, ("other", label))
    for key, label in extra:
        by_text.setdefault(label, (key, label))
    alternatives = sorted(by_text, key=len, reverse=True)
    pattern = re.compile("(?P<lab>" + "|".join(_label_regex(a) for a in alternatives) + r")\s*:?\s*")
    return pattern, by_text


_LEADING_LABEL = re.compile(rf"^\s*(?P<lab>[{HAN}]{{2,7}})\s*(?::|$)")


def _inferred_label(text: str, hits: list[LabelHit]) -> LabelHit | None:
    """A label never seen before, read by its words (labels.INFERRED_LABELS), at the start of the
    line when no known label begins there."""
    m = _LEADING_LABEL.match(text)
    if m is None or any(h.start < m.end("lab") for h in hits):
        return None
    label = m.group("lab")
    if any(word in label for word in NOT_THE_VETERAN) or label in DISTRACTORS:
        return None
    for key, heads, qualifiers in INFERRED_LABELS:
        if any(h in label for h in heads) and (not qualifiers or any(q in label for q in qualifiers)):
            return LabelHit(key, label, m.start("lab"), m.end(), False)
    if label.endswith(PERSON_LABEL_END) and len(label) >= 3:
        return LabelHit("name", label, m.start("lab"), m.end(), False)
    return None


def _about_someone_else(text: str, start: int) -> bool:
    before = re.search(rf"[{HAN}]{{1,4}}$", text[:start])
    return bool(before) and any(word in before.group() for word in NOT_THE_VETERAN)


def find_labels(text: str) -> list[LabelHit]:
    hits = _known_labels(text)
    inferred = _inferred_label(text, hits)
    return [inferred, *hits] if inferred else hits


def _known_labels(text: str) -> list[LabelHit]:
    pattern, by_text = _vocabulary(lexicon.active().extra)
    hits: list[LabelHit] = []
    pos = 0
    while True:
        m = pattern.search(text, pos)
        if m is None:
            return hits
        canonical = "".join(m.group("lab").split())
        key, label = by_text[canonical]
        weak = label in WEAK
        if weak and m.start() > 0 and is_han(text[m.start() - 1]):
            pos = m.start() + 1
            continue
        if _about_someone_else(text, m.start()):
            key = "other"  # 父亲工作单位, 配偶姓名: a field of another person
        hits.append(LabelHit(key, label, m.start(), m.end(), weak))
        pos = m.end()
