"""People listed in a table (待安置生活补助费发放花名册): one {name, id_number} per row.

extract_fields returns one value per field, so for a payroll it reports the first row only.
person_rows gives every row, for a caller that can link one list to several cases.

Rows are the lines below the 姓名 column header, grouped by row (vertical overlap). In a
cell-per-line page the name is the cell under the 姓名 header; in a merged-line page it is the
first 2–4 Han characters of the row. The ID number is any ID-shaped number in the row (checked
and normalised like any other). Reading stops at a 合计 / 制表 line.
"""
from __future__ import annotations

import re

from core.types import ExtractedField

from extract import layout
from extract.anchors import candidate
from extract.document import DocText, TLine
from extract.values import parse_id, parse_name

STOP = re.compile(r"合\s*计|制\s*表|审\s*核|总\s*计")
ROW_RULE = 0.85


def _rows(lines: list[TLine]) -> list[list[TLine]]:
    rows: list[list[TLine]] = []
    for tl in sorted(lines, key=lambda t: (t.bbox[1], t.bbox[0])):
        if rows and any(layout.same_row(tl.bbox, o.bbox) for o in rows[-1]):
            rows[-1].append(tl)
        else:
            rows.append([tl])
    return [sorted(r, key=lambda t: t.bbox[0]) for r in rows]


def person_rows(doc: DocText) -> list[dict[str, ExtractedField]]:
    headers = [(tl, h) for tl, h in doc.hits("name") if not tl.text[slice(*tl.value_span(h))].strip()]
    if not headers:
        return []
    head, hit = headers[0]
    col = head.label_box(hit)
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
        out.append(found)
    return out
