"""Geometry on OCR boxes (x0, y0, x1, y1), page pixel coordinates, y growing downwards."""
from __future__ import annotations

import math

from core.types import BBox


def width(b: BBox) -> int:
    return max(1, b[2] - b[0])


def height(b: BBox) -> int:
    return max(1, b[3] - b[1])


def v_overlap(a: BBox, b: BBox) -> float:
    """Vertical overlap as a fraction of the shorter box's height (0..1)."""
    ov = min(a[3], b[3]) - max(a[1], b[1])
    return max(0, ov) / min(height(a), height(b))


def h_overlap(a: BBox, b: BBox) -> float:
    """Horizontal overlap as a fraction of the narrower box's width (0..1)."""
    ov = min(a[2], b[2]) - max(a[0], b[0])
    return max(0, ov) / min(width(a), width(b))


def same_row(a: BBox, b: BBox, min_overlap: float = 0.5) -> bool:
    return v_overlap(a, b) >= min_overlap


def right_of(anchor: BBox, b: BBox, *, min_overlap: float = 0.5) -> bool:
    """b starts at or after anchor's right edge on the same row; OCR boxes of neighbouring cells
    may overlap a little (up to 0.6 line height), but b must lie mostly to the right."""
    tol = 0.6 * height(anchor)
    centre_b, centre_a = (b[0] + b[2]) / 2, (anchor[0] + anchor[2]) / 2
    return same_row(anchor, b, min_overlap) and b[0] >= anchor[2] - tol and centre_b > centre_a


def below(anchor: BBox, b: BBox, *, max_lines: float = 2.5) -> bool:
    """b starts under anchor within max_lines line heights and is horizontally related to it
    (overlapping, or starting within two line heights of anchor's left edge)."""
    h = height(anchor)
    top_ok = anchor[3] - 0.3 * h <= b[1] <= anchor[3] + max_lines * h
    related = h_overlap(anchor, b) > 0 or abs(b[0] - anchor[0]) <= 2 * h
    return top_ok and related and not same_row(anchor, b)


def caption_over(caption: BBox, b: BBox, *, max_gap: float = 0.6) -> bool:
    """b sits right over `caption` (its bottom within max_gap line heights of the caption's top)
    and overlaps it horizontally: the value of a form that prints its labels under the lines."""
    h = height(caption)
    return caption[1] - max_gap * h <= b[3] <= caption[1] + 0.5 * h and h_overlap(caption, b) > 0 \
        and not same_row(caption, b)


def distance_right(anchor: BBox, b: BBox) -> int:
    return b[0] - anchor[2]


def distance_below(anchor: BBox, b: BBox) -> int:
    return b[1] - anchor[3]


def sub_box(b: BBox, start: int, end: int, n: int) -> BBox:
    """Estimated box of characters [start, end) of a line of n characters (even spacing)."""
    if n <= 0:
        return b
    w = b[2] - b[0]
    x0 = b[0] + int(w * start / n)
    x1 = b[0] + max(int(w * end / n), int(w * start / n) + 1)
    return (x0, b[1], x1, b[3])


def reading_key(b: BBox) -> tuple[int, int]:
    """Sort key top-to-bottom, then left-to-right, with rows bucketed by half a line height."""
    bucket = max(1, height(b) // 2)
    return (b[1] // bucket * bucket, b[0])


def upright_box(b: BBox, width: int, height: int, rotation: int = 0, skew: float = 0.0) -> BBox:
    """A box in original page coordinates → the same text's box on the upright, deskewed page
    (the frame the OCR engine read: `rotation` clockwise quarter turns, then `skew` degrees
    counter-clockwise about the page centre, as in ocr/page.py). Relative geometry only: the
    deskewed frame is not shifted onto a grown canvas.

    The OCR's box of a line read on the deskewed image is the *enclosing* box of that tilted
    line in the original; its upright width w and height h are recovered from the enclosing
    W × H (W = w·cos + h·sin, H = w·sin + h·cos)."""
    x0, y0, x1, y1 = b
    k = (rotation // 90) % 4
    w, h = width, height
    if k == 1:
        pts, size = [(h - y0, x0), (h - y1, x1)], (h, w)
    elif k == 2:
        pts, size = [(w - x0, h - y0), (w - x1, h - y1)], (w, h)
    elif k == 3:
        pts, size = [(y0, w - x0), (y1, w - x1)], (h, w)
    else:
        pts, size = [(x0, y0), (x1, y1)], (w, h)
    bx0, bx1 = sorted(p[0] for p in pts)
    by0, by1 = sorted(p[1] for p in pts)
    if abs(skew) < 0.05:
        return (bx0, by0, bx1, by1)
    t = math.radians(skew)
    c, s = math.cos(t), math.sin(t)
    cx, cy = size[0] / 2, size[1] / 2
    mx, my = (bx0 + bx1) / 2 - cx, (by0 + by1) / 2 - cy
    nx, ny = c * mx + s * my + cx, -s * mx + c * my + cy
    big_w, big_h = bx1 - bx0, by1 - by0
    ac, as_ = abs(c), abs(s)
    det = ac * ac - as_ * as_
    bw, bh = (big_w * ac - big_h * as_) / det, (big_h * ac - big_w * as_) / det
    if bw < 0.3 * big_w or bh < 0.3 * big_h:  # not the enclosure of a tilted box (clipped, tiny)
        bw, bh = big_w, big_h
    return (round(nx - bw / 2), round(ny - bh / 2), round(nx + bw / 2), round(ny + bh / 2))


# A gap between text columns: wider than this many line heights, with this many lines either side.
COLUMN_GAP_LINES = 1.5
COLUMN_MIN_LINES = 3


def columns(boxes: list[BBox]) -> list[list[int]]:
    """The boxes of one page split into side-by-side columns (a stub printed beside its letter):
    at every vertical strip no box crosses that is wider than COLUMN_GAP_LINES line heights with
    at least COLUMN_MIN_LINES boxes on either side. Indices, columns left to right, each column
    in reading order; [] when the page is one column."""
    if len(boxes) < 2 * COLUMN_MIN_LINES:
        return []
    heights = sorted(height(b) for b in boxes)
    min_gap = COLUMN_GAP_LINES * heights[len(heights) // 2]
    order = sorted(range(len(boxes)), key=lambda i: boxes[i][0])
    cuts, right_edge = [], boxes[order[0]][2]
    for k, i in enumerate(order[1:], start=1):  # k boxes lie left of box i
        if boxes[i][0] - right_edge >= min_gap and k >= COLUMN_MIN_LINES and len(order) - k >= COLUMN_MIN_LINES:
            cuts.append(k)
        right_edge = max(right_edge, boxes[i][2])
    if not cuts:
        return []
    groups = [order[a:b] for a, b in zip([0, *cuts], [*cuts, len(order)])]
    if any(len(g) < COLUMN_MIN_LINES for g in groups):
        return []
    return [sorted(g, key=lambda i: ((boxes[i][1] + boxes[i][3]) / 2, boxes[i][0])) for g in groups]
