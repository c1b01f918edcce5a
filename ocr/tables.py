"""Ruled table cells by morphology: horizontal and vertical line masks, cells = enclosed regions.

Full-page tesseract (--psm 3) drops most text inside ruled cells (41% -> 70% of key values when
cells are read one by one, docs/findings.md#tables-and-fill-ins), so the tesseract engine reads
each cell separately.
"""
from __future__ import annotations

import cv2
import numpy as np

from core.types import BBox
from ocr.preprocess import line_masks


def find_cells(ink: np.ndarray, min_cell_px: int = 12) -> list[BBox]:
    """Boxes (x0, y0, x1, y1) of the interiors of ruled table cells, in `ink`'s coordinates.

    `ink` is a 0/1 uint8 mask (1 = ink) of a deskewed page. Cells are the connected regions of
    non-line pixels that are enclosed by ruling lines: not touching the page border, much
    smaller than the page, and nearly rectangular (fill ratio of the bounding box >= 0.8).
    """
    h, w = ink.shape[:2]
    hor, ver = line_masks(ink, min_frac=0.04)
    if not hor.any() or not ver.any():
        return []
    grid = cv2.bitwise_or(hor, ver)
    # close small gaps where lines meet, thicken so cells are sealed
    grid = cv2.dilate(grid, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    free = (1 - grid).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(free, connectivity=4)
    cells: list[BBox] = []
    for i in range(1, n):
        x, y, cw, ch, area = stats[i]
        if x <= 0 or y <= 0 or x + cw >= w or y + ch >= h:
            continue  # the page background around the table
        if cw < min_cell_px or ch < min_cell_px:
            continue
        if cw * ch > 0.5 * w * h:
            continue
        if area < 0.8 * cw * ch:
            continue  # not a rectangle: text enclosed by strokes, or a broken grid
        cells.append((int(x), int(y), int(x + cw), int(y + ch)))
    cells.sort(key=lambda b: (b[1], b[0]))
    return cells


def cell_has_ink(ink: np.ndarray, box: BBox, margin: int = 3, min_pixels: int = 15) -> bool:
    """Whether a cell interior holds anything worth sending to the OCR engine."""
    x0, y0, x1, y1 = box
    crop = ink[y0 + margin:y1 - margin, x0 + margin:x1 - margin]
    return crop.size > 0 and int(crop.sum()) >= min_pixels


def inside(box: BBox, cell: BBox, tolerance: float = 0.6) -> bool:
    """Whether at least `tolerance` of `box`'s area lies inside `cell`."""
    ix = max(0, min(box[2], cell[2]) - max(box[0], cell[0]))
    iy = max(0, min(box[3], cell[3]) - max(box[1], cell[1]))
    area = max(1, (box[2] - box[0]) * (box[3] - box[1]))
    return ix * iy >= tolerance * area
