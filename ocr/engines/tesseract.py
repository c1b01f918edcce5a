"""tesseract through pytesseract: full page --psm 3, plus ruled table cells one by one (--psm 7/6).

Always handed a decoded array (never a path: tesseract refuses some truncated files OpenCV
decodes). Every call runs with a timeout; OMP_THREAD_LIMIT=1 because we parallelise over pages.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import cv2
import numpy as np

from core.errors import OcrFailed, OcrTimeout
from core.types import BBox, Line, Word, union_bbox
from ocr.tables import cell_has_ink, find_cells, inside

CELL_PAD = 12  # white border around a cell crop: tesseract reads badly at the image edge
CELL_MARGIN = 3  # px cut from a cell interior so ruling-line remnants are not read as 丨 or 一


@dataclass(frozen=True)
class _Tok:
    key: tuple[int, int, int]  # (block, par, line)
    text: str
    box: BBox
    conf: float


def join_tokens(texts: list[str]) -> str:
    """Join tesseract words: CJK without spaces, a space only between two ASCII tokens."""
    out = ""
    for t in texts:
        if out and out[-1].isascii() and out[-1].isalnum() and t[0].isascii() and t[0].isalnum():
            out += " "
        out += t
    return out


def _is_timeout(exc: BaseException) -> bool:
    return isinstance(exc, RuntimeError) and "timeout" in str(exc).lower()


class TesseractEngine:
    name = "tesseract"

    def __init__(self, languages: str = "chi_sim+eng", timeout_s: float = 180.0, table_cells: bool = True,
                 glyph_px: int = 25):
        self.languages = languages
        self.timeout_s = timeout_s
        self.table_cells = table_cells
        self.glyph_px = glyph_px or 25  # unscaled pages: assume the usual size for cell heuristics

    # ------------------------------------------------------------------ calls
    def _data(self, image: np.ndarray, psm: int) -> dict:
        import pytesseract

        os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # inherited by the tesseract subprocess
        try:
            return pytesseract.image_to_data(
                image, lang=self.languages, config=f"--psm {psm}",
                output_type=pytesseract.Output.DICT, timeout=self.timeout_s,
            )
        except pytesseract.TesseractNotFoundError as exc:
            raise OcrFailed("tesseract 未安装（tesseract is not installed or not on PATH）") from exc
        except pytesseract.TesseractError as exc:
            raise OcrFailed(f"tesseract 识别失败（tesseract failed: {exc.message or exc.status}）") from exc
        except RuntimeError as exc:
            if _is_timeout(exc):
                raise OcrTimeout(f"tesseract 识别超时（no result within {self.timeout_s:g} s）") from exc
            raise OcrFailed(f"tesseract 识别失败（{exc}）") from exc

    @staticmethod
    def _tokens(data: dict, dx: int = 0, dy: int = 0) -> list[_Tok]:
        toks = []
        for i, text in enumerate(data["text"]):
            text = (text or "").strip()
            conf = float(data["conf"][i])
            if not text or conf < 0:
                continue
            x, y, w, h = (int(data[k][i]) for k in ("left", "top", "width", "height"))
            key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
            toks.append(_Tok(key, text, (x + dx, y + dy, x + dx + w, y + dy + h), conf / 100.0))
        return toks

    @staticmethod
    def _lines(toks: list[_Tok]) -> list[Line]:
        groups: dict[tuple[int, int, int], list[_Tok]] = {}
        for t in toks:
            groups.setdefault(t.key, []).append(t)
        lines = []
        for group in groups.values():
            group.sort(key=lambda t: t.box[0])
            words = tuple(Word(t.text, t.box, round(t.conf, 4)) for t in group)
            lines.append(Line(
                text=join_tokens([t.text for t in group]),
                bbox=union_bbox([t.box for t in group]),
                conf=round(sum(t.conf for t in group) / len(group), 4),
                words=words,
            ))
        return lines

    # ------------------------------------------------------------------ read
    def read(self, image: np.ndarray) -> list[Line]:
        if image.ndim == 3:
            image = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        toks = self._tokens(self._data(image, 3))
        if not self.table_cells:
            return self._lines(toks)
        ink = (image < 128).astype(np.uint8)
        cells = [c for c in find_cells(ink, min_cell_px=max(8, self.glyph_px // 2))
                 if cell_has_ink(ink, c, CELL_MARGIN)]
        if not cells:
            return self._lines(toks)
        page_toks = [t for t in toks if not any(inside(t.box, c) for c in cells)]
        return self._lines(page_toks) + self._read_cells(image, cells)

    def _read_cells(self, image: np.ndarray, cells: list[BBox]) -> list[Line]:
        lines: list[Line] = []
        for x0, y0, x1, y1 in cells:
            cx0, cy0 = x0 + CELL_MARGIN, y0 + CELL_MARGIN
            interior = image[cy0:y1 - CELL_MARGIN, cx0:x1 - CELL_MARGIN]
            ink = interior < 128
            ys, xs = np.nonzero(ink)
            if len(xs) == 0:
                continue
            # the ink's bounding box only: less for tesseract to look at, no ruling remnants
            bx0, by0, bx1, by1 = xs.min(), ys.min(), xs.max() + 1, ys.max() + 1
            crop = cv2.copyMakeBorder(interior[by0:by1, bx0:bx1], CELL_PAD, CELL_PAD, CELL_PAD, CELL_PAD,
                                      cv2.BORDER_CONSTANT, value=255)
            psm = 7 if text_rows(ink[by0:by1, bx0:bx1], self.glyph_px) <= 1 else 6
            toks = self._tokens(self._data(crop, psm), dx=cx0 + bx0 - CELL_PAD, dy=cy0 + by0 - CELL_PAD)
            lines.extend(self._lines(toks))
        return lines


def text_rows(ink: np.ndarray, glyph_px: int) -> int:
    """Number of text rows in a cell: runs of inked rows separated by gaps of >= 1/3 glyph."""
    rows = ink.any(axis=1)
    count, gap, in_run = 0, 0, False
    for has in rows:
        if has:
            if not in_run and (count == 0 or gap >= glyph_px / 3):
                count += 1
            in_run, gap = True, 0
        else:
            in_run, gap = False, gap + 1
    return count
