"""read_page: preprocess one page image, run the chosen engine, map boxes back to the original."""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from core.errors import OcrFailed
from core.stages import DESKEW, ORIENTATION, PREPARE, READING, stage
from core.types import Line, PageText
from ocr.engines import engine_class
from ocr.engines.base import OcrEngine
from ocr.options import OcrOptions
from ocr.orientation import detect_orientation
from ocr.preprocess import Transform, deskew_angle, rotate90, rotate_small, to_gray


def get_engine(options: OcrOptions) -> OcrEngine:
    """The engine these options choose, built from its own options. Heavy state (RapidOCR's ONNX
    sessions) is cached per process inside the engine module, so building one per page is cheap."""
    return engine_class(options.engine)(options.engine_options, threads=options.threads, timeout_s=options.timeout_s)


def _check(image: np.ndarray) -> None:
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8 or image.ndim not in (2, 3):
        raise OcrFailed("页面图像格式错误（page image must be a uint8 grey or BGR array）")
    if image.ndim == 3 and image.shape[2] not in (3, 4):
        raise OcrFailed("页面图像格式错误（page image must have 3 (BGR) or 4 (BGRA) channels）")
    if min(image.shape[:2]) < 8:
        raise OcrFailed("页面图像太小（page image is smaller than 8 px）")


def reading_order(lines: list[Line]) -> list[Line]:
    """Top-to-bottom rows, left-to-right within a row. A line joins the current row when its
    vertical centre lies within the row's first line's vertical extent."""
    rest = sorted(lines, key=lambda ln: (ln.bbox[1], ln.bbox[0]))
    out: list[Line] = []
    while rest:
        first = rest[0]
        top, bottom = first.bbox[1], first.bbox[3]
        row = [ln for ln in rest if top <= (ln.bbox[1] + ln.bbox[3]) / 2 <= bottom] or [first]
        if first not in row:
            row.append(first)
        ids = {id(ln) for ln in row}
        rest = [ln for ln in rest if id(ln) not in ids]
        out.extend(sorted(row, key=lambda ln: ln.bbox[0]))
    return out


def _to_original(line: Line, t: Transform, w: int, h: int) -> Line:
    words = tuple(replace(wd, bbox=t.box_to_original(wd.bbox, w, h)) for wd in line.words)
    return replace(line, bbox=t.box_to_original(line.bbox, w, h), words=words)


def read_page(image: np.ndarray, options: OcrOptions) -> PageText:
    """OCR one page image (BGR uint8, as decoded/rendered, any DPI).

    Steps: grey (red channel when suppress_seals) -> orientation 0/90/180/270 -> projection
    deskew -> engine-specific scaling/binarization -> engine -> boxes mapped back to the
    original image, lines in reading order of the upright page.

    PageText.rotation: clockwise degrees (0/90/180/270) the page was turned to make it upright.
    PageText.skew: degrees of the deskew rotation applied, counter-clockwise positive (OpenCV
    convention): content tilted 2° counter-clockwise is straightened with skew = -2.0."""
    _check(image)
    if image.ndim == 3 and image.shape[2] == 4:
        image = np.ascontiguousarray(image[:, :, :3])
    h, w = image.shape[:2]
    engine = get_engine(options)
    with stage(PREPARE):
        gray = to_gray(image, options.suppress_seals)
    # an engine that reads colour gets it when seals are not suppressed; the others read grey
    work = image if (engine.reads_colour and not options.suppress_seals and image.ndim == 3) else gray
    t = Transform.identity()

    rotation = 0
    if options.fix_orientation:
        with stage(ORIENTATION):
            rotation = detect_orientation(gray, threads=options.threads).rotation
            if rotation:
                work, m = rotate90(work, rotation // 90)
                gray, _ = rotate90(gray, rotation // 90)
                t = t.then(m)

    skew = 0.0
    if options.deskew:
        with stage(DESKEW):
            skew = deskew_angle(gray)
            if skew:
                work, m = rotate_small(work, skew)
                t = t.then(m)

    work, m = engine.prepare(work)
    if m is not None:
        t = t.then(m)

    with stage(READING):  # the engine's model calls count as their own stages
        lines = engine.read(work)
        lines = [_to_original(ln, t, w, h) for ln in reading_order(lines)]
    return PageText(width=w, height=h, lines=lines, source="ocr", engine=engine.name,
                    rotation=rotation, skew=skew)
