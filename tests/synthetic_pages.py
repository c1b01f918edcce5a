"""Synthetic OCR pages for tests: one row/cell description → PageText in either OCR style.

    rows = [
        [(0, "姓    名"), (6, "周立新"), (12, "性别"), (16, "男")],
        [(0, "出生年月"), (6, "1975年3月")],
    ]
    page_from_rows(rows, style="cells")  # RapidOCR-like: one Line per cell
    page_from_rows(rows, style="lines")  # tesseract-like: one Line per row, cells joined by a space

A cell is (column, text); a column is COL px wide. A Han character is CHAR_W px wide, other
characters half that; rows are ROW_STEP px apart. Test code only (it lived in extract/ until issue #14 moved tooling out of the product).
"""
from __future__ import annotations

from typing import Literal

from core.types import Line, PageText, Word

CHAR_W = 30
COL = 30
ROW_H = 40
ROW_STEP = 60
LEFT = 100
TOP = 100

Cell = tuple[int, str]


def text_width(text: str) -> int:
    return sum(CHAR_W if ord(c) > 0x2000 else CHAR_W // 2 for c in text)


def _cell_line(col: int, text: str, y: int, conf: float) -> Line:
    x0 = LEFT + col * COL
    box = (x0, y, x0 + text_width(text), y + ROW_H)
    return Line(text=text, bbox=box, conf=conf, words=(Word(text, box, conf),))


def page_from_rows(
    rows: list[list[Cell]],
    style: Literal["cells", "lines"] = "cells",
    *,
    conf: float = 0.95,
    width: int = 2480,
    height: int = 3508,
) -> PageText:
    lines: list[Line] = []
    for i, row in enumerate(rows):
        y = TOP + i * ROW_STEP
        cells = [_cell_line(col, text, y, conf) for col, text in sorted(row)]
        if not cells:
            continue
        if style == "cells":
            lines.extend(cells)
        else:
            text = " ".join(c.text for c in cells)
            box = (cells[0].bbox[0], y, max(c.bbox[2] for c in cells), y + ROW_H)
            lines.append(Line(text=text, bbox=box, conf=conf, words=tuple(w for c in cells for w in c.words)))
    engine = "rapidocr" if style == "cells" else "tesseract"
    return PageText(width=width, height=height, lines=lines, source="ocr", engine=engine)


def page_from_text(text: str, style: Literal["cells", "lines"] = "lines", **kw) -> PageText:
    """Each text line → a row; runs of 3+ spaces split a row into cells at their column."""
    import re

    rows: list[list[Cell]] = []
    for raw in text.splitlines():
        cells: list[Cell] = []
        for m in re.finditer(r"\S(?:.*?\S)??(?=\s{3,}|$)", raw):
            col = text_width(raw[: m.start()]) // COL
            cells.append((col, m.group()))
        rows.append(cells)
    return page_from_rows(rows, style, **kw)


def line_with(page: PageText, fragment: str) -> Line:
    """The first line of `page` containing `fragment` (for bbox assertions)."""
    for line in page.lines:
        if fragment in line.text:
            return line
    raise LookupError(fragment)


def check_fields(fields: dict, page: PageText, expected: dict[str, tuple[str, str]]) -> None:
    """Assert the exact set of fields, each value, a confidence in (0, 1], and that each bbox is
    the Line holding `fragment` — expected maps field name to (value, fragment)."""
    assert set(fields) == set(expected)
    for name, (value, fragment) in expected.items():
        f = fields[name]
        assert f.value == value, name
        assert f.bbox == line_with(page, fragment).bbox, (name, f.raw)
        assert 0 < f.confidence <= 1, name
