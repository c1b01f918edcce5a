"""People listed in a table (待安置生活补助费发放花名册): one {name, id_number, discharge_date}
per row.

extract_fields returns one value per field, so for a payroll it reports the first row only.
person_rows gives every row, for a caller that can link one list to several cases.

Rows are the lines below the 姓名 column header, grouped by row (vertical overlap). In a
cell-per-line page the name is the cell under the 姓名 header; in a merged-line page it is the
first 2–4 Han characters of the row. The ID number is any ID-shaped number in the row (checked
and normalised like any other). Other columns (COLUMNS: 退伍时间 → discharge_date) are read
from the cell under their header — in a merged-line page from the words under it, when the
OCR gave word boxes. Reading stops at a 合计 / 制表 line.
"""
from __future__ import annotations

import re

from core.types import BBox, ExtractedField

from extract import layout
from extract.anchors import candidate
from extract.document import DocText, LabelHit, TLine
from extract.normalize.text import nfkc, squeeze
from extract.values import Parser, parse_date_value, parse_id, parse_name

STOP = re.compile(r"合\s*计|制\s*表|审\s*核|总\s*计")
ROW_RULE = 0.85
# label concept of a column header → (field, parser)
COLUMNS: dict[str, tuple[str, Parser]] = {
    "discharge_date": ("discharge_date", parse_date_value),
}


def _rows(lines: list[TLine]) -> list[list[TLine]]:
    rows: list[list[TLine]] = []
    for tl in sorted(lines, key=lambda t: (t.bbox[1], t.bbox[0])):
        if rows and any(layout.same_row(tl.bbox, o.bbox) for o in rows[-1]):
            rows[-1].append(tl)
        else:
            rows.append([tl])
    return [sorted(r, key=lambda t: t.bbox[0]) for r in rows]


def _header_box(tl: TLine, hit: LabelHit) -> BBox:
    """The header cell's box: the word holding the label when the line has word boxes (a
    merged-line page), else the label's estimated part of the line."""
    if len(tl.line.words) > 1:
        for w in tl.line.words:
            if hit.label in squeeze(w.text):
                return w.bbox
    return tl.label_box(hit)


def _column_text(tl: TLine, col: BBox) -> tuple[int, int] | None:
    """The span of `tl` under column `col`: all of a cell; in a line spanning several columns,
    the words overlapping the column (None when its words do not say)."""
    if len(tl.line.words) <= 1 or layout.width(tl.bbox) <= 2 * layout.width(col):
        return 0, len(tl.text)
    pos, start, end = 0, None, None
    for w in tl.line.words:
        word = nfkc(w.text).strip()
        s = tl.text.find(word, pos) if word else -1
        if s < 0:
            return None  # the words do not spell the line: no telling where the column is
        pos = s + len(word)
        if layout.h_overlap(col, w.bbox) > 0:
            start = s if start is None else start
            end = pos
    return (start, end) if start is not None else None


def _columns(doc: DocText, head: TLine) -> list[tuple[str, Parser, BBox]]:
    """The other column headers on the 姓名 header's row: (field, parser, header box)."""
    out = []
    for tl, hit in doc.hits(*COLUMNS):
        if tl.page != head.page or not layout.same_row(head.bbox, tl.bbox):
            continue
        if not tl.text[slice(*tl.value_span(hit))].strip():  # a header, not "退伍时间：1996.12"
            field, parser = COLUMNS[hit.key]
            out.append((field, parser, _header_box(tl, hit)))
    return out


def person_rows(doc: DocText) -> list[dict[str, ExtractedField]]:
    headers = [(tl, h) for tl, h in doc.hits("name") if not tl.text[slice(*tl.value_span(h))].strip()]
    if not headers:
        return []
    head, hit = headers[0]
    col = _header_box(head, hit)
    columns = _columns(doc, head)
    below = [tl for tl in doc.on_page(head.page) if tl.bbox[1] >= head.bbox[3] - 0.3 * layout.height(head.bbox)]
    out: list[dict[str, ExtractedField]] = []
    for row in _rows(below):
        if any(STOP.search(tl.text) for tl in row):
            break
        if any(tl.starts_with_label() for tl in row):
            continue
        in_column = [tl for tl in row if layout.h_overlap(col, tl.bbox) > 0] or row[:1]
        found: dict[str, ExtractedField] = {}
        for tl in in_column:
            parsed = parse_name(tl.text)
            if parsed:
                found["name"] = candidate("name", parsed, tl, 0, ROW_RULE).to_field()
                break
        if "name" not in found:
            continue
        for tl in row:
            parsed = parse_id(tl.text)
            if parsed:
                found["id_number"] = candidate("id_number", parsed, tl, 0, ROW_RULE).to_field()
                break
        for field, parser, box in columns:
            for tl in row:
                if layout.h_overlap(box, tl.bbox) <= 0:
                    continue
                span = _column_text(tl, box)
                parsed = parser(tl.text[span[0]:span[1]]) if span else None
                if parsed:
                    found[field] = candidate(field, parsed, tl, span[0], ROW_RULE).to_field()
                    break
        out.append(found)
    return out
