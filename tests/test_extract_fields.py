"""extract_fields contract: dispatch, allowed fields, pages, confidence; layout helpers."""
import pytest

from core.types import FIELD_NAMES, ExtractedField, Line, PageText
from extract import EXTRACTOR_VERSION, FIELDS_BY_TYPE, extract_fields
from extract import layout
from extract.calibration import FieldCalibration, default_calibration
from extract.document import DocText, find_labels
from tests.synthetic_pages import line_with, page_from_rows, page_from_text

FORM_PAGE_1 = """\
义务兵退出现役登记表
姓名   周立新   性别   男   出生年月   1975.03
入伍时间   1993.12
"""
FORM_PAGE_2 = """\
退出现役时间   1996年12月
部别   05318部队
"""


def test_every_type_lists_known_fields():
    assert EXTRACTOR_VERSION
    for doc_type, fields in FIELDS_BY_TYPE.items():
        assert set(fields) <= set(FIELD_NAMES), doc_type


@pytest.mark.parametrize("doc_type", ["unknown", ""])
def test_types_without_extractor(doc_type):
    assert extract_fields(doc_type, [(1, page_from_text(FORM_PAGE_1))]) == {}


def test_another_kind_of_paper_says_only_whom_it_is_about():
    """An `other` page (another agency's form in the veteran's folder) gives its name and ID
    number, so that it joins his case; its dates and units are no evidence."""
    page = page_from_text("中国共产党党员登记表\n姓名   周立新   公民身份号码   360899197503141518\n入党时间   1995.07\n")
    fields = extract_fields("other", [(1, page)])
    assert {k: f.value for k, f in fields.items()} == {"name": "周立新", "id_number": "360899197503141518"}


def test_no_pages():
    assert extract_fields("discharge", []) == {}


def test_empty_page():
    page = PageText(width=100, height=100, lines=[], source="ocr", engine="rapidocr")
    assert extract_fields("id_card", [(1, page)]) == {}


def test_multi_page_document_keeps_source_page_numbers():
    p1, p2 = page_from_text(FORM_PAGE_1, "cells"), page_from_text(FORM_PAGE_2, "cells")
    fields = extract_fields("discharge", [(3, p1), (4, p2)])
    assert fields["name"].page == 3 and fields["discharge_date"].page == 4
    assert fields["discharge_date"].bbox == line_with(p2, "1996年12月").bbox
    assert fields["service_unit"].value == "05318部队"


def test_fields_of_other_types_are_not_returned():
    text = FORM_PAGE_1 + "前往单位：青河县化肥厂\n开具日期：1997年9月20日\n"
    fields = extract_fields("discharge", [(1, page_from_text(text))])
    assert "placement_unit" not in fields and "placement_date" not in fields
    fields = extract_fields("placement", [(1, page_from_text(text))])
    assert set(fields) <= set(FIELDS_BY_TYPE["placement"])
    assert fields["placement_unit"].value == "青河县化肥厂"


def test_result_values_are_extracted_fields():
    fields = extract_fields("discharge", [(1, page_from_text(FORM_PAGE_1))])
    for name, f in fields.items():
        assert isinstance(f, ExtractedField) and f.name == name
        assert f.raw and isinstance(f.bbox, tuple) and len(f.bbox) == 4


def test_confidence_scales_with_ocr_confidence():
    """The raw figure is rule × OCR line confidence (before calibration)."""
    raw = FieldCalibration()
    sure = extract_fields("discharge", [(1, page_from_text(FORM_PAGE_1, conf=1.0))], raw)["name"]
    unsure = extract_fields("discharge", [(1, page_from_text(FORM_PAGE_1, conf=0.5))], raw)["name"]
    assert unsure.confidence == pytest.approx(sure.confidence * 0.5, abs=0.002)


def test_calibrated_confidence_keeps_the_order_of_the_raw_one():
    """The shipped calibration is a probability map per kind of value, monotonic, so a worse
    read never comes out more confident than a better one."""
    sure = extract_fields("discharge", [(1, page_from_text(FORM_PAGE_1, conf=1.0))])["name"]
    unsure = extract_fields("discharge", [(1, page_from_text(FORM_PAGE_1, conf=0.5))])["name"]
    assert 0 < unsure.confidence < sure.confidence < 1
    calibrate = default_calibration()
    assert calibrate.params  # shipped (extract/model/fields.json)
    for name in ("name", "id_number", "enlistment_date", "employer", "termination_reason"):
        figures = [calibrate(name, raw) for raw in (0.05, 0.3, 0.6, 0.9, 0.99)]
        assert figures == sorted(figures) and figures[0] < 0.5


def test_value_below_a_header():
    rows = [[(0, "姓名"), (8, "公民身份号码")], [(0, "周立新"), (8, "360899197503141518")]]
    page = page_from_rows(rows, "cells")
    fields = extract_fields("contribution", [(1, page)])
    assert fields["name"].value == "周立新"
    assert fields["name"].bbox == line_with(page, "周立新").bbox
    assert fields["id_number"].bbox == line_with(page, "3608").bbox


def test_fullwidth_colons_and_spaced_labels():
    page = page_from_rows([[(0, "姓　　名：周立新")], [(0, "性 别：女")]], "lines")
    fields = extract_fields("id_card", [(1, page)])
    assert (fields["name"].value, fields["gender"].value) == ("周立新", "female")


def test_labels_longest_first_and_weak_labels():
    assert [h.label for h in find_labels("批准入伍时间 1993.12")] == ["批准入伍时间"]
    assert [h.key for h in find_labels("户主姓名 周长海 姓名 周立新")] == ["other", "name"]
    assert [h.label for h in find_labels("出生 1975年3月")] == ["出生"]
    assert find_labels("一九七五年三月出生，临江省青河县人") == []  # weak label inside prose


def test_doc_text_locates_joined_offsets():
    lines = [Line("第一行", (0, 0, 90, 30), 0.9), Line("兹介绍", (0, 40, 90, 70), 0.8)]
    doc = DocText([(2, PageText(100, 100, lines, "ocr", "rapidocr"))])
    assert doc.joined == "第一行\n兹介绍"
    tl, offset = doc.locate(doc.joined.index("介"))
    assert (tl.line.text, offset, tl.page) == ("兹介绍", 1, 2)


def test_layout_helpers():
    label, value, far_below, next_row = (0, 0, 100, 40), (120, 5, 300, 45), (0, 300, 100, 340), (0, 60, 100, 100)
    assert layout.same_row(label, value) and layout.right_of(label, value)
    assert not layout.right_of(value, label)
    assert layout.below(label, next_row) and not layout.below(label, far_below)
    assert layout.sub_box((0, 0, 100, 10), 5, 10, 10) == (50, 0, 100, 10)


def test_a_date_run_on_after_a_name_is_not_part_of_it():
    # the signature line of an application form: name and date with no space between them
    page = page_from_text("困难职工救助申请表\n申请人：汪胜勇二〇〇一年十一月二十九日\n")
    assert extract_fields("other", [(1, page)])["name"].value == "汪胜勇"


def test_the_body_a_form_asks_for_an_opinion_is_no_name():
    page = page_from_text("困难职工帮扶救助申请表\n基层工会：梅岗县木材公司工会\n身份证号码 360896197212109199\n申请人：赵胜\n")
    assert extract_fields("other", [(1, page)])["name"].value == "赵胜"
