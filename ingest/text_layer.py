"""A born-digital PDF page's text layer (pdfplumber's words) as casefile's lines, with boxes in
the pixels of the page as rendered, so it is read like an OCR'd page."""
from __future__ import annotations

import re

from core.types import Line, PageText, Word, union_bbox
from ingest.options import IngestOptions

_MEANINGFUL = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")


def text_layer(page, scale: float, shape: tuple, options: IngestOptions) -> PageText | None:
    """Words of a born-digital page with boxes in rendered-pixel coordinates, or None."""
    words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
    chars = sum(len(_MEANINGFUL.findall(w["text"])) for w in words)
    if chars < options.min_text_layer_chars:
        return None
    boxed = [
        Word(
            w["text"],
            (int(w["x0"] * scale), int(w["top"] * scale), int(w["x1"] * scale) + 1, int(w["bottom"] * scale) + 1),
            1.0,
        )
        for w in words
    ]
    return PageText(
        width=shape[1], height=shape[0], lines=_group_lines(boxed), source="text_layer", engine="pdfplumber"
    )


def _group_lines(words: list[Word]) -> list[Line]:
    """Words on the same baseline band, left to right, become one line; wide gaps split it."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: ((w.bbox[1] + w.bbox[3]) / 2, w.bbox[0])):
        centre = (word.bbox[1] + word.bbox[3]) / 2
        if rows:
            last = rows[-1]
            top = min(w.bbox[1] for w in last)
            bottom = max(w.bbox[3] for w in last)
            if top <= centre <= bottom:
                last.append(word)
                continue
        rows.append([word])
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda w: w.bbox[0])
        height = max(w.bbox[3] - w.bbox[1] for w in row)
        segment: list[Word] = [row[0]]
        for word in row[1:]:
            if word.bbox[0] - segment[-1].bbox[2] > 2.5 * height:
                lines.append(_line(segment))
                segment = []
            segment.append(word)
        lines.append(_line(segment))
    return lines


def _line(words: list[Word]) -> Line:
    text = ""
    for word in words:
        if text and text[-1].isascii() and text[-1].isalnum() and word.text[:1].isascii() and word.text[:1].isalnum():
            text += " "
        text += word.text
    return Line(text, union_bbox([w.bbox for w in words]), 1.0, tuple(words))
