"""Contribution records (缴费明细 / 参保证明, docs/documents.md#contribution-records): one period per table row.

    record = parse_contribution_record([(1, page)])
    record.periods[0]    # ContributionPeriod("1998-01", "2001-12", "paid", "pension", "青河县化肥厂", ...)
    record.unreadable    # raw rows that look like period rows but could not be read
    months_by_status(record)  # {"paid": frozenset({23977, ...}), "arrears": ..., ...}

A row is the OCR lines on one line of the page (cells of a RapidOCR table, or one tesseract
line). Its period is the first of `199801-200112`, `1998.01—2001.12`, `1998年01月至2001年12月`,
`1997年1月至9月` (year inherited) or a single month `199801`; its status comes from a marker
anywhere in the row (status column or flags column), its insurance from the row (险种 column) or
else the last title line naming one, its unit from the 单位名称 column under the header row.

Not rows: lines whose period or marker follows a label other than a period label
(首次参保时间：199801, 视同缴费月数：36（军龄 1993.12-1996.12）, 当前参保状态：暂停缴费) —
they describe the person, not a period of the table. Rows with a period but no status, an
impossible month, an end before the start, or a marker but no readable period are not guessed:
their raw text goes to `unreadable`, so the clerk sees everything that was not used.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from core.types import BBox, PageText, union_bbox

from extract import layout
from extract.document import DocText, TLine
from extract.fields import extract_fields
from extract.labels import LABELS
from extract.normalize.dates import month_index
from extract.normalize.text import is_han, nfkc, squeeze
from extract.normalize.units import normalize_unit

Status = Literal["paid", "arrears", "interrupted", "deemed", "back_paid"]
Insurance = Literal["pension", "medical", "unemployment", "unknown"]

# Strongest first (months_by_status): a posted payment settles the month whatever else a row
# says about it; a back-payment is a posted payment made late; a deemed month counts as paid
# without money; arrears (assessed, unpaid) says more than an interruption (nothing assessed).
STATUS_ORDER: tuple[Status, ...] = ("paid", "back_paid", "deemed", "arrears", "interrupted")

# Checked in this order within a row. Negative markers first: 未到账 / 应缴未缴 / 未足额到账
# contain or sit beside positive words, and say the money is not there. 补缴 / 视同 are flags on
# a row whose status column may also say 已到账.
STATUS_MARKERS: tuple[tuple[Status, tuple[str, ...]], ...] = (
    ("arrears", ("欠费", "欠缴", "应缴未缴", "未缴", "未到账", "未足额")),
    ("back_paid", ("补缴",)),
    ("deemed", ("视同",)),
    ("interrupted", ("暂停", "中断", "断缴", "停保")),
    ("paid", ("已缴", "足额到账", "已到账", "正常")),
)
INSURANCE_WORDS: tuple[tuple[Insurance, tuple[str, ...]], ...] = (
    ("pension", ("养老",)),
    ("medical", ("医疗", "医保")),
    ("unemployment", ("失业",)),
)

# Year 19xx/20xx (OCR may put a space inside it), then 年MM月, .MM, /MM, -MM or a compact MM.
_YM = r"(?P<y{n}>(?:1\s?9|2\s?0)\s?\d\s?\d)\s*(?:[年./-]\s*(?P<m{n}>\d{{1,2}})(?!\d)|(?P<c{n}>\d\d))\s*月?"
# Range separators as printed and as OCR reads them: the long dash often comes out as 一.
_DASHES = "\\-‐‑‒–—―~〜一"
_PERIOD = re.compile(
    rf"(?<![\d.]){_YM.format(n=1)}"
    rf"(?:\s*(?:[{_DASHES}]+|至|到)\s*(?:{_YM.format(n=2)}|(?P<mo>\d{{1,2}})\s*月))?"
    rf"(?P<dangling>\s*[{_DASHES}])?(?!\d)"
)
# The labels under which a period is a table value ("缴费起止年月：199801-200112").
_PERIOD_LABEL = re.compile(r"所属期|起止|缴费年月|缴费期间|参保期间|缴费时段")


@dataclass(frozen=True)
class ContributionPeriod:
    start: str  # YYYY-MM
    end: str  # YYYY-MM, inclusive
    status: Status
    insurance: Insurance
    unit: str | None  # 单位名称 of the row, normalised (normalize_unit); None without that column
    page: int
    bbox: BBox  # the row: union of its lines' boxes, original page coordinates
    raw: str  # the row as read


@dataclass(frozen=True)
class ContributionRecord:
    periods: tuple[ContributionPeriod, ...]
    holder_name: str | None
    holder_id: str | None
    unreadable: tuple[str, ...] = ()  # raw rows that look like periods but were not read


Piece = tuple[str, BBox]  # NFKC text and upright box of a cell or a word


def _rows(doc: DocText) -> list[list[TLine]]:
    rows: list[list[TLine]] = []
    for tl in doc.reading_order():
        if rows and rows[-1][0].page == tl.page and layout.same_row(rows[-1][0].bbox, tl.bbox):
            rows[-1].append(tl)
        else:
            rows.append([tl])
    return [sorted(row, key=lambda tl: tl.bbox[0]) for row in rows]


# Han characters closer than this share of the line height are one cell: RapidOCR boxes each
# character of 青河县化肥厂 as a word, and the gap between two table cells is wider.
CELL_GAP = 0.6


def _pieces(row: list[TLine]) -> list[Piece]:
    """Cells; a merged line (tesseract) is split into its words so columns can be told apart,
    and a run of adjacent Han characters boxed one by one is joined again."""
    out: list[Piece] = []
    for tl in row:
        words = tl.line.words
        out += _joined_han([(nfkc(w.text), w.bbox) for w in words], tl.bbox) if len(words) > 1 else [(tl.text, tl.bbox)]
    # Printed table rules (│) read as text also separate cells: box each part by its share.
    return [
        (m.group(), layout.sub_box(box, m.start(), m.end(), len(text)))
        for text, box in out
        for m in re.finditer(r"[^│┃|]+", text)
        if m.group().strip()
    ]


def _joined_han(words: list[Piece], line_box: BBox) -> list[Piece]:
    gap = CELL_GAP * max(1, line_box[3] - line_box[1])
    out: list[Piece] = []
    for text, box in words:
        if out and _han_char(text) and _han_char(out[-1][0][-1]) and box[0] - out[-1][1][2] <= gap:
            prev_text, prev = out[-1]
            out[-1] = (prev_text + text, (prev[0], min(prev[1], box[1]), box[2], max(prev[3], box[3])))
        else:
            out.append((text, box))
    return out


def _han_char(text: str) -> bool:
    return len(text) == 1 and is_han(text)


def _column(box: BBox, header: list[Piece]) -> int:
    """The header cell above `box`: most horizontal overlap, else the nearest centre."""

    def key(i: int) -> tuple[int, float]:
        h = header[i][1]
        overlap = max(0, min(box[2], h[2]) - max(box[0], h[0]))
        return overlap, -abs((box[0] + box[2]) - (h[0] + h[2]))

    return max(range(len(header)), key=key)


def _labelled(before: str) -> bool:
    """True when the text before a value ends in a label that is not a period label."""
    label, colon, _ = before.rpartition(":")
    return bool(colon) and not _PERIOD_LABEL.search(label)


def _first(text: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[str, int] | None:
    """The first entry of `table` with a word in `text`, and where that word starts."""
    for value, words in table:
        found = [text.find(w) for w in words if w in text]
        if found:
            return value, min(found)
    return None


def _ym(year: str, month: str) -> str | None:
    y, m = int("".join(year.split())), int(month)
    return f"{y:04d}-{m:02d}" if 1 <= m <= 12 else None


def _period(m: re.Match) -> tuple[str, str] | None:
    """(start, end), or None for an impossible month, a reversed range or a cut-off range."""
    start = _ym(m["y1"], m["m1"] or m["c1"])
    if m["y2"]:
        end = _ym(m["y2"], m["m2"] or m["c2"])
    elif m["mo"]:
        end = _ym(m["y1"], m["mo"])  # 1997年1月至9月: the end inherits the year
    else:
        end = start
    if m["dangling"] or start is None or end is None or end < start:
        return None
    return start, end


def parse_contribution_record(pages: list[tuple[int, PageText]]) -> ContributionRecord:
    """pages: [(1-based page number, PageText)] of one contribution record."""
    if not pages:
        return ContributionRecord((), None, None)
    doc = DocText(pages)
    periods: list[ContributionPeriod] = []
    unreadable: list[str] = []
    section: Insurance = "unknown"
    header: list[Piece] | None = None
    unit_col: int | None = None
    for row in _rows(doc):
        pieces = _pieces(row)
        raw = " ".join(tl.line.text for tl in row)
        unit_labels = [i for i, (t, _) in enumerate(pieces) if squeeze(t) in LABELS["employer"]]
        if unit_labels:  # the column header row; it also serves the rows of later pages
            header, unit_col = pieces, unit_labels[0]
            continue
        text = " ".join(t for t, _ in pieces)
        m = _PERIOD.search(text)
        if m is None or _labelled(text[: m.start()]):
            flat = squeeze(text)
            insurance = _first(flat, INSURANCE_WORDS)
            if insurance:  # a title line: 企业职工基本养老保险个人缴费明细
                section = insurance[0]
            status = _first(flat, STATUS_MARKERS)
            if m is None and status and not _labelled(flat[: status[1]]):
                unreadable.append(raw)  # a status but no readable period: a garbled date
            continue
        # The unit cell is left out of the text searched for status and insurance words
        # (青河县医疗器械厂 names no insurance). Cells with digits are never the unit.
        in_unit = [
            header is not None and _column(box, header) == unit_col and not re.search(r"\d", t)
            for t, box in pieces
        ]
        unit = normalize_unit(" ".join(t for (t, _), u in zip(pieces, in_unit) if u)) or None
        flat = squeeze("".join(t for (t, _), u in zip(pieces, in_unit) if not u))
        span, status = _period(m), _first(flat, STATUS_MARKERS)
        if span is None or status is None:
            unreadable.append(raw)
            continue
        insurance = _first(flat, INSURANCE_WORDS)
        bbox = union_bbox([tl.src_bbox for tl in row])
        periods.append(
            ContributionPeriod(*span, status[0], insurance[0] if insurance else section, unit, row[0].page, bbox, raw)
        )
    fields = extract_fields("contribution", pages)
    holder = {k: fields[k].value if k in fields else None for k in ("name", "id_number")}
    return ContributionRecord(tuple(periods), holder["name"], holder["id_number"], tuple(unreadable))


def months_by_status(record: ContributionRecord, insurance: str = "pension") -> dict[str, frozenset[int]]:
    """Month indexes (month_index) per status for one insurance type, every key of STATUS_ORDER
    present. A month that two rows give different statuses keeps the strongest (STATUS_ORDER):
    a payment posted for a month settles it, even if another row (an older assessment, an
    interruption notice) still lists it as unpaid."""
    rank: dict[int, int] = {}
    for p in record.periods:
        if p.insurance != insurance:
            continue
        r = STATUS_ORDER.index(p.status)
        for month in range(month_index(p.start), month_index(p.end) + 1):
            rank[month] = min(rank.get(month, r), r)
    return {s: frozenset(m for m, r in rank.items() if r == i) for i, s in enumerate(STATUS_ORDER)}
