"""RapidOCR 3.x (PP-OCR detector + recogniser, ONNX models inside the wheel, offline).

One RapidOCR object (three ONNX sessions, ~0.5 GB) per process and thread count, created lazily
in the process that uses it (never inherited through fork: onnxruntime thread pools do not
survive fork reliably). max_side_len is applied per call, so pages read with different caps
and the orientation detector share the same sessions.

Stage timing (core.stages): each ONNX session's creation is counted as model load, and the
sessions RapidOCR's own reading call uses as detection, line direction and recognition; the
orientation detector calls the bare sessions, inside its own stage.
"""
from __future__ import annotations

import logging
import os
import re
import threading
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import cv2
import numpy as np
from pydantic import Field

from core.errors import OcrFailed
from core.stages import DETECTION, DIRECTION, MODEL_LOAD, RECOGNITION, stage
from core.types import Line, Word, union_bbox
from ocr.engines.base import EngineOptions, OcrEngine, file_digest

_lock = threading.Lock()  # guards the cache
_run_lock = threading.RLock()  # one inference at a time per process (max_side_len is per call)
_cache: dict[int, tuple[int, object]] = {}  # threads -> (pid, RapidOCR)


class _Timed:
    """A RapidOCR model whose calls are counted under a stage; attributes are the model's."""

    def __init__(self, model, name: str):
        self.bare = model
        self._stage = name

    def __call__(self, *args, **kwargs):
        with stage(self._stage):
            return self.bare(*args, **kwargs)

    def __getattr__(self, attr):
        return getattr(self.bare, attr)


_MODELS = (("det", DETECTION), ("cls", DIRECTION), ("rec", RECOGNITION))


def _instrument(ocr) -> None:
    """RapidOCR creates each ONNX session on first use (_load_*_model); count that as model
    load, and wrap the session so its later calls count as its stage. Changes no result."""
    for kind, name in _MODELS:
        attr, load = f"text_{kind}", getattr(ocr, f"_load_{kind}_model")

        def loader(attr=attr, load=load, name=name):
            model = getattr(ocr, attr)
            if model is None:
                with stage(MODEL_LOAD):
                    model = load()
            if not isinstance(model, _Timed):
                model = _Timed(model, name)
                setattr(ocr, attr, model)
            return model

        setattr(ocr, f"_load_{kind}_model", loader)


def _bare(model):
    return model.bare if isinstance(model, _Timed) else model


