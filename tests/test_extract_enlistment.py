"""Enlistment documents of Case A (docs/documents.md#enlistment), read as RapidOCR cells and tesseract lines."""
import pytest

from extract import FIELDS_BY_TYPE, extract_fields
from tests.synthetic_pages import check_fields as check, line_with, page_from_text

STYLES = ("cells", "lines")

# Case A's 应征公民入伍登记表: table; cells are separated by 3+ spaces.
REGISTRATION = """\
                    应征公民入伍登记表
                                                   编号：青征〔1993〕0217
 姓  名   周立新     性别   男   民族   汉
 出生年月   1975年3月      籍贯   临江青河
 文化程度   高中         政治面貌 共青团员
 户口所在地   青河县城关镇东街居委会    户口性质：非农业
 身份证号   360899750314151
 本人简历   1982.9—1988.7 青河县城关小学学习
            1988.9—1993.7 青河县第一中学学习
 家庭成员   父 周长海 青河县供销社职工；母 吴桂英 无业
 体检结论   合格                     政审结论：合格
 乡镇武装   同意推荐。          城关镇人民武装部（章）
 部意见                              1993年11月20日
 县征兵办   批准入伍。          青河县人民政府征兵办公室（章）
 公室意见                              1993年12月5日
 接兵部队   05318部队
"""

# Case A's 应征公民入伍批准书: certificate prose.
APPROVAL = """\
               应征公民入伍批准书
                                          No. 0003417
  周立新  同志，男，一九七五年三月出生，临江省青河县人，
  文化程度高中。经体格检查、政治审查合格，
  批准你于一九九三年十二月五日应征入伍，到 05318 部队服现役。

                          青河县人民政府征兵办公室（印）
                          青河县人民武装部（印）
                               一九九三年十二月五日
"""

# Case A's 入伍通知书: addressed to the father; the recruit is named in the body.
NOTICE = """\
                     入 伍 通 知 书
  周长海 同志：
      你的儿子 周立新 同志，经批准已于1993年12月5日应征入伍。
  请于1993年12月8日上午8时前到青河县人民武装部集合。
  特此通知。
                               青河县人民政府征兵办公室
                                     （盖章）
                                  1993年12月5日
"""

CASE_A_ID = "360899197503141518"


def extract(text, style, page_no=1):
    page = page_from_text(text, style)
    return page, extract_fields("enlistment", [(page_no, page)])




@pytest.mark.parametrize("style", STYLES)
def test_registration_form(style):
    page, fields = extract(REGISTRATION, style)
    check(
        fields,
        page,
        {
            "name": ("周立新", "周立新"),
            "gender": ("male", "男"),
            "birth_date": ("1975-03", "1975年3月"),
            "id_number": (CASE_A_ID, "360899750314151"),  # legacy 15 → 18
            "enlistment_date": ("1993-12-05", "1993年12月5日"),  # the 县征兵办 approval, not 11-20
            "service_unit": ("05318部队", "05318部队"),
        },
    )
    assert fields["id_number"].raw == "360899750314151"
    # the approval block is a fallback rule: lower confidence than a labelled field
    assert fields["enlistment_date"].confidence < fields["birth_date"].confidence


@pytest.mark.parametrize("style", STYLES)
def test_approval_certificate(style):
    page, fields = extract(APPROVAL, style)
    check(
        fields,
        page,
        {
            "name": ("周立新", "周立新  同志"),
            "gender": ("male", "周立新  同志"),
            "birth_date": ("1975-03", "一九七五年三月出生"),
            "enlistment_date": ("1993-12-05", "批准你于"),
            "service_unit": ("05318部队", "批准你于"),
        },
    )
    assert fields["enlistment_date"].raw == "一九九三年十二月五日"


@pytest.mark.parametrize("style", STYLES)
def test_notice_names_the_recruit_not_the_parent(style):
    page, fields = extract(NOTICE, style)
    check(
        fields,
        page,
        {"name": ("周立新", "你的儿子"), "enlistment_date": ("1993-12-05", "经批准已于")},
    )


def test_the_recruit_is_found_when_the_ocr_reads_his_kinship_word_wrong():
    """子 worn to 于 is the commonest slip in 你的儿子: the recruit is still not the parent."""
    _, fields = extract(NOTICE.replace("你的儿子", "你的儿于"), "lines")
    assert fields["name"].value == "周立新"


@pytest.mark.parametrize("style", STYLES)
def test_explicit_enlistment_label_beats_the_approval_block(style):
    text = REGISTRATION.replace(" 接兵部队   05318部队", " 批准入伍时间   1993年12月1日\n 接兵部队   05318部队")
    page, fields = extract(text, style)
    assert fields["enlistment_date"].value == "1993-12-01"
    assert fields["enlistment_date"].bbox == line_with(page, "1993年12月1日").bbox


def test_page_number_is_the_source_page():
    page, fields = extract(NOTICE, "cells", page_no=7)
    assert {f.page for f in fields.values()} == {7}


def test_only_enlistment_fields():
    assert FIELDS_BY_TYPE["enlistment"] == (
        "name", "gender", "birth_date", "id_number", "enlistment_date", "service_unit",
    )
