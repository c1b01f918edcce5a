"""Discharge documents (Cases A and D, docs/documents.md#discharge) in both OCR styles."""
import pytest

from extract import extract_fields
from tests.synthetic_pages import check_fields as check, line_with, page_from_rows, page_from_text

STYLES = ("cells", "lines")

# Case A's 义务兵退出现役登记表: the discharge-date label is split over two rows ("退出现役" / "时间"),
# and the 退出现役原因 row reuses the same first half.
DISCHARGE_FORM = """\
                      义务兵退出现役登记表
 姓名   周立新   性别   男   出生年月   1975.03     照片
 籍贯   临江省青河县   民族   汉
 入伍时间   1993.12    入伍地点  临江省青河县
 部别   05318部队三营九连   职务  班长   军衔  上等兵
 政治面貌   中共党员（1995年7月入党）  文化程度 高中
 服役期间   1995年荣获嘉奖一次；1996年被评为优秀士兵。
 奖惩情况
 退出现役   服役期满
 原因
 退出现役   1996年12月            服役年限  叁年
 时间
 安置地及   临江省青河县   城镇入伍，由政府安排工作
 安置方式
 部队意见   同意退出现役。
                  05318部队政治处（章） 1996年12月1日
 安置部门   已接收。
 意见       青河县退伍军人安置办公室（章） 1997年1月8日
"""

# Case A's 退伍证 inner page: "label：value" pairs, two per printed line.
DISCHARGE_BOOK = """\
        中国人民解放军义务兵退伍证
                                    No 0961283
  姓名：周立新            性别：男
  出生年月：1975年3月     籍贯：临江省青河县
  入伍时间：1993年12月    退伍时间：1996年12月
  部别：05318部队         职务：班长
  发证机关：05318部队（章）
  发证日期：1996年12月1日
"""

# Case D's 士官退出现役登记表 key line (Case D).
NCO_FORM = """\
士官退出现役登记表
姓名 赵红军  入伍时间 1990.12  退出现役时间 2002.12  服役年限 12年
军衔 五级士官（1999年起士官衔级）  职务 技师
安置方式 转业（由安置地人民政府安排工作）
"""


def extract(text, style):
    page = page_from_text(text, style)
    return page, extract_fields("discharge", [(1, page)])




@pytest.mark.parametrize("style", STYLES)
def test_discharge_form(style):
    page, fields = extract(DISCHARGE_FORM, style)
    method = fields.pop("placement_method")  # in cells, two cells joined: checked below
    check(
        fields,
        page,
        {
            "name": ("周立新", "周立新"),
            "gender": ("male", "男"),
            "birth_date": ("1975-03", "1975.03"),
            "enlistment_date": ("1993-12", "1993.12"),
            "discharge_date": ("1996-12", "1996年12月"),
            "service_unit": ("05318部队", "05318部队三营九连"),  # sub-units stripped
            "stated_service": ("P3Y", "叁年"),
        },
    )
    assert fields["service_unit"].raw.startswith("05318部队")
    # "安置地及" + "安置方式" over two rows; the place before the method is skipped
    assert (method.value, method.raw) == ("arranged_job", "临江省青河县 城镇入伍，由政府安排工作")


@pytest.mark.parametrize("style", STYLES)
def test_discharge_book(style):
    page, fields = extract(DISCHARGE_BOOK, style)
    check(
        fields,
        page,
        {
            "name": ("周立新", "姓名：周立新"),
            "gender": ("male", "性别：男"),
            "birth_date": ("1975-03", "出生年月：1975年3月"),
            "enlistment_date": ("1993-12", "入伍时间：1993年12月"),
            "discharge_date": ("1996-12", "退伍时间：1996年12月"),
            "service_unit": ("05318部队", "部别：05318部队"),
        },
    )


@pytest.mark.parametrize("style", STYLES)
def test_nco_form(style):
    page, fields = extract(NCO_FORM, style)
    assert fields["name"].value == "赵红军"
    assert fields["enlistment_date"].value == "1990-12"
    assert fields["discharge_date"].value == "2002-12"
    assert "service_unit" not in fields
    assert fields["stated_service"].value == "P12Y"
    # 转业 first, explained by 安排工作; "由安置地人民政府" does not end the cell (安置地 is weak)
    assert (fields["placement_method"].value, fields["placement_method"].raw) == (
        "arranged_job", "转业（由安置地人民政府安排工作）",
    )


def test_tesseract_spaces_between_every_character():
    rows = [
        [(0, "姓 名 周 立 新 性 别 男 民 族 汉")],
        [(0, "出 生 年 月 １９７５ 年 ３ 月")],
        [(0, "入 伍 时 间 1993.12 退 出 现 役 时 间 1996.12")],
        [(0, "部 别 05318 部 队 三 营 九 连")],
    ]
    page = page_from_rows(rows, "lines")
    fields = extract_fields("discharge", [(1, page)])
    assert {k: f.value for k, f in fields.items()} == {
        "name": "周立新",
        "gender": "male",
        "birth_date": "1975-03",
        "enlistment_date": "1993-12",
        "discharge_date": "1996-12",
        "service_unit": "05318部队",
    }
    assert fields["name"].raw == "周 立 新"


def test_label_letters_read_as_separate_boxes():
    # RapidOCR may box the letter-spaced characters of "入  伍  时  间" separately.
    rows = [[(0, "姓"), (3, "名"), (6, "周立新")], [(0, "入"), (2, "伍"), (4, "时间"), (8, "1993.12")]]
    page = page_from_rows(rows, "cells")
    fields = extract_fields("discharge", [(1, page)])
    assert fields["name"].value == "周立新"
    assert fields["enlistment_date"].value == "1993-12"
    assert fields["enlistment_date"].bbox == line_with(page, "1993.12").bbox


def test_empty_cell_does_not_steal_the_next_value():
    rows = [[(0, "姓名"), (6, "周立新"), (12, "出生年月"), (18, "民族"), (22, "汉")]]
    fields = extract_fields("discharge", [(1, page_from_rows(rows, "cells"))])
    assert "birth_date" not in fields
