"""ocr/: both engines for real on small rendered evidence pages (150 dpi), plus the preprocessing
steps and the option contract. Assertions are on normalised substrings and box overlap, never
on exact OCR strings."""
from __future__ import annotations


import numpy as np
import pydantic
import pytest


from core.errors import OcrFailed, OcrTimeout
from core.types import Line, PageText, union_bbox
from devtools.ocr_pages import (
    discharge_form,
    id_card,
    norm,
    overlap,
    placement_letter,
    rotate_box,
    rotate_page,
    skew,
    skew_box,
)
from ocr import OcrOptions, read_page
from ocr.engines.tesseract import TesseractEngine, join_tokens
from ocr.orientation import detect_orientation
from ocr.page import reading_order
from ocr.preprocess import Transform, deskew_angle, rotate90, rotate_small, to_gray

RAPID = OcrOptions()
TESS = OcrOptions(engine="tesseract")


@pytest.fixture(scope="module")
def form():
    """A 退出现役登记表 cut after five rows, red seal over the 服役部队 row; 150 dpi."""
    return discharge_form(dpi=150, rows=5)


@pytest.fixture(scope="module")
def letter():
    return placement_letter(dpi=150)


def find_line(page: PageText, value: str) -> Line:
    want = norm(value)
    for line in page.lines:
        if want in norm(line.text):
            return line
    raise AssertionError(f"{value!r} not found in:\n{page.text}")


def find_box(page: PageText, value: str):
    """Box of the words that spell `value` (the line's box when the engine gave no words)."""
    line = find_line(page, value)
    if not line.words:
        return line.bbox
    want = norm(value)
    spans, text = [], ""
    for word in line.words:
        start = len(text)
        text += norm(word.text)
        spans.append((start, len(text), word.bbox))
    at = text.find(want)
    if at < 0:  # words do not spell the line text exactly: fall back to the line
        return line.bbox
    covered = [b for s0, s1, b in spans if s0 < at + len(want) and s1 > at]
    return union_bbox(covered)


def assert_box_near(found, drawn) -> None:
    """The OCR box covers where the value was drawn and is not much larger."""
    assert overlap(found, drawn) > 0.6, (found, drawn)
    for lo, hi in ((0, 2), (1, 3)):
        assert found[hi] - found[lo] < 1.5 * (drawn[hi] - drawn[lo]) + 12, (found, drawn)


# --------------------------------------------------------------------------- engines, for real

@pytest.mark.parametrize("options", [RAPID, TESS], ids=["rapidocr", "tesseract"])
def test_finds_name_id_and_date_on_a_clean_table_form(form, options):
    page = read_page(form.image, options)

    assert page.engine == options.engine
    assert (page.width, page.height) == form.image.shape[1::-1]
    assert page.rotation == 0 and abs(page.skew) < 0.3
    text = norm(page.text)
    for key in ("name", "id_number", "enlist"):
        value, _ = form.keys[key]
        assert norm(value) in text, f"{key} {value!r} not in {page.text!r}"
    value, drawn = form.keys["name"]
    assert_box_near(find_box(page, value), drawn)
    assert all(0 <= ln.conf <= 1 for ln in page.lines)


@pytest.mark.parametrize("options", [RAPID, TESS], ids=["rapidocr", "tesseract"])
def test_maps_boxes_back_from_a_page_scanned_sideways(letter, options):
    turned = rotate_page(letter.image, 1)  # scanner fed the page rotated 90° clockwise

    page = read_page(turned, options)

    assert page.rotation == 270
    assert (page.width, page.height) == turned.shape[1::-1]
    for key in ("name", "id_number"):
        value, drawn = letter.keys[key]
        assert_box_near(find_box(page, value), rotate_box(drawn, letter.image.shape, 1))
    # reading order is that of the upright letter: the ID number comes before the signature date
    text = norm(page.text)
    assert text.index(norm(letter.keys["id_number"][0])) < text.index(norm("此致"))


@pytest.mark.parametrize("options", [RAPID, TESS], ids=["rapidocr", "tesseract"])
def test_maps_boxes_back_from_a_skewed_scan(form, options):
    tilted, m = skew(form.image, 2.0)

    page = read_page(tilted, options)

    assert abs(page.skew + 2.0) <= 0.5
    for key in ("name", "id_number"):
        value, drawn = form.keys[key]
        assert_box_near(find_box(page, value), skew_box(drawn, m))


def test_tesseract_maps_boxes_back_through_rotation_deskew_and_scaling(letter):
    tilted, m = skew(letter.image, -2.0)
    turned = rotate_page(tilted, 2)  # and upside down

    page = read_page(turned, TESS)

    assert page.rotation == 180
    assert abs(page.skew - 2.0) <= 0.5
    value, drawn = letter.keys["id_number"]
    assert_box_near(find_box(page, value), rotate_box(skew_box(drawn, m), letter.image.shape, 2))


def test_seal_over_a_value_does_not_hide_it(form):
    # the 服役部队 value lies under a red seal
    value, drawn = form.keys["unit"]
    page = read_page(form.image, OcrOptions(fix_orientation=False, deskew=False))
    assert_box_near(find_box(page, value), drawn)


