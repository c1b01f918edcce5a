"""OCR benchmark over rendered evidence pages (the figures in ocr/README.md).

A benchmark, not a test (minutes of CPU). Run it from the repository root with
    .venv/bin/python -m devtools.bench_ocr [orientation|engines|worn]
"""
from __future__ import annotations

import resource
import sys
import time

from devtools.ocr_pages import PAGES, degrade, norm, rotate_page

DPI = 300
VARIANTS = (0, 1, 2)


def pages(conditions=("clean", "degraded")):
    for variant in VARIANTS:
        for name, make in PAGES.items():
            page = make(dpi=DPI, variant=variant)
            for cond in conditions:
                if cond == "clean":
                    img = page.image
                elif cond == "degraded":
                    img = degrade(page.image, seed=variant)[0]
                else:
                    img = worn(page.image, variant)
                yield name, variant, cond, page, img


def worn(img, seed: int):
    """Much worse than `degrade`: 3° skew, blur σ 2 px, noise σ 30, JPEG q30 (300 dpi)."""
    import cv2
    import numpy as np

    out, _ = degrade(img, seed=seed, angle=3.0)
    out = cv2.GaussianBlur(out, (0, 0), 2.0)
    noise = np.random.default_rng(seed).normal(0, 30, out.shape)
    out = np.clip(out.astype(np.float32) + noise, 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, 30])
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)


def heavy_pages():
    """Harder orientation set: 120 dpi, 3° skew, stronger blur and noise, JPEG q40."""
    import cv2
    import numpy as np

    for variant in VARIANTS:
        for name, make in PAGES.items():
            page = make(dpi=120, variant=variant)
            img, _ = degrade(page.image, seed=variant, angle=3.0)
            img = cv2.GaussianBlur(img, (0, 0), 1.2)
            noise = np.random.default_rng(variant).normal(0, 25, img.shape)
            img = np.clip(img.astype(np.float32) + noise, 0, 255).astype(np.uint8)
            yield name, variant, "heavy", page, img


def bench_orientation() -> None:
    import pytesseract

    from ocr.orientation import detect_orientation
    from ocr.preprocess import to_gray

    methods = {
        "rapid det + rec confidence": lambda g: detect_orientation(g, method="rec").rotation,
        "rapid det + cls model": lambda g: detect_orientation(g, method="cls").rotation,
        "rapid det + cls, rec when unsure (auto)": lambda g: detect_orientation(g, method="auto").rotation,
        "tesseract OSD": lambda g: _osd(pytesseract, g),
    }
    for set_name, source in (("300 dpi clean+degraded", pages()), ("120 dpi heavy", heavy_pages())):
        stats = {m: [0, 0, 0.0] for m in methods}
        for name, variant, cond, page, img in source:
            for k in (0, 1, 2, 3):
                gray = to_gray(rotate_page(img, k), True)
                want = (4 - k) % 4 * 90
                for m, fn in methods.items():
                    t = time.perf_counter()
                    got = fn(gray)
                    stats[m][2] += time.perf_counter() - t
                    stats[m][0] += got == want
                    stats[m][1] += 1
                    if got != want:
                        print(f"  miss {m}: {name} v{variant} {cond} k={k} want {want} got {got}")
        for m, (ok, n, secs) in stats.items():
            print(f"orientation | {set_name} | {m} | {ok}/{n} | {secs / n:.2f} s/page", flush=True)


def _osd(pytesseract, gray) -> int:
    try:
        osd = pytesseract.image_to_osd(gray, config="--psm 0", timeout=60,
                                       output_type=pytesseract.Output.DICT)
        return int(osd["rotate"]) % 360
    except Exception:
        return -1


CONFIGS = {
    "default options": dict(),
    "rapidocr max_side_len=960": dict(engine="rapidocr", max_side_len=960),
    "rapidocr max_side_len=1280": dict(engine="rapidocr", max_side_len=1280),
    "rapidocr max_side_len=1600": dict(engine="rapidocr", max_side_len=1600),
    "rapidocr max_side_len=2000": dict(engine="rapidocr", max_side_len=2000),
    "rapidocr 2000, no seal suppression": dict(engine="rapidocr", max_side_len=2000, suppress_seals=False),
    "tesseract raw (psm 3 only)": dict(engine="tesseract", fix_orientation=False, deskew=False,
                                       suppress_seals=False, binarize=False, glyph_px=0, table_cells=False),
    "tesseract preprocessed, no cells": dict(engine="tesseract", table_cells=False),
    "tesseract preprocessed + cells": dict(engine="tesseract"),
}


def bench_engines(only: str | None = None, conditions=("clean", "degraded")) -> None:
    from ocr import OcrOptions, read_page

    for label, kw in CONFIGS.items():
        if only and only not in label:
            continue
        opts = OcrOptions(**kw)
        read_page(PAGES["id_card"](dpi=150).image, opts)  # warm up (model load)
        res = {c: [0, 0, 0.0, 0] for c in conditions}
        cpu0 = time.process_time()
        kinds: dict[str, list[int]] = {}
        for name, variant, cond, page, img in pages(conditions):
            t = time.perf_counter()
            text = norm(read_page(img, opts).text)
            res[cond][2] += time.perf_counter() - t
            res[cond][3] += 1
            for key, (value, _) in page.keys.items():
                hit = norm(value) in text
                res[cond][0] += hit
                res[cond][1] += 1
                k = kinds.setdefault(key if key in ("name", "id_number", "unit") else "date/other", [0, 0])
                k[0] += hit
                k[1] += 1
                if not hit:
                    print(f"  miss {label}: {name} v{variant} {cond} {key}={value}")
        found = " | ".join(f"{c} {r[0]}/{r[1]}" for c, r in res.items())
        secs = sum(r[2] for r in res.values()) / sum(r[3] for r in res.values())
        cpu = (time.process_time() - cpu0) / sum(r[3] for r in res.values())  # tesseract runs as a child
        per_kind = " ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(kinds.items()))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"engine | {label} | {found} | {secs:.2f} s/page wall, {cpu:.2f} CPU-s in-process | "
              f"peak RSS {rss} MB | {per_kind}", flush=True)


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    if what in ("orientation", "all"):
        bench_orientation()
    if what in ("engines", "all"):
        bench_engines(sys.argv[2] if len(sys.argv) > 2 else None)
    if what == "worn":
        bench_engines(sys.argv[2] if len(sys.argv) > 2 else None, conditions=("worn",))
