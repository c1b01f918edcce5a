"""Where a field's value is drawn on its scan.

Extraction records the box of the whole text line a value was read from; a line such as
"姓名：周立新 性别：男 出生年月：1975年3月" then gives three fields the same box over the whole line.
For display the box is narrowed to the value's own words (or, for a line read as one piece, to its
share of the line by character position). The stored box is left as it is."""
from __future__ import annotations

import unicodedata

Box = tuple[float, float, float, float]


def _close(a, b, tolerance: float = 1.5) -> bool:
    return len(a) == 4 and len(b) == 4 and all(abs(x - y) <= tolerance for x, y in zip(a, b))


def _compact(text: str) -> tuple[str, list[int]]:
    """The text without spaces, and for each kept character its index in the text."""
    kept = [(c, i) for i, c in enumerate(text) if not c.isspace()]
    return "".join(c for c, _ in kept), [i for _, i in kept]


def value_box(bbox, raw: str, lines: list[dict]) -> Box | None:
    """The box to draw for a field read from `bbox` with text `raw`, given its page's lines."""
    if len(bbox or ()) != 4:
        return None
    box = tuple(float(v) for v in bbox)
    # the stored box is a line's, or a word's (a cell, a segment of a line read in pieces)
    pieces = [piece for ln in lines or () for piece in (ln, *(ln.get("words") or ()))]
    line = next((p for p in pieces if _close(p.get("bbox", ()), box)), None)
    target, _ = _compact(raw or "")
    if line is None or not target:
        return box
    text = line.get("text", "")
    compact, index = _compact(text)
    at = compact.find(target)
    if at < 0 or len(target) >= 0.9 * len(compact):
        return box  # the value is the line (or cannot be found in it): the line's box is right
    start, end = index[at], index[at + len(target) - 1] + 1  # character span in the line's text
    words = line.get("words") or []
    if len(words) > 1:
        chosen, pos = [], 0
        for w in words:
            found = text.find(w.get("text", ""), pos)
            if found < 0:
                chosen = []
                break
            w_end = found + len(w["text"])
            if found < end and start < w_end:
                # the part of this word the value covers, by character position within the word
                chosen.append(_share(w["bbox"], w["text"], max(start, found) - found, min(end, w_end) - found))
            pos = w_end
        if chosen:
            xs0, ys0, xs1, ys1 = zip(*chosen)
            return (min(xs0), min(ys0), max(xs1), max(ys1))
    return _share(box, text, start, end)


def _width(c: str) -> float:
    """A character's advance relative to a Chinese character's: digits and Latin letters are narrower."""
    return 1.0 if unicodedata.east_asian_width(c) in ("W", "F") else 0.6


def _share(bbox, text: str, start: int, end: int) -> Box:
    """The part of a box holding `text` that characters start…end take."""
    x0, y0, x1, y1 = (float(v) for v in bbox)
    widths = [_width(c) for c in text] or [1.0]
    total = sum(widths)
    a, b = sum(widths[:start]) / total, sum(widths[:end]) / total
    return (round(x0 + (x1 - x0) * a, 1), y0, round(x0 + (x1 - x0) * b, 1), y1)
