"""Placement letters and stubs (Cases A and C, docs/documents.md#placement-letter-and-stub) in both OCR styles."""
import pytest

from extract import extract_fields
from tests.synthetic_pages import check_fields as check, line_with, page_from_text

STYLES = ("cells", "lines")

# Case A: stub (left) and letter (right) on one pre-printed sheet, plus the 回执 tear-off whose
# date (1997-10-06) is NOT the letter's date.
LETTER_WITH_STUB = """\
 （97）青安字第056号                                （97）青安字第056号
 姓名：周立新               青河县化肥厂：
 人数：壹人                     兹介绍退伍军人 周立新 同志（男，1993年12月
 前往单位：青河县化肥厂     入伍，1996年12月退伍）前往你单位报到，请按国家
 事由：安排工作             有关规定安排工作为盼。
 开具日期：1997年9月20日        此致
 经办人：刘 某              敬礼
 （限十五日内报到）                        青河县退伍军人安置办公室（章）
                                               一九九七年九月二十日
                                               （限拾伍日内报到）
  回执（请接收单位填写后寄回）：周立新 同志已于 1997 年 10 月 6 日来我单位报到。
                                          青河县化肥厂（章）   1997年10月6日
"""

# The letter alone (the stub cut off): everything must come from the letter.
LETTER_ONLY = """\
                         介 绍 信
                                                （97）青安字第056号
 青河县化肥厂：
     兹介绍退伍军人 周立新 同志（男，1993年12月
 入伍，1996年12月退伍）前往你单位报到，请按国家
 有关规定安排工作为盼。
     此致
 敬礼
                                        青河县退伍军人安置办公室（章）
                                               一九九七年九月二十日
  回执（请接收单位填写后寄回）：周立新 同志已于 1997 年 10 月 6 日来我单位报到。
                                          青河县化肥厂（章）   1997年10月6日
"""

# Case A's letter, a 2019+ variant: ID number in the body; "兹介绍" ends a line, the name is on the next.
LETTER_2019 = """\
                  安排工作介绍信
                                    青退役安〔2019〕第012号
  青河县自来水有限公司：
      根据《退役士兵安置条例》及本年度退役士兵安置计划，兹介绍
  退役士兵 王建军 同志（公民身份号码：360899199709181135）
  到你单位报到，请于本介绍信开具之日起三十日内安排上岗，并依法签订
  期限不少于三年的劳动合同。
                                  青河县退役军人事务局（章）
                                      2019年8月15日
"""

# Case C: the stub alone.
STUB = """\
（97）青安字第061号
姓名：李海波
前往单位：青河县粮食局城南粮站
事由：安排工作
开具日期：1997年9月26日
经办人：刘 某
"""


def extract(text, style):
    page = page_from_text(text, style)
    return page, extract_fields("placement", [(1, page)])




@pytest.mark.parametrize("style", STYLES)
def test_letter_with_stub(style):
    page, fields = extract(LETTER_WITH_STUB, style)
    assert {k: f.value for k, f in fields.items()} == {
        "name": "周立新",
        "gender": "male",
        # "1993年12月" ends a letter line and "入伍" starts the next, with a stub line between
        "enlistment_date": "1993-12",
        "discharge_date": "1996-12",
        "placement_unit": "青河县化肥厂",
        "placement_date": "1997-09-20",
        "placement_form": "letter_with_stub",
        "letter_serial": "(97)青安字第056号",
        "stub_placement_date": "1997-09-20",
        "stub_placement_unit": "青河县化肥厂",
        "report_date": "1997-10-06",  # the 回执
        "issuer": "青河县退伍军人安置办公室",  # not the 回执's 青河县化肥厂（章）
    }
    # the letter's own date wins over the stub's 开具日期 (they agree here)
    assert fields["placement_date"].raw == "一九九七年九月二十日"
    assert fields["placement_date"].bbox == line_with(page, "一九九七年九月二十日").bbox