def get_rapidocr(threads: int = 1):
    """The process's RapidOCR object for this thread count (created on first use)."""
    key = threads
    pid = os.getpid()
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == pid:
            return hit[1]
        try:
            with stage(MODEL_LOAD):
                from rapidocr import RapidOCR

                engine = RapidOCR(params={
                    "Global.log_level": "warning",
                    "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                })
        except Exception as exc:  # missing package or model file
            raise OcrFailed(f"RapidOCR 无法加载（cannot load RapidOCR: {exc}）") from exc
        logging.getLogger("RapidOCR").setLevel(logging.WARNING)
        _instrument(engine)
        _cache[key] = (pid, engine)
        return engine


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "missing"


@lru_cache(maxsize=1)
def models_fingerprint() -> dict:
    """RapidOCR's version, the ONNX model files shipped in its wheel (sha256) and the runtime.
    Read from the files, so nothing is loaded; used by the orientation detector too."""
    try:
        import rapidocr

        folder = Path(rapidocr.__file__).parent / "models"
        models = {p.name: file_digest(p) for p in sorted(folder.glob("*.onnx"))}
    except ImportError:
        models = {}
    return {
        "package": "rapidocr-" + _version("rapidocr"),
        "models": models,
        "runtime": "onnxruntime-" + _version("onnxruntime") + " CPUExecutionProvider",
    }


class RapidOcrOptions(EngineOptions):
    max_side_len: int = Field(
        1280, ge=320, le=8000,
        description="the page is shrunk so its longer side is at most this. 1280 read every key value that "
        "2000 read (ours and the 116 real pages of docs/findings.md) at 2/3 of the time (ocr/README.md).",
    )


def quad_to_bbox(quad: np.ndarray) -> tuple[int, int, int, int]:
    xs, ys = quad[:, 0], quad[:, 1]
    return (int(np.floor(xs.min())), int(np.floor(ys.min())), int(np.ceil(xs.max())), int(np.ceil(ys.max())))


class RapidEngine(OcrEngine):
    """PP-OCR det + direction classifier + rec through RapidOCR, on the colour page when seals
    are not suppressed; RapidOCR scales the page to max_side_len itself."""

    name = "rapidocr"
    Options = RapidOcrOptions
    reads_colour = True

    @classmethod
    def fingerprint(cls, options: EngineOptions) -> dict:
        return models_fingerprint()

    def read(self, image: np.ndarray) -> list[Line]:
        if image.ndim == 2:
            image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
        ocr = get_rapidocr(self.threads)
        try:
            with _run_lock:
                ocr.max_side_len = self.options.max_side_len  # read by RapidOCR.preprocess_img
                # one box and one confidence per character: in its default mode RapidOCR joins a
                # digit run into one word carrying its first digit's confidence (_words)
                res = ocr(image, return_word_box=True, return_single_char_box=True)
        except Exception as exc:
            raise OcrFailed(f"RapidOCR 识别失败（RapidOCR failed: {exc}）") from exc
        if res.boxes is None or res.txts is None or len(res.txts) == 0:
            return []
        words_per_line = res.word_results if len(res.word_results) == len(res.txts) else None
        lines = []
        for i, (quad, text, score) in enumerate(zip(res.boxes, res.txts, res.scores)):
            text = str(text)
            words = _words(text, words_per_line[i], float(score)) if words_per_line is not None else ()
            lines.append(Line(text=text, bbox=quad_to_bbox(np.asarray(quad, dtype=float)),
                              conf=round(float(score), 4), words=words))
        return lines


# CJK ideographs, as RapidOCR tells a Chinese word from a Latin one (rapidocr.utils.is_chinese_char)
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")


def _words(text: str, chars: list, line_conf: float) -> tuple[Word, ...]:
    """Words of one line from RapidOCR's per-character (text, conf, box) triples: every character
    of a line holding Han text its own word, as RapidOCR boxes them; a line of digits and Latin
    letters in runs between spaces, each with its characters' confidences (Word.char_confs).

    RapidOCR 3.10 pairs the k-th non-space character with the k-th confidence of the whole
    decoded text, spaces included (rapidocr/cal_rec_boxes/main.py zips the two lists), so the
    confidence of text[i] is the i-th triple's: a character past the last triple has only the
    line's."""
    confs = [float(c) for _, c, _ in chars]
    at = [i for i, ch in enumerate(text) if not ch.isspace()]
    if len(at) != len(chars) or any(text[i] != str(ch) for i, (ch, _, _) in zip(at, chars)):
        return ()  # the triples do not spell the line: no word boxes rather than wrong ones
    cells = [
        (str(ch), quad_to_bbox(np.asarray(box, dtype=float)), confs[i] if i < len(confs) else None, i)
        for i, (ch, _, box) in zip(at, chars) if box is not None
    ]
    if HAN.search(text):
        return tuple(Word(ch, box, round(conf if conf is not None else line_conf, 4)) for ch, box, conf, _ in cells)
    runs: list[list] = []
    for cell in cells:
        if runs and cell[3] == runs[-1][-1][3] + 1:
            runs[-1].append(cell)
        else:
            runs.append([cell])
    out = []
    for run in runs:
        known = [c for _, _, c, _ in run if c is not None]
        char_confs = tuple(round(c, 4) for c in known) if len(known) == len(run) > 1 else ()
        out.append(Word("".join(ch for ch, _, _, _ in run), union_bbox([b for _, b, _, _ in run]),
                        round(sum(known) / len(known) if known else line_conf, 4), char_confs))
    return tuple(out)


def recognise_crops(crops: list[np.ndarray], threads: int = 1) -> list[tuple[str, float]]:
    """Recognise already cut-out text-line images (no detection). Used by orientation detection."""
    if not crops:
        return []
    ocr = get_rapidocr(threads)
    crops = [cv2.cvtColor(c, cv2.COLOR_GRAY2BGR) if c.ndim == 2 else c for c in crops]
    from rapidocr.ch_ppocr_rec import TextRecInput

    with _run_lock:
        rec = _bare(ocr._load_rec_model())  # noqa: SLF001 - RapidOCR has no public rec-only batch call
        out = rec(TextRecInput(img=crops, return_word_box=False))
    return [(str(t), float(s)) for t, s in zip(out.txts or (), out.scores or ())]


def classify_crops(crops: list[np.ndarray], threads: int = 1) -> list[tuple[str, float]]:
    """PP-OCR text-line direction classifier: ("0" | "180", score) per crop."""
    if not crops:
        return []
    ocr = get_rapidocr(threads)
    crops = [cv2.cvtColor(c, cv2.COLOR_GRAY2BGR) if c.ndim == 2 else c for c in crops]
    with _run_lock:
        cls = _bare(ocr._load_cls_model())  # noqa: SLF001
        out = cls(crops)
    return [(str(lab), float(sc)) for lab, sc in (out.cls_res or ())]


def detect_boxes(image: np.ndarray, threads: int = 1) -> list[np.ndarray]:
    """Text-line quads from the detector only (no recognition), in `image` coordinates. The
    detector itself scales the short side to >= 736 px; pass an already downscaled page."""
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    ocr = get_rapidocr(threads)
    with _run_lock:
        det = _bare(ocr._load_det_model())  # noqa: SLF001 - the public call would also run cls/rec
        res = det(image)
    return [] if res.boxes is None else [np.asarray(b, dtype=float) for b in res.boxes]
