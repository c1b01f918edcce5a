"""A document's lines prepared for extraction: NFKC text, label hits, joined prose text.

DocText wraps the pages of one document ([(page number, PageText)]). Every OCR Line becomes a
TLine with its NFKC text, a map back to the original characters, and the labels found in it.
`joined` is all line texts in engine order separated by newlines, for prose patterns that may
span lines ("兹介绍\n退役士兵 王建军 同志"); `flows` are the same texts run together, in engine
order and, when a page has side-by-side columns, column by column (layout.columns).

Two boxes per line: OCR reports boxes in original page coordinates, but a page scanned sideways
(PageText.rotation 90/180/270) has its text running down the image, and a skewed scan
(PageText.skew) has rows that climb across the page. All geometry (same row, right of, below,
reading order) works on `TLine.bbox`, the box in the upright, deskewed frame; what a field
reports is `TLine.src_bbox`, the box as the OCR gave it.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace

from core.types import BBox, Line, PageText, union_bbox

from extract import layout
from extract.label_hits import LabelHit, find_labels
from extract.labels import RELATION_HEADERS
from extract.normalize.text import is_han, nfkc_map


class Flow:
    """Line texts in one reading order with nothing between them, and the way back from a span
    of it to the span of `DocText.joined` holding the same characters."""

    def __init__(self, lines: list["TLine"], joined_starts: list[int]) -> None:
        self.text = "".join(tl.text for tl in lines)
        self._joined = [joined_starts[tl.order] for tl in lines]
        self._starts = []
        pos = 0
        for tl in lines:
            self._starts.append(pos)
            pos += len(tl.text)

    def to_joined(self, start: int, end: int) -> tuple[int, int]:
        def conv(offset: int) -> int:
            i = max(0, bisect.bisect_right(self._starts, offset) - 1)
            return self._joined[i] + offset - self._starts[i]

        return conv(start), conv(max(start, end - 1)) + 1


@dataclass
class TLine:
    page: int  # 1-based page number in the source file
    order: int  # position in the document (engine order)
    line: Line  # its bbox is in the upright frame
    text: str  # NFKC text
    omap: list[int]
    hits: list[LabelHit] = field(default_factory=list)
    orig_bbox: BBox | None = None  # the OCR's box when it differs from the upright one

    @property
    def bbox(self) -> BBox:
        """Box in the upright, deskewed page frame: use it for geometry."""
        return self.line.bbox

    @property
    def src_bbox(self) -> BBox:
        """Box in original page coordinates, as the OCR reported it: what a field reports."""
        return self.orig_bbox or self.line.bbox

    @property
    def conf(self) -> float:
        return self.line.conf

    def raw(self, start: int, end: int) -> str:
        """Original text for the NFKC span [start, end)."""
        return self.line.text[self.omap[start]:self.omap[end]]

    def value_span(self, hit: LabelHit) -> tuple[int, int]:
        """From the end of `hit` to the next label on the line (or the line end)."""
        nxt = [h.start for h in self.hits if h.start >= hit.end]
        return hit.end, (min(nxt) if nxt else len(self.text))

    def free_prefix(self) -> tuple[int, int]:
        """The part of the line before its first label (all of it if it has none)."""
        return 0, (self.hits[0].start if self.hits else len(self.text))

    def starts_with_label(self) -> bool:
        return bool(self.hits) and not self.text[: self.hits[0].start].strip(" :()")

    def char_confidences(self, raw: str) -> list[float] | None:
        """The engine's confidence of each non-space character of `raw` (a piece of this line's
        original text), from its words; None when the words do not spell the line out char by
        char (tesseract's word-level confidence says nothing about one digit) nor carry their
        characters' confidences (Word.char_confs)."""
        text = self.line.text
        start = text.find(raw)
        if start < 0 or not self.line.words:
            return None
        per_char: list[float | None] = [None] * len(text)
        pos = 0
        for word in self.line.words:
            at = text.find(word.text, pos)
            if at < 0:
                return None
            if len(word.text) == 1:
                per_char[at] = word.conf
            elif word.char_confs:
                spots = [at + k for k, ch in enumerate(word.text) if not ch.isspace()]
                if len(spots) == len(word.char_confs):
                    for spot, conf in zip(spots, word.char_confs):
                        per_char[spot] = conf
            pos = at + len(word.text)
        out = [per_char[i] for i in range(start, start + len(raw)) if not text[i].isspace()]
        return None if any(c is None for c in out) else out  # type: ignore[misc]

    def label_box(self, hit: LabelHit) -> BBox:
        return layout.sub_box(self.bbox, hit.start, hit.end, len(self.text))


def _is_whole_label(text: str) -> bool:
    hits = find_labels(text)
    return len(hits) == 1 and hits[0].start == 0 and hits[0].end >= len(text.rstrip())


def _completes_label_with_value(head: str, piece: str) -> bool:
    """The piece begins with the rest of a label `head` began and a colon, its value after it."""
    text = head + piece
    hits = find_labels(text)
    if not hits or hits[0].start != 0:
        return False
    label_end = len(hits[0].label)  # both parts are squeezed: the label's characters are contiguous
    return label_end > len(head) and ":" in text[label_end:hits[0].end]


def _squeezed(text: str) -> str:
    return "".join(nfkc_map(text)[0].split())


Origins = dict[int, tuple[Line, BBox]]  # id(line) → (line, its box in original coordinates)


def _record_merge(origins: Origins | None, merged: Line, parts: list[Line]) -> None:
    if origins is not None:
        origins[id(merged)] = (merged, union_bbox([origins.get(id(x), (x, x.bbox))[1] for x in parts]))


def merge_split_labels(lines: list[Line], origins: Origins | None = None) -> list[Line]:
    """Join label pieces that OCR returned as separate boxes on one row ("姓" + "名" of a
    letter-spaced "姓    名", or three pieces): short Han boxes whose concatenation with the
    next one or two boxes to the right is exactly one label. `origins` (optional) tracks the
    original boxes of the lines; a merged line gets the union of its parts'."""
    out = list(lines)
    i = 0
    while i < len(out):
        a = out[i]
        ta = _squeezed(a.text)
        if not (1 <= len(ta) <= 4 and all(is_han(c) for c in ta)) or _is_whole_label(ta):
            i += 1
            continue
        h = layout.height(a.bbox)
        chain, text, merged = [a], ta, None
        for _ in range(2):
            last = chain[-1]
            right = [b for b in out if b not in chain and layout.right_of(last.bbox, b.bbox)]
            right = [b for b in right if b.bbox[0] - last.bbox[2] <= 4 * h]
            if not right:
                break
            nxt = min(right, key=lambda b: b.bbox[0])
            tn = _squeezed(nxt.text)
            if _completes_label_with_value(text, tn):  # "姓" + "名：肖东胜"
                merged = chain + [nxt]
                break
            if not (1 <= len(tn) <= 4 and all(is_han(c) for c in tn)):
                break
            chain.append(nxt)
            text += tn
            if _is_whole_label(text):
                merged = list(chain)
                break
        if merged is None:
            i += 1
            continue
        line = Line(
            text=" ".join(x.text for x in merged),
            bbox=union_bbox([x.bbox for x in merged]),
            conf=min(x.conf for x in merged),
            words=tuple(w for x in merged for w in x.words),
        )
        _record_merge(origins, line, merged)
        out[i] = line
        for x in merged[1:]:
            out.remove(x)
        i += 1
    return out


def merge_stacked_labels(lines: list[Line], origins: Origins | None = None) -> list[Line]:
    """Join a label printed on two lines of one table cell ("退出现役" over "时间", "县征兵办" over
    "公室意见") when OCR returned the halves as two boxes: the joined box then spans the row, so
    the value cell beside it is on the same row."""
    out = list(lines)
    i = 0
    while i < len(out):
        a = out[i]
        ta = _squeezed(a.text)
        if not (2 <= len(ta) <= 8 and all(is_han(c) or c in "()/" for c in ta)):
            i += 1
            continue
        h = layout.height(a.bbox)
        under = [
            b
            for b in out
            if b is not a
            and a.bbox[1] + 0.5 * h <= b.bbox[1] <= a.bbox[3] + 0.8 * h
            and layout.h_overlap(a.bbox, b.bbox) >= 0.5
        ]
        b = min(under, key=lambda x: x.bbox[1], default=None)
        tb = _squeezed(b.text) if b is not None else ""
        if b is None or not (1 <= len(tb) <= 8) or not _is_whole_label(ta + tb):
            i += 1
            continue
        out[i] = Line(
            text=f"{a.text} {b.text}",
            bbox=union_bbox([a.bbox, b.bbox]),
            conf=min(a.conf, b.conf),
            words=a.words + b.words,
        )
        _record_merge(origins, out[i], [a, b])
        out.remove(b)
        i += 1
    return out


def upright_lines(page: PageText) -> tuple[list[Line], Origins]:
    """The page's lines with boxes in the upright, deskewed frame, and their original boxes."""
    if not (page.rotation % 360 or abs(page.skew or 0.0) >= 0.05):
        return list(page.lines), {}
    out: list[Line] = []
    origins: Origins = {}
    for line in page.lines:
        box = layout.upright_box(line.bbox, page.width, page.height, page.rotation, page.skew or 0.0)
        words = tuple(  # each word keeps its per-character confidences (extract/doubt.py reads them)
            replace(w, bbox=layout.upright_box(w.bbox, page.width, page.height, page.rotation, page.skew or 0.0))
            for w in line.words
        )
        up = Line(text=line.text, bbox=box, conf=line.conf, words=words)
        origins[id(up)] = (up, line.bbox)
        out.append(up)
    return out, origins


class DocText:
    def __init__(self, pages: list[tuple[int, PageText]]):
        self.lines: list[TLine] = []
        for page_no, page in pages:
            lines, origins = upright_lines(page)
            for line in merge_stacked_labels(merge_split_labels(lines, origins), origins):
                text, omap = nfkc_map(line.text)
                orig = origins.get(id(line), (line, line.bbox))[1]
                tl = TLine(page_no, len(self.lines), line, text, omap, orig_bbox=orig if orig != line.bbox else None)
                tl.hits = find_labels(text)
                self.lines.append(tl)
        self._relatives_tables()
        self._starts: list[int] = []
        parts: list[str] = []
        pos = 0
        for tl in self.lines:
            self._starts.append(pos)
            parts.append(tl.text)
            pos += len(tl.text) + 1
        self.joined = "\n".join(parts)
        # `flows`: the same texts without separators, for prose whose values wrap at a line end
        # ("批准你于1994年1" / "2月3日应征入伍"): in engine order, and column by column when a
        # page has side-by-side columns, whose lines the engine interleaves (a stub beside its
        # letter: "…2002年12月退" / "前往单位：…" / "伍)前往你单位报到").
        self.flows = [Flow(self.lines, self._starts)]
        by_column = self._column_order()
        if by_column is not None:
            self.flows.append(Flow(by_column, self._starts))
        self._captions_below: dict[int, bool] = {}

    def _column_order(self) -> list[TLine] | None:
        """The lines page by page, each page's columns one after another; None when no page has
        columns."""
        out, split = [], False
        for page in dict.fromkeys(tl.page for tl in self.lines):
            lines = self.on_page(page)
            columns = layout.columns([tl.bbox for tl in lines])
            split = split or bool(columns)
            out += [lines[i] for column in columns for i in column] if columns else lines
        return out if split else None

    def _relatives_tables(self) -> None:
        """Labels on a header row with a relation column (称谓 | 姓名 | 工作单位) are the
        relatives', whatever they say: they become "other" and feed no field of his."""
        headers = [tl for tl in self.lines if any(h.label in RELATION_HEADERS for h in tl.hits)]
        for head in headers:
            for tl in self.on_page(head.page):
                if tl is head or layout.same_row(head.bbox, tl.bbox):
                    tl.hits = [LabelHit("other", h.label, h.start, h.end, h.weak) for h in tl.hits]

    # ---- prose -------------------------------------------------------------------------------

    def locate(self, offset: int) -> tuple[TLine, int]:
        """The line holding joined-text `offset`, and the offset within that line."""
        i = max(0, bisect.bisect_right(self._starts, offset) - 1)
        return self.lines[i], offset - self._starts[i]

    def joined_raw(self, start: int, end: int) -> str:
        """Original text of a joined span (lines joined with newlines)."""
        a, sa = self.locate(start)
        b, eb = self.locate(max(start, end - 1))
        if a is b:
            return a.raw(sa, eb + 1)
        pieces = [a.raw(sa, len(a.text))]
        pieces += [tl.line.text for tl in self.lines[a.order + 1:b.order]]
        pieces.append(b.raw(0, eb + 1))
        return "\n".join(pieces)

    # ---- geometry ----------------------------------------------------------------------------

    def on_page(self, page: int) -> list[TLine]:
        return [tl for tl in self.lines if tl.page == page]

    def right_of(self, anchor: TLine, box: BBox) -> list[TLine]:
        """Lines on the same row to the right of `box`, nearest first."""
        out = [tl for tl in self.on_page(anchor.page) if tl is not anchor and layout.right_of(box, tl.bbox)]
        return sorted(out, key=lambda tl: layout.distance_right(box, tl.bbox))

    def below(self, anchor: TLine, box: BBox, max_lines: float = 2.5) -> list[TLine]:
        """Lines under `box`, nearest first."""
        out = [
            tl
            for tl in self.on_page(anchor.page)
            if tl is not anchor and layout.below(box, tl.bbox, max_lines=max_lines)
        ]
        return sorted(out, key=lambda tl: (layout.distance_below(box, tl.bbox), abs(tl.bbox[0] - box[0])))

    def above(self, anchor: TLine, box: BBox) -> list[TLine]:
        """Lines right over `box` (layout.caption_over), nearest first."""
        out = [tl for tl in self.on_page(anchor.page) if tl is not anchor and layout.caption_over(box, tl.bbox)]
        return sorted(out, key=lambda tl: box[1] - tl.bbox[3])

    def captions_below(self, page: int) -> bool:
        """Does this page print its labels under the values (a line to write on, the caption
        beneath)? Decided by the page's own whole-label lines: more of them have an unlabelled
        text tight over them than tight under them."""
        if page not in self._captions_below:
            over = under = 0
            for tl in self.on_page(page):
                if not tl.hits or not tl.starts_with_label() or tl.value_span(tl.hits[0])[0] < len(tl.text.rstrip()):
                    continue
                below = self.below(tl, tl.bbox, max_lines=0.6)
                tight_under = [o for o in below if layout.h_overlap(tl.bbox, o.bbox) > 0]
                over += any(not o.hits for o in self.above(tl, tl.bbox))
                under += any(not o.hits for o in tight_under)
            self._captions_below[page] = over >= 2 and over > 2 * under
        return self._captions_below[page]

    def hits(self, *keys: str) -> list[tuple[TLine, LabelHit]]:
        """Label hits of the given concepts: strong labels first, then weak, each in doc order."""
        found = [(tl, h) for tl in self.lines for h in tl.hits if h.key in keys]
        return sorted(found, key=lambda th: (th[1].weak, keys.index(th[1].key), th[0].order, th[1].start))

    def reading_order(self) -> list[TLine]:
        return sorted(self.lines, key=lambda tl: (tl.page, (tl.bbox[1] + tl.bbox[3]) / 2, tl.bbox[0]))