@pytest.mark.parametrize("style", STYLES)
def test_letter_only(style):
    page, fields = extract(LETTER_ONLY, style)
    check(
        fields,
        page,
        {
            "name": ("周立新", "兹介绍退伍军人"),
            "gender": ("male", "兹介绍退伍军人"),  # （男，1993年12月入伍，1996年12月退伍）
            "enlistment_date": ("1993-12", "兹介绍退伍军人"),
            "discharge_date": ("1996-12", "1996年12月退伍"),
            "placement_unit": ("青河县化肥厂", "青河县化肥厂："),
            "placement_date": ("1997-09-20", "一九九七年九月二十日"),
            "placement_form": ("letter", "介 绍 信"),
            "letter_serial": ("(97)青安字第056号", "（97）青安字第056号"),
            "report_date": ("1997-10-06", "回执"),
            "issuer": ("青河县退伍军人安置办公室", "青河县退伍军人安置办公室（章）"),
        },
    )


@pytest.mark.parametrize("style", STYLES)
def test_letter_2019(style):
    page, fields = extract(LETTER_2019, style)
    check(
        fields,
        page,
        {
            "name": ("王建军", "王建军"),
            "id_number": ("360899199709181135", "王建军"),
            "placement_unit": ("青河县自来水有限公司", "青河县自来水有限公司："),
            "placement_date": ("2019-08-15", "2019年8月15日"),
            "placement_form": ("letter", "安排工作介绍信"),
            "letter_serial": ("青退役安〔2019〕第012号", "青退役安〔2019〕第012号"),
            "issuer": ("青河县退役军人事务局", "青河县退役军人事务局（章）"),
            # "三十日内安排上岗" is no report date
        },
    )


@pytest.mark.parametrize("style", STYLES)
def test_stub_alone(style):
    page, fields = extract(STUB, style)
    check(
        fields,
        page,
        {
            "name": ("李海波", "姓名：李海波"),
            "placement_unit": ("青河县粮食局城南粮站", "前往单位"),
            "placement_date": ("1997-09-26", "开具日期"),
            "placement_form": ("stub", "前往单位"),  # no title: its labelled lines, no letter body
            "letter_serial": ("(97)青安字第061号", "（97）青安字第061号"),
        },
    )


def test_a_stubs_number_under_its_title_is_no_unit_and_no_letter():
    """号 ends old shop names, so the number alone on its line (no 第) looked like an addressee:
    the stub became a letter-with-stub whose letter went to 青安〔1997〕61号."""
    text = "介绍信存根\n青安〔1997〕61号\n" + STUB.split("\n", 1)[1].replace("前往单位", "去向")
    _, fields = extract(text, "lines")
    assert fields["placement_form"].value == "stub"
    assert fields["placement_unit"].value == "青河县粮食局城南粮站"
    assert "stub_placement_unit" not in fields


def test_addressee_with_a_title_after_the_unit():
    text = LETTER_ONLY.replace(" 青河县化肥厂：", " 青河县化肥厂负责同志：")
    page, fields = extract(text, "cells")
    assert fields["placement_unit"].value == "青河县化肥厂"


def test_letter_without_a_closing_date_has_no_placement_date():
    text = "\n".join(l for l in LETTER_ONLY.splitlines() if "一九九七" not in l and "回执" not in l and "1997年10月6日" not in l)
    page, fields = extract(text, "lines")
    assert "placement_date" not in fields  # the body's 入伍/退伍 months are never taken


def test_a_service_date_after_the_letter_is_a_misread_and_left_out():
    text = LETTER_ONLY.replace("1996年12月退伍", "2026年12月退伍")  # 1996 misread; the letter is of 1997
    _, fields = extract(text, "lines")
    assert "discharge_date" not in fields
    assert fields["enlistment_date"].value == "1993-12" and fields["placement_date"].value.startswith("1997-09")
