"""ID card, contribution record, subsidy vouchers and police certificate (docs/documents.md#the-sample-cases: Case A's, the grant receipt)
in both OCR styles."""
import pytest

from extract import extract_fields
from extract.calibration import FieldCalibration
from tests.synthetic_pages import check_fields as check, line_with, page_from_rows, page_from_text

STYLES = ("cells", "lines")
CASE_A_ID = "360899197503141518"

ID_CARD = """\
姓名 周立新
性别 男   民族 汉
出生 1975 年 3 月 14 日
住址 临江省青河县城关镇东街
     38号
公民身份号码 360899197503141518
中华人民共和国
居民身份证
签发机关 青河县公安局
有效期限 2016.05.20-2036.05.20
"""

CONTRIBUTION = """\
              青河县社会保险事业管理局
        企业职工基本养老保险个人缴费明细（参保证明）
姓名：周立新   公民身份号码：360899197503141518   个人编号：360899197503141518
首次参保时间：199801     当前参保状态：暂停缴费
视同缴费月数：36（军龄 1993.12-1996.12）
 费款所属期      单位名称          缴费基数    月数    单位缴费   个人缴费   状态
 199801-200112   青河县化肥厂      420.00      48      ……         ……         已到账
 200201-200306   青河县化肥厂      450.00      18      ……         ……         欠费
 200307-200312   青河县人才交流中心      450.00      6      ……         ……         欠费
实际缴费月数：48   累计缴费月数（含视同）：84
打印日期：2020-03-20    验证码：7K3D-92QF（示例）  （社会保险业务专用章）
"""

PAYROLL = """\
          青河县待安置退伍军人生活补助费发放花名册
          所属期间：1997年1月至1997年9月     标准：每人每月90元
 序号   姓名     身份证号             退伍时间    月数   金额     领款人签章
  1     周立新   360899750314151      1996.12     9      810.00   周立新 (手印)
  2     李海波                        1996.12     9      810.00   李海波 (手印)
  合计人民币（大写）：壹仟陆佰贰拾元整     ¥1620.00
  制表：孙某   审核：钱某   青河县民政局（财务专用章）  1997年10月8日
"""

LUMP_SUM = """\
              城镇退役士兵自谋职业一次性经济补助金领取凭证
  姓名：孙晓梅（女）   身份证号：360899197704042022
  退役时间：1999年12月   款项：自谋职业一次性经济补助金
  金额：人民币（大写）贰万肆仟元整  ¥24000.00
  领款人：孙晓梅（手印）   发放日期：2000年3月10日
                                       青河县民政局（章）
"""

NO_RECORD = """\
                     无犯罪记录证明
                                  青公（城关）证字〔2020〕第0315号
  兹证明 周立新（男，公民身份号码：360899197503141518）
  经查询，截至2020年3月18日，未发现其有犯罪记录。
  本证明用于：部分退役士兵社会保险接续审核。
  （本证明自开具之日起三个月内有效）
                               青河县公安局城关派出所（章）
                                    2020年2月28日
"""


def extract(doc_type, text, style):
    page = page_from_text(text, style)
    return page, extract_fields(doc_type, [(1, page)])




@pytest.mark.parametrize("style", STYLES)
def test_id_card(style):
    page, fields = extract("id_card", ID_CARD, style)
    check(
        fields,
        page,
        {
            "name": ("周立新", "周立新"),
            "gender": ("male", "男"),
            "birth_date": ("1975-03-14", "1975 年"),
            "id_number": (CASE_A_ID, "360899197503141518"),
        },
    )


def test_id_card_read_without_spaces_and_with_the_number_in_boxes():
    rows = [
        [(0, "姓名周立新")],
        [(0, "性别男"), (8, "民族汉")],
        [(0, "出生1975年3月14日")],
        [(0, "公民身份号码"), (8, "3608"), (12, "9919"), (16, "7503"), (20, "1415"), (24, "18")],
    ]
    page = page_from_rows(rows, "cells")
    fields = extract_fields("id_card", [(1, page)])
    assert {k: f.value for k, f in fields.items()} == {
        "name": "周立新",
        "gender": "male",
        "birth_date": "1975-03-14",
        "id_number": CASE_A_ID,
    }
    ident = fields["id_number"]
    assert ident.bbox == (line_with(page, "3608").bbox[0], ident.bbox[1], line_with(page, "18").bbox[2], ident.bbox[3])
    assert ident.raw == "3608 9919 7503 1415 18"


def test_id_card_with_misread_number_is_flagged_by_low_confidence():
    """Raw figures (before calibration): a number failing its checks ×0.3, a repaired one ×0.6."""
    raw = FieldCalibration()
    page = page_from_text(ID_CARD.replace("360899197503141518", "36089919750314151S"), "lines")
    fields = extract_fields("id_card", [(1, page)], raw)
    ident = fields["id_number"]
    assert (ident.value, ident.raw) == ("36089919750314151S", "36089919750314151S")  # never invented
    assert ident.confidence < 0.5
    page = page_from_text(ID_CARD.replace("360899197503141518", "36O899197503141518"), "lines")
    repaired = extract_fields("id_card", [(1, page)], raw)["id_number"]
    assert repaired.value == CASE_A_ID and repaired.raw == "36O899197503141518"
    assert repaired.confidence < extract_fields("id_card", [(1, page_from_text(ID_CARD))], raw)["id_number"].confidence


@pytest.mark.parametrize("style", STYLES)
def test_contribution_record(style):
    page, fields = extract("contribution", CONTRIBUTION, style)
    check(
        fields,
        page,
        {
            "name": ("周立新", "姓名：周立新"),
            "id_number": (CASE_A_ID, "公民身份号码"),
            "employer": ("青河县化肥厂", "青河县化肥厂"),  # the most frequent unit, first row
        },
    )


@pytest.mark.parametrize("style", STYLES)
def test_payroll_first_row(style):
    page, fields = extract("subsidy_voucher", PAYROLL, style)
    check(
        fields,
        page,
        {
            "name": ("周立新", "周立新"),
            "id_number": (CASE_A_ID, "360899750314151"),
            "discharge_date": ("1996-12", "1996.12"),  # the 退伍时间 column
            "payment_kind": ("pending_allowance", "待安置退伍军人生活补助费"),  # the title
            "paid_period": ("1997-01/1997-09", "所属期间"),
            "issuer": ("青河县民政局", "财务专用章"),
        },
    )
    assert fields["id_number"].raw == "360899750314151"


@pytest.mark.parametrize("style", STYLES)
def test_lump_sum_voucher(style):
    page, fields = extract("subsidy_voucher", LUMP_SUM, style)
    check(
        fields,
        page,
        {
            "name": ("孙晓梅", "姓名：孙晓梅"),
            "id_number": ("360899197704042022", "身份证号"),
            "discharge_date": ("1999-12", "退役时间"),
            "payment_kind": ("self_employment_grant", "款项"),
            "issuer": ("青河县民政局", "青河县民政局（章）"),  # a sealed unit name, no date under it
        },
    )


@pytest.mark.parametrize("style", STYLES)
def test_no_criminal_record_certificate(style):
    page, fields = extract("political_review", NO_RECORD, style)
    check(
        fields,
        page,
        {
            "name": ("周立新", "兹证明"),
            "gender": ("male", "兹证明"),  # "周立新（男，"
            "id_number": (CASE_A_ID, "兹证明"),
            "issue_date": ("2020-02-28", "2020年2月28日"),  # not the 截至 query date
            "issuer": ("青河县公安局城关派出所", "城关派出所（章）"),
        },
    )
