"""Reading, beside a reviewer's value, the label a form printed for it (the learning half of the
lexicon, extract/lexicon.py): `label_beside` finds the wording casefile did not know, and
pipeline/learning.py adds it to that field's concept. Kept apart from the lexicon because it reads
pages with DocText, which itself reads the active lexicon."""
from __future__ import annotations

import re

from core.types import PageText
from extract import layout
from extract.document import DocText, find_labels
from extract.normalize.dates import find_dates
from extract.normalize.idnumbers import find_id_numbers
from extract.normalize.text import HAN

# Which label concept feeds which field (the per-type extractors decide; this is the usual one).
FIELD_CONCEPTS: dict[str, str] = {
    "name": "name", "gender": "gender", "birth_date": "birth", "id_number": "id_number",
    "enlistment_date": "enlist_date", "discharge_date": "discharge_date", "service_unit": "service_unit",
    "placement_unit": "dest_unit", "placement_date": "open_date", "employer": "employer",
    "termination_date": "term_date", "termination_reason": "term_reason", "issue_date": "issue_date",
    "former_name": "former_name", "stated_service": "stated_service", "placement_method": "placement_method",
    "report_date": "report_date", "paid_period": "paid_period", "military_status": "military_status",
}


_LABEL_TEXT = re.compile(rf"[{HAN}()（）]{{2,8}}$")  # labels are short; 兹证明周立新同志于 is a sentence
# A label names its value's kind with a head word (…时间, …号码, …单位); text beside a value
# without one is another value (a name left of an ID number, the issuer above a date), not a label.
LABEL_HEADS: dict[str, tuple[str, ...]] = {
    "date": ("时间", "日期", "年月", "时期", "日"),
    "id_number": ("号码", "证号", "号"),
    "name": ("姓名", "名字", "名", "人"),
    "unit": ("单位", "部队", "名称", "部别", "去向"),
    "other": ("原因", "方式", "性别", "类别", "理由", "依据", "年限", "兵龄", "军龄", "状况", "期间", "款项", "项目"),
}
_TRIM = " :：()（）|"


def label_beside(pages: list[tuple[int, PageText]], field: str, value: str) -> tuple[str, str] | None:
    """The (concept, label) printed next to a reviewer's `value` of `field` on these pages, when
    it is a wording the vocabulary does not know yet; None when the value is not found on the
    page, sits under a known label, or has no label-like text beside it (prose)."""
    concept = FIELD_CONCEPTS.get(field)
    if concept is None or not value:
        return None
    doc = DocText(pages)
    for tl in doc.lines:
        start = _value_at(tl.text, field, value)
        if start is None:
            continue
        before = "".join(tl.text[:start].split()).strip(_TRIM)
        if before:  # text before the value on its line: a label, or a sentence (prose teaches nothing)
            return (concept, before) if _label_like(field, before) and _unknown(before) else None
        # else the cell to its left, or the cell just above it
        cells = sorted((t for t in doc.lines if _left_cell(tl, t)), key=lambda t: -t.bbox[2])
        cells += [t for t in doc.lines if _cell_above(tl, t)]
        for cell in cells:
            label = "".join(cell.text.split()).strip(_TRIM)
            if _label_like(field, label):
                return (concept, label) if _unknown(label) else None
        return None
    return None


def _label_like(field: str, text: str) -> bool:
    kind = ("date" if field.endswith("_date") else field if field in ("id_number", "name")
            else "unit" if field.endswith(("unit", "employer")) else "other")
    return bool(_LABEL_TEXT.match(text)) and any(head in text for head in LABEL_HEADS[kind])


def _value_at(text: str, field: str, value: str) -> int | None:
    if field.endswith("_date"):
        for found in find_dates(text):
            if found.value[:7] == value[:7]:
                return found.start
        return None
    if field == "id_number":
        found = next((i for i in find_id_numbers(text) if i.value == value), None)
        return found.start if found else None
    i = text.find(value)
    return i if i >= 0 else None


def _left_cell(value_line, other) -> bool:
    """`other` is the cell to the left of the value's on the same row."""
    return other is not value_line and layout.right_of(other.bbox, value_line.bbox) and \
        value_line.bbox[0] - other.bbox[2] <= 10 * layout.height(value_line.bbox)


def _cell_above(value_line, other) -> bool:
    """`other` is a short cell right above the value's (a label printed over its value)."""
    return other is not value_line and layout.below(other.bbox, value_line.bbox, max_lines=1.5) and \
        layout.h_overlap(other.bbox, value_line.bbox) > 0 and len(other.text.strip()) <= 8


def _unknown(label: str) -> bool:
    hits = find_labels(label)
    return not (hits and hits[0].start == 0 and hits[0].end >= len(label))
