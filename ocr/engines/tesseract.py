"""tesseract through pytesseract: full page --psm 3, plus every ruled table cell read on its own
line of one "cell sheet" (--psm 6); cell words replace the full-page words inside cells.

Always handed a decoded array (never a path: tesseract refuses some truncated files OpenCV
decodes). Every call runs with a timeout; OMP_THREAD_LIMIT=1 because we parallelise over pages.
"""
from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from pydantic import Field

from core.errors import OcrFailed, OcrTimeout
from core.stages import DETECTION, PREPARE, RECOGNITION, stage
from core.types import BBox, Line, Word, union_bbox
from ocr.engines.base import EngineOptions, OcrEngine, file_digest
from ocr.preprocess import glyph_scale, otsu, scale
from ocr.tables import cell_has_ink, find_cells, inside

CELL_PAD = 12  # white border around a cell crop: tesseract reads badly at the image edge
CELL_MARGIN = 3  # px cut from a cell interior so ruling-line remnants are not read as 丨 or 一


@dataclass(frozen=True)
class _Tok:
    key: tuple[int, ...]  # (block, par, line), prefixed by the cell index for cell tokens
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


def _ruling(tok: _Tok) -> bool:
    """A ruling-line remnant read as text ("|", "丨", "一" on a thin box)."""
    x0, y0, x1, y1 = tok.box
    thin = (x1 - x0) <= 0.35 * (y1 - y0) or (y1 - y0) <= 0.35 * (x1 - x0)
    return thin and not tok.text.strip("|丨_—-一[]!lI")


def _is_timeout(exc: BaseException) -> bool:
    return isinstance(exc, RuntimeError) and "timeout" in str(exc).lower()


class TesseractOptions(EngineOptions):
    languages: str = Field("chi_sim+eng", description="tesseract -l value; table cells use the first language.")
    binarize: bool = Field(True, description="Otsu threshold before tesseract.")
    glyph_px: int = Field(25, ge=0, le=80, description="scale so CJK glyphs are about this tall (0 = no scaling).")
    table_cells: bool = Field(True, description="read ruled table cells on a cell sheet of their own.")


@lru_cache(maxsize=1)
def _tesseract() -> tuple[str, Path | None]:
    """`tesseract --version`'s first two lines (tesseract and leptonica) and the tessdata folder."""
    try:
        version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=30)
        langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):  # tesseract missing: hashing must not fail
        return "tesseract-missing", None
    lines = (version.stdout or version.stderr).splitlines()
    found = re.search(r'"([^"]+)"', langs.stdout)
    return " ".join(line.strip() for line in lines[:2]), Path(found[1]) if found else None


class TesseractEngine(OcrEngine):
    """Full page --psm 3 plus a cell sheet; reads the grey page, scaled to glyph_px and binarised."""

    name = "tesseract"
    Options = TesseractOptions

    @classmethod
    def fingerprint(cls, options: EngineOptions) -> dict:
        version, tessdata = _tesseract()
        models = {}
        for lang in options.languages.split("+"):
            path = tessdata / f"{lang}.traineddata" if tessdata else None
            models[f"{lang}.traineddata"] = file_digest(path) if path and path.is_file() else "missing"
        return {"package": version, "models": models, "runtime": "tesseract subprocess, OMP_THREAD_LIMIT=1"}

    def prepare(self, image: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        m = None
        with stage(PREPARE):
            if self.options.glyph_px:
                image, m = scale(image, glyph_scale(image, self.options.glyph_px))
            if self.options.binarize:
                image = otsu(image)
        return image, m

    @property
    def languages(self) -> str:
        return self.options.languages

    @property
    def glyph_px(self) -> int:
        return self.options.glyph_px or 25  # unscaled pages: assume the usual size for cell heuristics

    # ------------------------------------------------------------------ calls
    def _data(self, image: np.ndarray, psm: int, lang: str | None = None) -> dict:
        import pytesseract

        os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # inherited by the tesseract subprocess
        try:
            # tesseract's own layout analysis and its recognition are one subprocess call
            with stage(RECOGNITION, subprocesses=True):
                return pytesseract.image_to_data(
                    image, lang=lang or self.languages, config=f"--psm {psm}",
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
        groups: dict[tuple[int, ...], list[_Tok]] = {}
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
        if not self.options.table_cells:
            return self._lines(toks)
        with stage(DETECTION):
            ink = (image < 128).astype(np.uint8)
            cells = [c for c in find_cells(ink, min_cell_px=max(8, self.glyph_px // 2))
                     if cell_has_ink(ink, c, CELL_MARGIN)]
        if not cells:
            return self._lines(toks)
        page_toks = [t for t in toks if not any(inside(t.box, c) for c in cells) and not _ruling(t)]
        return self._lines(page_toks) + self._read_cells(image, cells)

    def _read_cells(self, image: np.ndarray, cells: list[BBox]) -> list[Line]:
        """All cells in ONE tesseract call: each cell's ink is pasted on its own band of a white
        "cell sheet" (bands separated by a glyph height of white), read with --psm 6, and every
        word is mapped back through its band's offset. One call instead of one per cell: a
        tesseract start with chi_sim costs ~0.3-0.5 s, a form has 20-40 cells.

        Cells are read with the primary language only (chi_sim of chi_sim+eng): on short KaiTi
        cells the English model wins and returns Latin garbage (张伟明 -> "LER")."""
        pieces: list[tuple[np.ndarray, int, int]] = []  # (crop, x offset, y offset) in `image`
        for x0, y0, x1, y1 in cells:
            cx0, cy0 = x0 + CELL_MARGIN, y0 + CELL_MARGIN
            interior = image[cy0:y1 - CELL_MARGIN, cx0:x1 - CELL_MARGIN]
            ys, xs = np.nonzero(interior < 128)
            if len(xs) == 0:
                continue
            bx0, by0, bx1, by1 = xs.min(), ys.min(), xs.max() + 1, ys.max() + 1
            pieces.append((interior[by0:by1, bx0:bx1], cx0 + bx0, cy0 + by0))
        if not pieces:
            return []
        gap = max(CELL_PAD, self.glyph_px)
        width = max(c.shape[1] for c, _, _ in pieces) + 2 * gap
        height = sum(c.shape[0] for c, _, _ in pieces) + gap * (len(pieces) + 1)
        sheet = np.full((height, width), 255, np.uint8)
        bands: list[tuple[int, int, int, int]] = []  # (top, bottom, dx, dy) sheet -> image
        y = gap
        for crop, ox, oy in pieces:
            h, w = crop.shape
            sheet[y:y + h, gap:gap + w] = crop
            bands.append((y - gap // 2, y + h + gap // 2, ox - gap, oy - y))
            y += h + gap
        lang = self.languages.split("+")[0]
        data = self._data(sheet, 6, lang)
        toks = []
        for tok in self._tokens(data):
            cy = (tok.box[1] + tok.box[3]) / 2
            for i, (top, bottom, dx, dy) in enumerate(bands):
                if top <= cy < bottom:
                    x0, y0, x1, y1 = tok.box
                    # one line per band and tesseract line: the key keeps cells apart
                    toks.append(_Tok((i, *tok.key), tok.text, (x0 + dx, y0 + dy, x1 + dx, y1 + dy), tok.conf))
                    break
        return self._lines(toks)
