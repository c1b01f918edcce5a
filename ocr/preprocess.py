"""Page preprocessing with OpenCV: grey/seal suppression, deskew, scaling, binarization.

Every geometric step returns the image and the 3x3 affine matrix that maps the step's input
coordinates to its output coordinates, so that ocr/page.py can compose them and map boxes
back to the original page (see `Transform`).
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from core.types import BBox

WHITE = 255


@dataclass(frozen=True)
class Transform:
    """Affine map from original page coordinates to the coordinates of the image an engine read."""

    matrix: np.ndarray  # 3x3

    @staticmethod
    def identity() -> "Transform":
        return Transform(np.eye(3))

    def then(self, step: np.ndarray) -> "Transform":
        """This transform followed by `step` (3x3)."""
        return Transform(step @ self.matrix)

    def box_to_original(self, box: BBox, width: int, height: int) -> BBox:
        """Axis-aligned box (in the transformed image) -> enclosing box in the original, clipped."""
        inv = np.linalg.inv(self.matrix)
        x0, y0, x1, y1 = box
        pts = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], dtype=float) @ inv.T
        bx0 = int(np.floor(max(0.0, pts[:, 0].min())))
        by0 = int(np.floor(max(0.0, pts[:, 1].min())))
        bx1 = int(np.ceil(min(float(width), pts[:, 0].max())))
        by1 = int(np.ceil(min(float(height), pts[:, 1].max())))
        return (bx0, by0, max(bx0, bx1), max(by0, by1))


def _as3(m: np.ndarray) -> np.ndarray:
    return np.vstack([m, [0.0, 0.0, 1.0]])


# --------------------------------------------------------------------------- colour

def to_gray(bgr: np.ndarray, suppress_seals: bool) -> np.ndarray:
    """Grey page. With `suppress_seals`, the red channel: red seal ink turns (almost) white while
    black and blue ink stay dark. (HSV masking punches holes in black strokes under a seal.)"""
    if bgr.ndim == 2:
        return bgr
    if suppress_seals:
        return np.ascontiguousarray(bgr[:, :, 2])
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)


def otsu(gray: np.ndarray) -> np.ndarray:
    """Black text on white (0/255) by Otsu's threshold."""
    _, out = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return out


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Ink = 1 (uint8), by Otsu on the grey page."""
    _, out = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return out


# --------------------------------------------------------------------------- geometry

def rotate90(img: np.ndarray, quarter_turns_cw: int) -> tuple[np.ndarray, np.ndarray]:
    """Rotate by k*90° clockwise; returns (image, 3x3 matrix input->output)."""
    k = quarter_turns_cw % 4
    h, w = img.shape[:2]
    if k == 0:
        return img, np.eye(3)
    if k == 1:  # (x, y) -> (h-1-y, x)
        return cv2.rotate(img, cv2.ROTATE_90_CLOCKWISE), np.array([[0, -1, h], [1, 0, 0], [0, 0, 1]], float)
    if k == 2:
        return cv2.rotate(img, cv2.ROTATE_180), np.array([[-1, 0, w], [0, -1, h], [0, 0, 1]], float)
    return cv2.rotate(img, cv2.ROTATE_90_COUNTERCLOCKWISE), np.array([[0, 1, 0], [-1, 0, w], [0, 0, 1]], float)


def rotate_small(img: np.ndarray, degrees: float) -> tuple[np.ndarray, np.ndarray]:
    """Rotate counter-clockwise by `degrees` (OpenCV convention) about the centre, growing the
    canvas so nothing is cut off; white fill. Returns (image, 3x3 matrix input->output)."""
    if abs(degrees) < 1e-6:
        return img, np.eye(3)
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), degrees, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(np.ceil(h * sin + w * cos)), int(np.ceil(h * cos + w * sin))
    m[0, 2] += nw / 2.0 - w / 2.0
    m[1, 2] += nh / 2.0 - h / 2.0
    border = (WHITE,) * (img.shape[2] if img.ndim == 3 else 1)
    out = cv2.warpAffine(img, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=border)
    return out, _as3(m)


def scale(img: np.ndarray, factor: float) -> tuple[np.ndarray, np.ndarray]:
    """Resize by `factor` (area interpolation when shrinking); returns (image, 3x3 matrix)."""
    if abs(factor - 1.0) < 0.02:
        return img, np.eye(3)
    h, w = img.shape[:2]
    nw, nh = max(1, int(round(w * factor))), max(1, int(round(h * factor)))
    interp = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    out = cv2.resize(img, (nw, nh), interpolation=interp)
    return out, np.diag([nw / w, nh / h, 1.0])


def downscale_to(img: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    """Shrink so the longer side is at most `max_side`; returns (image, factor applied)."""
    h, w = img.shape[:2]
    f = min(1.0, max_side / max(h, w))
    if f >= 1.0:
        return img, 1.0
    return cv2.resize(img, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA), f


# --------------------------------------------------------------------------- deskew

def deskew_angle(gray: np.ndarray, max_degrees: float = 5.0, step: float = 0.25, work_px: int = 1200) -> float:
    """Counter-clockwise rotation (degrees) that makes text lines and rulings horizontal.

    Projection profile: on a downscaled ink mask, for each candidate angle in ±max_degrees
    (step `step`, then a 0.05° refinement around the best), project the ink pixels onto the
    rotated y axis and keep the angle whose row sums have the largest variance. Rulings of
    forms help rather than hurt (unlike minAreaRect, which fits the whole table block)."""
    small, _ = downscale_to(gray, work_px)
    ink = ink_mask(small)
    ys, xs = np.nonzero(ink)
    if len(xs) < 50:
        return 0.0
    if len(xs) > 200_000:  # cap the work on very dark pages
        idx = np.random.default_rng(0).choice(len(xs), 200_000, replace=False)
        xs, ys = xs[idx], ys[idx]
    xs = xs.astype(np.float64) - small.shape[1] / 2.0
    ys = ys.astype(np.float64) - small.shape[0] / 2.0
    diag = int(np.hypot(*small.shape[:2])) + 2

    def score(deg: float) -> float:
        a = np.deg2rad(deg)
        # y coordinate after rotating the points by `deg` counter-clockwise (OpenCV convention)
        yr = -np.sin(a) * xs + np.cos(a) * ys
        rows = np.bincount((yr + diag / 2).astype(np.int64), minlength=diag)
        return float(np.var(rows))

    coarse = np.arange(-max_degrees, max_degrees + 1e-9, step)
    best = max(coarse, key=score)
    fine = np.arange(best - step, best + step + 1e-9, 0.05)
    scores = np.array([score(a) for a in fine])
    # Below the resolution of the downscaled mask the score is flat: take the plateau's centre.
    plateau = fine[scores >= scores.max() * 0.998]
    best = float(np.round(plateau.mean() / 0.05) * 0.05)
    return round(best, 2) + 0.0


# --------------------------------------------------------------------------- glyph size

def line_masks(ink: np.ndarray, min_frac: float = 0.04) -> tuple[np.ndarray, np.ndarray]:
    """Long horizontal and vertical ruling lines in an ink mask (uint8 0/1)."""
    h, w = ink.shape[:2]
    hk = cv2.getStructuringElement(cv2.MORPH_RECT, (max(15, int(w * min_frac)), 1))
    vk = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(15, int(h * min_frac))))
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, hk), cv2.morphologyEx(ink, cv2.MORPH_OPEN, vk)


def glyph_height(gray: np.ndarray) -> float | None:
    """Typical height in px of a CJK glyph on the page, from connected components of the ink
    (ruling lines removed). Most CJK characters have at least one full-height component, so
    the upper quartile of component heights tracks the glyph height. None if no text."""
    ink = ink_mask(gray)
    hor, ver = line_masks(ink)
    ink = cv2.subtract(ink, cv2.bitwise_or(hor, ver))
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n < 2:
        return None
    hs = stats[1:, cv2.CC_STAT_HEIGHT]
    ws = stats[1:, cv2.CC_STAT_WIDTH]
    area = stats[1:, cv2.CC_STAT_AREA]
    page_h = gray.shape[0]
    keep = (hs >= 6) & (hs <= page_h / 15) & (ws <= 3 * hs) & (area >= 12)
    if keep.sum() < 10:
        return None
    return float(np.percentile(hs[keep], 75))


def glyph_scale(gray: np.ndarray, target_px: int, lo: float = 0.25, hi: float = 2.0) -> float:
    """Factor that brings glyphs to about `target_px` tall (1.0 when unknown)."""
    g = glyph_height(gray)
    if not g:
        return 1.0
    return float(np.clip(target_px / g, lo, hi))
