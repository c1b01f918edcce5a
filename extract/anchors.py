"""Label-anchored extraction and candidate bookkeeping.

For a label hit the value is looked for, in this order (docs/findings.md#label-anchored-extraction):
1. on the same line after the label, up to the next label (tesseract's long lines
   "姓名 周立新 性别 男" and cells like "姓名：周立新");
2. in the nearest line to the right on the same row (RapidOCR's cell per line), then in the
   run of right-hand cells joined (ID numbers printed in spaced groups come as several boxes);
3. in the nearest line directly below (column headers, label above value).
On a page that prints its labels under the lines (DocText.captions_below) the line right over
the label is tried before all of these.
A step that finds a non-empty, unlabelled text which does not parse ends the search: the value
is there but unreadable, and we must not take a neighbouring row's value instead.

Every result is a FieldCandidate; per field the candidate with the highest rule confidence wins
(then OCR confidence, then document order). Confidence reported = rule × OCR line confidence.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.types import BBox, ExtractedField, union_bbox

from extract.document import DocText, LabelHit, TLine
from extract.values import Parsed, Parser

SAME_LINE = 1.0
RIGHT = 0.95
RIGHT_JOINED = 0.9
BELOW = 0.85
ABOVE = 0.85  # only on pages whose captions sit under their values
WEAK_LABEL = 0.9


@dataclass(frozen=True)
class FieldCandidate:
    """One value read for a field, with where it stands and how sure the rule and the OCR are;
    `pick` chooses among a field's candidates."""

    field: str
    value: str
    raw: str
    rule_conf: float
    ocr_conf: float
    page: int
    bbox: BBox
    order: int

    def to_field(self) -> ExtractedField:
        return ExtractedField(
            name=self.field,
            value=self.value,
            raw=self.raw,
            confidence=round(max(0.0, min(1.0, self.rule_conf * self.ocr_conf)), 3),
            page=self.page,
            bbox=self.bbox,
        )


def pick(cands: list[FieldCandidate]) -> FieldCandidate | None:
    if not cands:
        return None
    return max(cands, key=lambda c: (round(c.rule_conf, 3), c.ocr_conf, -c.order))


def candidate(field: str, parsed: Parsed, tl: TLine, offset: int, rule: float) -> FieldCandidate:
    """A candidate whose value sits at tl.text[offset + parsed.start : offset + parsed.end]."""
    return FieldCandidate(
        field=field,
        value=parsed.value,
        raw=tl.raw(offset + parsed.start, offset + parsed.end),
        rule_conf=rule * parsed.conf,
        ocr_conf=tl.conf,
        page=tl.page,
        bbox=tl.src_bbox,
        order=tl.order,
    )


def _blank(text: str) -> bool:
    return not text.strip(" :()[]|.-_")


def _joined_candidate(field: str, parser: Parser, cells: list[TLine], rule: float) -> FieldCandidate | None:
    texts = [tl.text[: tl.free_prefix()[1]] for tl in cells]
    joined = " ".join(texts)
    parsed = parser(joined)
    if parsed is None:
        return None
    # map the parsed span onto the cells it covers
    covered, pos = [], 0
    for tl, t in zip(cells, texts):
        if pos < parsed.end and parsed.start < pos + len(t):
            covered.append(tl)
        pos += len(t) + 1
    covered = covered or cells[:1]
    return FieldCandidate(
        field=field,
        value=parsed.value,
        raw=" ".join(tl.line.text for tl in covered),
        rule_conf=rule * parsed.conf,
        ocr_conf=min(tl.conf for tl in covered),
        page=covered[0].page,
        bbox=union_bbox([tl.src_bbox for tl in covered]),
        order=covered[0].order,
    )


def value_for_hit(doc: DocText, field: str, tl: TLine, hit: LabelHit, parser: Parser, base: float) -> FieldCandidate | None:
    if hit.weak:
        base *= WEAK_LABEL
    s, e = tl.value_span(hit)
    segment = tl.text[s:e]
    if not _blank(segment):
        parsed = parser(segment)
        return candidate(field, parsed, tl, s, base * SAME_LINE) if parsed else None
    box = tl.label_box(hit)
    if doc.captions_below(tl.page):
        # the value is written over the caption; the text to its right is the next caption's
        for cell in doc.above(tl, box)[:1]:
            parsed = None if cell.hits else parser(cell.text)
            if parsed:
                return candidate(field, parsed, cell, 0, base * ABOVE)
    if e == len(tl.text):  # the label ends its line: look right, then below
        right = doc.right_of(tl, tl.bbox)
        if right and not right[0].starts_with_label():
            first = right[0]
            ps, pe = first.free_prefix()
            parsed = parser(first.text[ps:pe])
            if parsed:
                return candidate(field, parsed, first, ps, base * RIGHT)
            run = []
            for cell in right:
                if cell.starts_with_label():
                    break
                run.append(cell)
            if len(run) > 1:
                joined = _joined_candidate(field, parser, run, base * RIGHT_JOINED)
                if joined:
                    return joined
            if not _blank(first.text[ps:pe]):
                return None
    for cell in doc.below(tl, box)[:1]:
        if cell.starts_with_label():
            return None
        ps, pe = cell.free_prefix()
        parsed = parser(cell.text[ps:pe])
        if parsed:
            return candidate(field, parsed, cell, ps, base * BELOW)
    return None


def from_labels(doc: DocText, field: str, keys: tuple[str, ...], parser: Parser, base: float = 0.95) -> list[FieldCandidate]:
    """One candidate per label hit of the given concepts that yields a valid value."""
    out = []
    for tl, hit in doc.hits(*keys):
        found = value_for_hit(doc, field, tl, hit, parser, base)
        if found is not None:
            out.append(found)
    return out


def fields_from(cands: dict[str, list[FieldCandidate]]) -> dict[str, ExtractedField]:
    """Best candidate per field → ExtractedField (fields without candidates are left out)."""
    out: dict[str, ExtractedField] = {}
    for name, lst in cands.items():
        best = pick(lst)
        if best is not None and best.value:
            out[name] = best.to_field()
    return out
