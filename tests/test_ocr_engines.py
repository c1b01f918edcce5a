"""The OCR engine plug-in interface (ocr/engines): each built-in engine is found through the
`casefile.ocr_engines` entry-point group, owns its options, fingerprint and preparation; a
third-party engine declared by a package on the path is read by `casefile run` like a built-in."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import textwrap
from importlib import metadata

import cv2
import numpy as np
import pydantic
import pytest

from core.types import Line
from devtools.localcluster import CASEFILE, ROOT
from devtools.ocr_pages import discharge_form, norm
from ocr import OcrEngine, OcrOptions, engine_class, engine_names, get_engine, read_page, register_engine
from ocr.engines import GROUP, EngineOptions, UnknownEngine
from ocr.engines.rapid import RapidEngine, RapidOcrOptions
from ocr.engines.tesseract import TesseractEngine, TesseractOptions
from ocr.options import engine_fingerprint


@pytest.fixture(scope="module")
def form():
    return discharge_form(dpi=150, rows=5)


# --------------------------------------------------------------------------- the built-in engines

def test_built_in_engines_are_entry_points_of_the_plug_in_group():
    points = {ep.name: ep.value for ep in metadata.entry_points(group=GROUP)}
    assert points["rapidocr"] == "ocr.engines.rapid:RapidEngine"
    assert points["tesseract"] == "ocr.engines.tesseract:TesseractEngine"
    assert engine_class("rapidocr") is RapidEngine and engine_class("tesseract") is TesseractEngine
    assert {"rapidocr", "tesseract"} <= set(engine_names())


@pytest.mark.parametrize("name, options_model, own", [
    ("rapidocr", RapidOcrOptions, {"max_side_len": 960}),
    ("tesseract", TesseractOptions, {"table_cells": False, "glyph_px": 0}),
])
def test_each_engine_validates_its_own_options(name, options_model, own):
    options = OcrOptions(engine=name, **own)
    assert type(options.engine_options) is options_model
    assert options.engine_options.model_dump().items() >= own.items()
    # the same options given nested, or through a dump, are the same options
    assert OcrOptions(engine=name, engine_options=own) == options
    assert OcrOptions.model_validate(options.model_dump()) == options
    engine = get_engine(options)
    assert type(engine) is engine_class(name) and engine.options == options.engine_options


def test_an_option_of_the_other_engine_is_refused():
    with pytest.raises(pydantic.ValidationError):
        OcrOptions(engine="rapidocr", table_cells=False)
    with pytest.raises(pydantic.ValidationError):
        OcrOptions(engine="tesseract", max_side_len=960)
    with pytest.raises(pydantic.ValidationError):
        OcrOptions(engine="tesseract", engine_options=RapidOcrOptions())


def test_tesseract_prepares_a_scaled_binary_page_and_says_how_it_scaled(form):
    gray = cv2.cvtColor(form.image, cv2.COLOR_BGR2GRAY)
    engine = TesseractEngine()  # glyph_px 25, binarize

    prepared, m = engine.prepare(gray)

    assert set(np.unique(prepared)) <= {0, 255}
    assert m is not None and m.shape == (3, 3)
    assert prepared.shape[1] == round(gray.shape[1] * m[0, 0])
    unscaled, none = TesseractEngine(glyph_px=0, binarize=False).prepare(gray)
    assert unscaled is gray and none is None


def test_rapidocr_reads_the_page_as_prepared_and_in_colour_when_seals_are_kept(form):
    engine = RapidEngine()
    prepared, m = engine.prepare(form.image)
    assert prepared is form.image and m is None
    assert RapidEngine.reads_colour and not TesseractEngine.reads_colour


@pytest.mark.parametrize("name", ["rapidocr", "tesseract"])
def test_each_engine_reads_a_key_value_through_read_page(form, name):
    page = read_page(form.image, OcrOptions(engine=name, fix_orientation=False))
    assert page.engine == name
    value, _ = form.keys["id_number"]
    assert norm(value) in norm(page.text)


def test_the_fingerprints_name_package_model_files_and_runtime():
    rapid = engine_fingerprint("rapidocr", RapidOcrOptions())
    assert rapid["package"].startswith("rapidocr-")
    assert {"PP-OCRv6_det_small.onnx", "PP-OCRv6_rec_small.onnx"} <= set(rapid["models"])
    assert all(len(digest) == 16 for digest in rapid["models"].values())
    assert rapid["runtime"].startswith("onnxruntime-")
    tess = engine_fingerprint("tesseract", TesseractOptions(languages="chi_sim"))
    assert tess["package"].startswith("tesseract ") and set(tess["models"]) == {"chi_sim.traineddata"}
    assert tess["models"]["chi_sim.traineddata"] != "missing"


def test_the_options_hash_follows_the_model_files(monkeypatch):
    before = OcrOptions(engine="tesseract").options_hash()
    assert OcrOptions(engine="tesseract", languages="chi_sim").options_hash() != before
    engine_fingerprint.cache_clear()
    real = TesseractEngine.fingerprint.__func__
    monkeypatch.setattr(TesseractEngine, "fingerprint", classmethod(
        lambda cls, options: real(cls, options) | {"models": {"chi_sim.traineddata": "another model"}}))
    try:
        assert OcrOptions(engine="tesseract").options_hash() != before
    finally:
        engine_fingerprint.cache_clear()


# --------------------------------------------------------------------------- the registry

class _Echo(OcrEngine):
    name = "echo-test"

    class Options(EngineOptions):
        text: str = "回声"

    @classmethod
    def fingerprint(cls, options):
        return {"package": "echo-1", "models": {}, "runtime": "python"}

    def read(self, image):
        h, w = image.shape[:2]
        return [Line(self.options.text, (0, 0, w, h), 0.9)]


def test_a_registered_engine_is_selected_by_name_with_its_own_options():
    register_engine(_Echo)
    register_engine(_Echo)  # the same class again changes nothing
    options = OcrOptions(engine="echo-test", text="自己的选项", fix_orientation=False, deskew=False)
    page = read_page(np.full((60, 120, 3), 255, np.uint8), options)
    assert page.engine == "echo-test" and page.text == "自己的选项"
    assert page.lines[0].bbox == (0, 0, 120, 60)
    assert "echo-test" in engine_names()


def test_the_registry_refuses_a_taken_name_and_what_is_not_an_engine():
    class Impostor(_Echo):
        name = "tesseract"

    with pytest.raises(ValueError):
        register_engine(Impostor)
    with pytest.raises(TypeError):
        register_engine(type("NotAnEngine", (), {"name": "nope"}))
    with pytest.raises(UnknownEngine):
        engine_class("easyocr")
    with pytest.raises(pydantic.ValidationError):
        OcrOptions(engine="easyocr")


# --------------------------------------------------------------------------- a third-party plug-in

PLUGIN = '''
"""A third-party OCR engine: halves the page in its preparation, reads one fixed line."""
import cv2
import numpy as np
from pydantic import Field

from core.types import Line
from ocr import EngineOptions, OcrEngine


class FakeOptions(EngineOptions):
    text: str = Field("居民身份证 姓名 测试插件", description="what every page reads as")


class FakeEngine(OcrEngine):
    name = "fake"
    Options = FakeOptions

    @classmethod
    def fingerprint(cls, options):
        return {"package": "fake-ocr-1.0", "models": {}, "runtime": "numpy"}

    def prepare(self, image):
        h, w = image.shape[:2]
        half = cv2.resize(image, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
        return half, np.diag([(w // 2) / w, (h // 2) / h, 1.0])

    def read(self, image):
        h, w = image.shape[:2]
        return [Line(f"{self.options.text} {w}x{h}", (0, 0, w, h), 0.75)]
'''


def test_a_third_party_engine_declared_by_a_package_is_read_by_casefile_run(tmp_path):
    site = tmp_path / "site"
    (site / "fake_ocr_engine-1.0.dist-info").mkdir(parents=True)
    (site / "fake_ocr_engine.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    (site / "fake_ocr_engine-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: fake-ocr-engine\nVersion: 1.0\n", encoding="utf-8")
    (site / "fake_ocr_engine-1.0.dist-info" / "entry_points.txt").write_text(
        f"[{GROUP}]\nfake = fake_ocr_engine:FakeEngine\n", encoding="utf-8")
    scans = tmp_path / "scans"
    scans.mkdir()
    page = np.full((800, 600, 3), 255, np.uint8)
    cv2.putText(page, "casefile plug-in 2026", (40, 200), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (0, 0, 0), 2)
    cv2.imwrite(str(scans / "scan.png"), page)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFILE_")}
    env |= {"CASEFILE_WORKSPACE": str(tmp_path / "ws"), "PYTHONPATH": f"{site}{os.pathsep}{ROOT}",
            "OMP_THREAD_LIMIT": "1"}

    proc = subprocess.run(
        [*CASEFILE, "run", str(scans), "--engine", "fake", "--report-json", str(tmp_path / "report.json"),
         "--workers", "1", "--no-summary"],
        env=env, capture_output=True, text=True, timeout=300,
    )

    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["errors"] == [] and len(report["documents"]) == 1
    with sqlite3.connect(tmp_path / "ws" / "casefile.sqlite3") as db:
        rows = db.execute("SELECT status, engine, rotation, skew, text, lines, options_hash FROM records_page").fetchall()
    assert len(rows) == 1
    status, engine, rotation, skew, text, lines, options_hash = rows[0]
    assert (status, engine, rotation, skew) == ("done", "fake", 0, 0.0)  # an upright, straight page
    assert text == "居民身份证 姓名 测试插件 300x400"  # read from the page the plug-in prepared
    assert json.loads(lines)[0]["bbox"] == [0, 0, 600, 800]  # and mapped back to the original page
    assert len(options_hash) == 16