def test_rapidocr_models_load_once_per_process():
    from ocr.engines.rapid import get_rapidocr

    assert get_rapidocr(1) is get_rapidocr(1)


# --------------------------------------------------------------------------- preprocessing

@pytest.mark.parametrize("quarter_turns", [1, 2, 3])
def test_orientation_detection_undoes_90_180_270(quarter_turns):
    card = id_card(dpi=150)
    gray = to_gray(rotate_page(card.image, quarter_turns), suppress_seals=True)
    assert detect_orientation(gray).rotation == (4 - quarter_turns) * 90


def test_deskew_recovers_a_two_degree_skew(letter):
    for angle in (2.0, -2.0):
        tilted, _ = skew(letter.image, angle)
        assert abs(deskew_angle(to_gray(tilted, True)) + angle) <= 0.5
    assert abs(deskew_angle(to_gray(letter.image, True))) <= 0.1


def test_transforms_map_boxes_back_exactly():
    img = np.full((100, 200), 255, np.uint8)
    box = (10, 20, 50, 30)
    for k in range(4):
        out, m = rotate90(img, k)
        t = Transform.identity().then(m)
        moved = rotate_box(box, img.shape, k)
        assert out.shape[:2] == ((100, 200) if k % 2 == 0 else (200, 100))
        assert t.box_to_original(moved, 200, 100) == box
    out, m = rotate_small(img, 3.0)
    assert out.shape[0] > 100 and out.shape[1] > 200  # canvas grows, nothing cut off
    x0, y0, x1, y1 = Transform.identity().then(m).box_to_original((0, 0, out.shape[1], out.shape[0]), 200, 100)
    assert (x0, y0, x1, y1) == (0, 0, 200, 100)


def test_seal_suppression_whitens_red_ink_and_keeps_black():
    img = np.full((10, 20, 3), 255, np.uint8)
    img[:, :10] = (40, 40, 220)  # red (BGR)
    img[:, 10:] = (20, 20, 20)  # black
    gray = to_gray(img, suppress_seals=True)
    assert gray[:, :10].min() > 200 and gray[:, 10:].max() < 60


def test_reading_order_is_rows_then_columns():
    a = Line("标签", (10, 100, 60, 120), 0.9)
    b = Line("值", (200, 102, 260, 124), 0.9)
    c = Line("标题", (80, 10, 160, 40), 0.9)
    assert [ln.text for ln in reading_order([b, a, c])] == ["标题", "标签", "值"]


def test_tesseract_tokens_join_without_spaces_between_cjk():
    assert join_tokens(["入伍", "时间", "1996", "年", "12", "月"]) == "入伍时间1996年12月"
    assert join_tokens(["PLA", "Unit", "61539"]) == "PLA Unit 61539"


# --------------------------------------------------------------------------- errors and options

def test_a_tesseract_timeout_becomes_ocr_timeout(letter):
    engine = TesseractEngine(timeout_s=0.01, table_cells=False)
    with pytest.raises(OcrTimeout) as info:
        engine.read(to_gray(letter.image, True))
    assert info.value.code == "ocr_timeout"


def test_read_page_turns_timeout_into_ocr_timeout(letter):
    opts = OcrOptions(engine="tesseract", timeout_s=0.01, fix_orientation=False)
    with pytest.raises(OcrTimeout):
        read_page(letter.image, opts)


def test_tesseract_failure_is_ocr_failed_with_a_readable_message(letter):
    engine = TesseractEngine(languages="xxx_nonexistent", table_cells=False)
    with pytest.raises(OcrFailed) as info:
        engine.read(to_gray(letter.image[:200, :400], True))
    assert not isinstance(info.value, OcrTimeout)
    assert "tesseract" in str(info.value)


def test_bad_page_array_is_ocr_failed():
    with pytest.raises(OcrFailed):
        read_page(np.zeros((50, 50), np.float32), RAPID)
    with pytest.raises(OcrFailed):
        read_page(np.zeros((4, 50, 3), np.uint8), RAPID)


def test_blank_page_reads_as_no_lines():
    page = read_page(np.full((300, 200, 3), 255, np.uint8), RAPID)
    assert page.lines == [] and page.rotation == 0 and page.skew == 0.0


def test_options_are_closed_and_frozen():
    with pytest.raises(pydantic.ValidationError):
        OcrOptions(engin="tesseract")  # typo must not pass silently
    with pytest.raises(pydantic.ValidationError):
        OcrOptions(engine="easyocr")
    with pytest.raises(pydantic.ValidationError):
        RAPID.engine = "tesseract"  # type: ignore[misc]


def test_options_hash_is_stable_and_tracks_what_changes_results():
    h = OcrOptions().options_hash()
    assert h == OcrOptions().options_hash() == OcrOptions.model_validate(OcrOptions().model_dump()).options_hash()
    assert len(h) == 16 and int(h, 16) >= 0
    assert OcrOptions(engine="tesseract").options_hash() != h
    assert OcrOptions(deskew=False).options_hash() != h
    assert OcrOptions(max_side_len=2000).options_hash() != h
    # speed knobs do not make stored results stale
    assert OcrOptions(timeout_s=5).options_hash() == h
    assert OcrOptions(threads=2).options_hash() == h
