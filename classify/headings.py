"""Headings found by layout: the lines of a page that can be its title.

A title is printed larger than the page's body text, stands alone on its row (centred, or alone
in its half of a landscape sheet), sits near the top of the page or of a part of the sheet, and
is neither a `label：value` line nor a sentence. Only headings are matched against title
variants (classify/pages.py), so a label cell such as 身份证号 can never name the page a 居民身份证,
and a sentence that mentions "原安置介绍信已遗失" does not make a unit's 证明 a placement letter.

Geometry is on upright boxes (extract.layout.upright_box): a page scanned sideways has its rows
running down the image.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass

from core.types import BBox, Line, PageText, union_bbox
from extract.layout import upright_box
from extract.normalize.text import HAN_RE, squeeze

SENTENCE_MARKS = frozenset(",。;!?")  # after NFKC
MAX_HEADING_CHARS = 34     # 关于对XXX同志作除名处理的决定 with a unit's name is about this long
MIN_HAN = 2
LARGER = 1.22              # glyphs this much taller than the body's count as larger print
TOP_SHARE = 0.42           # "near the top": the upper part of the page (or of a half sheet)
JOIN_GAP = 2.2             # letter-spaced titles arrive as several boxes: join gaps up to this many heights
ALONE_GAP = 3.0            # another box nearer than this many heights on the row: part of a table or a sentence
MAX_CENTRED_WIDTH = 0.7    # a body line spanning the page is "centred" too; a title of body size never is this wide


@dataclass(frozen=True)
class Heading:
    text: str            # NFKC, whitespace removed
    bbox: BBox           # upright frame
    size: float          # glyph height relative to the page's body text
    centred: bool
    top: bool            # in the upper part of the page
    rank: int            # 0 for the largest heading of the page, 1 for the next, ...


@dataclass
class _Box:
    text: str
    box: BBox

    @property
    def h(self) -> int:
        return max(1, self.box[3] - self.box[1])


def find_headings(page: PageText) -> list[Heading]:
    boxes = _upright_boxes(page)
    if not boxes:
        return []
    width, height = _upright_size(page)
    body = _body_height(boxes)
    found: list[tuple[_Box, float, bool]] = []
    for index, row in enumerate(_rows(boxes)):
        segments = _segments(row)
        for i, seg in enumerate(segments):
            neighbours = [s for j, s in enumerate(segments) if j != i]
            if any(_gap(seg, other) < ALONE_GAP * seg.h for other in neighbours):
                continue  # a cell of a table row, or one phrase of a line
            if not _title_like(seg.text):
                continue
            size = seg.h / body
            centred = _centred(seg, neighbours, width, width > height) and seg.box[2] - seg.box[0] <= MAX_CENTRED_WIDTH * width
            # the first row standing alone is a heading wherever it is printed (a title typed
            # flush left, a form photographed off-centre)
            if size < LARGER and not centred and not (index == 0 and len(segments) == 1):
                continue
            found.append((seg, size, centred))
    ranked = sorted(found, key=lambda f: -f[1])
    rank = {id(seg): n for n, (seg, _, _) in enumerate(ranked)}
    return [
        Heading(seg.text, seg.box, round(size, 2), centred, seg.box[1] < TOP_SHARE * height or size >= 1.6,
                rank[id(seg)])
        for seg, size, centred in found
    ]


def _upright_boxes(page: PageText) -> list[_Box]:
    """One box per run of text: a line, or the parts of a line whose words stand apart (a
    tesseract line joins a table row's cells: 姓名 周立新 性别 男)."""
    out = []
    for line in page.lines:
        for text, box in _runs(line):
            text = squeeze(text)
            if text:
                out.append(_Box(text, upright_box(box, page.width, page.height, page.rotation, page.skew)))
    return out


def _runs(line: Line) -> list[tuple[str, BBox]]:
    words = sorted(line.words, key=lambda w: w.bbox[0])
    if len(words) < 2:
        return [(line.text, line.bbox)]
    h = max(1, line.bbox[3] - line.bbox[1])
    runs = [[words[0]]]
    for w in words[1:]:
        if w.bbox[0] - runs[-1][-1].bbox[2] > JOIN_GAP * h:
            runs.append([w])
        else:
            runs[-1].append(w)
    return [("".join(w.text for w in run), union_bbox([w.bbox for w in run])) for run in runs]


def _upright_size(page: PageText) -> tuple[int, int]:
    if (page.rotation // 90) % 2:
        return page.height, page.width
    return page.width, page.height


def _body_height(boxes: list[_Box]) -> float:
    """Median glyph height of the page's text lines (boxes of 2+ characters: single glyphs of
    letter-spaced headers are as tall as their neighbours but carry little weight)."""
    heights = [b.h for b in boxes if len(b.text) >= 2] or [b.h for b in boxes]
    return max(1.0, statistics.median(heights))


def _rows(boxes: list[_Box]) -> list[list[_Box]]:
    rows: list[list[_Box]] = []
    for b in sorted(boxes, key=lambda b: (b.box[1] + b.box[3]) / 2):
        for row in rows:
            ref = row[0].box
            overlap = min(ref[3], b.box[3]) - max(ref[1], b.box[1])
            if overlap >= 0.5 * min(b.h, row[0].h):
                row.append(b)
                break
        else:
            rows.append([b])
    return rows


def _segments(row: list[_Box]) -> list[_Box]:
    """The row's boxes left to right, neighbours joined when the gap is letter spacing."""
    segs: list[_Box] = []
    for b in sorted(row, key=lambda b: b.box[0]):
        if segs and b.box[0] - segs[-1].box[2] <= JOIN_GAP * min(b.h, segs[-1].h) and _spaced(segs[-1], b):
            last = segs[-1]
            segs[-1] = _Box(last.text + b.text, union_bbox([last.box, b.box]))
        else:
            segs.append(b)
    return segs


def _spaced(a: _Box, b: _Box) -> bool:
    """Only glyphs of similar size are one letter-spaced heading (a 12 pt value beside a 22 pt
    title is not part of it)."""
    return 0.7 <= a.h / b.h <= 1.43


def _gap(a: _Box, b: _Box) -> int:
    return max(b.box[0] - a.box[2], a.box[0] - b.box[2])


def _title_like(text: str) -> bool:
    if len(text) > MAX_HEADING_CHARS or len(HAN_RE.findall(text)) < MIN_HAN:
        return False
    if SENTENCE_MARKS & set(text):
        return False
    colon = text.find(":")
    return colon < 0 or colon == len(text) - 1 and len(text) <= 8  # "证明：" yes; "姓名:周立新" no


def _centred(seg: _Box, neighbours: list[_Box], page_width: int, landscape: bool) -> bool:
    """Centred on the page, or on a landscape sheet centred on its half when the row has a box in
    the other half (the 存根 on the left and the letter on the right)."""
    centre = (seg.box[0] + seg.box[2]) / 2
    half = page_width / 2
    if abs(centre - half) <= 0.1 * page_width:
        return True
    if not landscape:
        return False
    other_half = [n for n in neighbours if ((n.box[0] + n.box[2]) / 2 < half) != (centre < half)]
    half_centre = half / 2 if centre < half else half * 1.5
    return bool(other_half) and abs(centre - half_centre) <= 0.1 * page_width
