"""Page orientation (0/90/180/270) from the PP-OCR detector, direction classifier and recogniser.

tesseract OSD is unreliable on Chinese scans (2/36 right on our noisy pages, ocr/README.md), so
both engines use this detector:

1. run the RapidOCR text detector once on a downscaled copy; text lines are long, so whether
   the long boxes are wide or tall tells 0/180 from 90/270;
2. cut the longest few lines out of the page and turn them upright under one hypothesis; the
   PP-OCR 0/180 direction classifier votes; when its mean vote is unsure (< CLS_SURE), the
   recogniser reads the lines under both hypotheses and the higher mean confidence wins.

Measured (ocr/README.md): 72/72 on clean and degraded 300-dpi pages, 33/36 on heavy 120-dpi ones
(tesseract OSD: 72/72 and 2/36); ~0.6 s per page, ~0.9 s when the recogniser is needed.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.engines.rapid import classify_crops, detect_boxes, recognise_crops
from ocr.preprocess import downscale_to

DETECT_PX = 1040  # the detector upsizes anything under 736 px on the short side anyway
SAMPLE_LINES = 6
ELONGATED = 1.8  # a text-line box is at least this much longer than thick
MAX_ASPECT = 8  # recognise at most this many line-thicknesses of each sampled line
CROP_THICK = 64
CLS_SURE = 0.8  # "auto": trust the cheap direction classifier above this mean vote, else ask the recogniser


@dataclass(frozen=True)
class Orientation:
    rotation: int  # degrees clockwise to apply to make the page upright (0/90/180/270)
    vertical_votes: float  # share of elongated-box length that runs vertically
    margin: float  # recogniser confidence of the chosen hypothesis minus the other's
    lines: int  # text lines the decision was based on


def _crop(gray: np.ndarray, box: tuple[int, int, int, int], vertical: bool) -> np.ndarray:
    """The line's first MAX_ASPECT thicknesses (recognition cost grows with line length), at most
    CROP_THICK px thick (the recogniser reads at 48 px anyway)."""
    x0, y0, x1, y1 = max(0, box[0]), max(0, box[1]), box[2], box[3]
    if vertical:
        y1 = min(y1, y0 + MAX_ASPECT * (x1 - x0))
    else:
        x1 = min(x1, x0 + MAX_ASPECT * (y1 - y0))
    crop = gray[y0:y1, x0:x1]
    thick = crop.shape[1] if vertical else crop.shape[0]
    if thick > CROP_THICK:
        f = CROP_THICK / thick
        crop = cv2.resize(crop, (max(1, int(crop.shape[1] * f)), max(1, int(crop.shape[0] * f))),
                          interpolation=cv2.INTER_AREA)
    return crop


def detect_orientation(page: np.ndarray, threads: int = 1, method: str = "auto") -> Orientation:
    """Clockwise rotation that makes `page` (grey or BGR) upright.

    method: "cls" = PP-OCR 0/180 line classifier only (cheapest), "rec" = recogniser confidence
    on both hypotheses (most robust), "auto" = cls, falling back to rec when cls is unsure."""
    small, f = downscale_to(page, DETECT_PX)
    quads = detect_boxes(small, threads=threads)
    wide, tall = [], []
    for q in quads:
        x0, y0 = q[:, 0].min(), q[:, 1].min()
        x1, y1 = q[:, 0].max(), q[:, 1].max()
        w, h = x1 - x0, y1 - y0
        box = (int(x0 / f), int(y0 / f), int(np.ceil(x1 / f)), int(np.ceil(y1 / f)))
        if w >= ELONGATED * h:
            wide.append((w, box))
        elif h >= ELONGATED * w:
            tall.append((h, box))
    total = sum(w for w, _ in wide) + sum(h for h, _ in tall)
    if total == 0:
        return Orientation(0, 0.0, 0.0, 0)
    vertical_share = sum(h for h, _ in tall) / total
    vertical = vertical_share > 0.5
    chosen = sorted(tall if vertical else wide, key=lambda t: -t[0])[:SAMPLE_LINES]
    crops = [_crop(page, box, vertical) for _, box in chosen]
    crops = [c for c in crops if c.size and min(c.shape[:2]) >= 4]
    if not crops:
        return Orientation(0, vertical_share, 0.0, 0)
    if vertical:
        # text running top->bottom (page turned clockwise) reads after a counter-clockwise turn
        hyp_a = [cv2.rotate(c, cv2.ROTATE_90_COUNTERCLOCKWISE) for c in crops]  # fix = 270
        hyp_b = [cv2.rotate(c, cv2.ROTATE_90_CLOCKWISE) for c in crops]  # fix = 90
        rot_a, rot_b = 270, 90
    else:
        hyp_a = crops
        hyp_b = [cv2.rotate(c, cv2.ROTATE_180) for c in crops]
        rot_a, rot_b = 0, 180
    n = len(crops)
    conf_a = conf_b = 0.0
    if method in ("cls", "auto"):
        # the 0/180 direction classifier on hypothesis a: "180" votes for hypothesis b
        votes = [(sc if lab == "0" else -sc) for lab, sc in classify_crops(hyp_a, threads=threads)]
        vote = float(np.mean(votes)) if votes else 0.0
        conf_a, conf_b = max(0.0, vote), max(0.0, -vote)
    if method == "rec" or (method == "auto" and abs(conf_a - conf_b) < CLS_SURE):
        scores = recognise_crops(hyp_a + hyp_b, threads=threads)
        conf_a = float(np.mean([_weight(t, s) for t, s in scores[:n]]))
        conf_b = float(np.mean([_weight(t, s) for t, s in scores[n:]]))
    rotation = rot_a if conf_a >= conf_b else rot_b
    return Orientation(rotation, round(vertical_share, 3), round(abs(conf_a - conf_b), 3), n)


def _weight(text: str, score: float) -> float:
    """Recogniser confidence, zero for an empty read."""
    return score if text.strip() else 0.0
