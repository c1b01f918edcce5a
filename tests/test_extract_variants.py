"""Wording and layout variants seen on real forms (and produced by the fixture generator)."""
import pytest

from extract import extract_fields, extract_rows
from tests.synthetic_pages import line_with, page_from_rows, page_from_text

STYLES = ("cells", "lines")


def values(doc_type, text, style="lines"):
    page = page_from_text(text, style)
    return {k: f.value for k, f in extract_fields(doc_type, [(1, page)]).items()}


# ---- termination wording ------------------------------------------------------------------

HEAD = "  周立新同志（公民身份号码：360899197503141518）：\n"
SIGN = "\n                                 青河县化肥厂（章）\n                                       2003年7月5日\n"


@pytest.mark.parametrize(
    "sentence, date, reason",
    [
        ("你与本单位签订的劳动合同于2003年6月30日期满，本单位不再续订，劳动合同终止。", "2003-06-30", "expiry"),
        ("因本单位实施改制，经职工代表大会审议通过，你与本单位的劳动合同于二〇〇三年六月三十日解除。", "2003-06-30", "restructuring"),
        ("经双方协商一致，双方于2003年6月30日解除劳动合同。", "2003-06-30", "mutual_agreement"),
        (
            "因你被依法追究刑事责任（经青河县人民法院判处有期徒刑二年），依据《中华人民共和国劳动合同法》"
            "第三十九条第（六）项之规定，本单位于2003年6月30日与你解除劳动合同。",
            "2003-06-30",
            "criminal_sentence",
        ),
    ],
)
def test_termination_sentences(sentence, date, reason):
    text = HEAD + "  你于1997年10月6日进入本单位工作，劳动合同期限自1997年10月6日至2000年10月5日。\n  " + sentence + SIGN
    got = values("termination", text)
    assert (got["termination_date"], got["termination_reason"], got["employer"]) == (date, reason, "青河县化肥厂")


@pytest.mark.parametrize(
    "title, body, reason",
    [
        (
            "关于对陈卫东同志按自动离职处理的决定",
            "自1999年3月2日起擅自离岗，经单位多次通知，至今未归。根据有关规定，按自动离职处理，自1999年5月5日起与其解除劳动关系。",
            "voluntary_departure",
        ),
        (
            "关于给予陈卫东同志开除处分的决定",
            "该同志多次违反劳动纪律，并于1999年3月2日盗窃单位物资，经教育不改。经厂务会研究决定，给予陈卫东同志开除处分，自1999年5月5日起解除劳动合同。",
            "dismissal",
        ),
    ],
)
def test_disciplinary_decisions(title, body, reason):
    text = f"{title}\n各车间、科室：\n  我单位驾驶员陈卫东（1998年经县退伍军人安置办公室介绍来单位工作），\n  {body}\n  特此决定。\n        青河县第二运输公司\n        一九九九年五月五日\n"
    got = values("termination", text)
    assert got == {
        "name": "陈卫东",
        "employer": "青河县第二运输公司",
        "termination_date": "1999-05-05",
        "termination_reason": reason,
        "issuer": "青河县第二运输公司",
        # "1998年经县退伍军人安置办公室介绍来单位工作": a year is no report date
    }


@pytest.mark.parametrize("style", STYLES)
def test_termination_table_with_two_line_labels(style):
    rows = [
        [(10, "解除（终止）劳动合同证明书")],
        [(0, "用人单位"), (8, "青河县化肥有限责任公司")],
        [(0, "姓名"), (8, "周立新"), (16, "性别"), (20, "男")],
        [(0, "公民身份号码"), (8, "")],
        [(0, "劳动合同期限"), (8, "1997年10月6日至无固定期限")],
        [(0, "解除（终止）"), (8, "2003年6月30日")],
        [(0, "日期")],
        [(0, "解除（终止）"), (8, "企业依法破产")],
        [(0, "原因")],
        [(0, "用人单位"), (12, "青河县化肥有限责任公司破产清算组")],
        [(0, "（盖章）"), (12, "2003年7月2日")],
    ]
    page = page_from_rows(rows, style)
    fields = extract_fields("termination", [(1, page)])
    issuer = fields.pop("issuer", None)
    assert {k: f.value for k, f in fields.items()} == {
        "name": "周立新",
        "gender": "male",
        "employer": "青河县化肥有限责任公司",
        "termination_date": "2003-06-30",
        "termination_reason": "bankruptcy",
    }
    assert fields["termination_date"].bbox == line_with(page, "2003年6月30日").bbox
    # the signing unit as signed; a merged line "用人单位 青河县…清算组" is labelled: not taken as a signature
    assert (issuer.value if issuer else None) == ("青河县化肥有限责任公司破产清算组" if style == "cells" else None)


def test_seal_text_between_issuer_and_date_is_skipped():
    text = HEAD + "  你与本单位的劳动合同于2003年6月30日终止。\n特此证明。\n        青河县化肥厂（章）\n        河县化肥\n        2003年7月5日\n"
    assert values("termination", text)["employer"] == "青河县化肥厂"


# ---- placement wording and layout ---------------------------------------------------------


def test_letter_with_zi_you_and_a_separate_colon_box():
    rows = [
        [(12, "退伍军人安置介绍信")],
        [(0, "青河县化肥厂"), (7, "：")],
        [(2, "兹有退伍战士周立新同志，经青河县人民政府研究，分配到你单位工作，")],
        [(0, "请接洽安排为盼。")],
        [(2, "此致")],
        [(0, "敬礼")],
        [(20, "青河县民政局（盖章）")],
        [(20, "一九九七年九月二十日")],
    ]
    page = page_from_rows(rows, "cells")
    fields = extract_fields("placement", [(1, page)])
    assert {k: f.value for k, f in fields.items()} == {
        "name": "周立新",
        "placement_unit": "青河县化肥厂",
        "placement_date": "1997-09-20",
        "placement_form": "letter",
        "issuer": "青河县民政局",
    }
    assert fields["placement_unit"].bbox == line_with(page, "青河县化肥厂").bbox
    assert fields["placement_form"].bbox == line_with(page, "退伍军人安置介绍信").bbox


# ---- enlistment ---------------------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
def test_registration_with_approval_label_on_two_lines(style):
    rows = [
        [(10, "应征公民登记表")],
        [(0, "姓名"), (6, "周立新"), (12, "性别"), (16, "男")],
        [(0, "出生日期"), (6, "七五年三月")],
        [(0, "乡镇武装"), (6, "同意应征。"), (16, "城关镇人民武装部")],
        [(0, "部意见"), (20, "一九九三年十一月二十日")],
        [(0, "批准入伍"), (6, "同意入伍。"), (16, "青河县人民武装部")],
        [(0, "意见"), (20, "一九九三年十二月五日")],
        [(0, "批准入伍部队"), (8, "05318部队")],
    ]
    page = page_from_rows(rows, style)
    got = {k: f.value for k, f in extract_fields("enlistment", [(1, page)]).items()}
    assert got == {
        "name": "周立新",
        "gender": "male",
        "birth_date": "1975-03",
        "enlistment_date": "1993-12-05",
        "service_unit": "05318部队",
    }


# ---- ID card with the birth date printed in separate boxes --------------------------------


def test_id_card_birth_date_in_boxes():
    rows = [
        [(0, "姓  名"), (6, "周立新")],
        [(0, "性  别"), (6, "男"), (10, "民  族"), (16, "汉")],
        [(0, "出  生"), (6, "1975"), (9, "年"), (11, "3"), (12, "月"), (14, "14"), (16, "日")],
        [(0, "公民身份号码"), (12, "360899197503141518")],
    ]
    page = page_from_rows(rows, "cells")
    fields = extract_fields("id_card", [(1, page)])
    assert fields["birth_date"].value == "1975-03-14"
    assert fields["birth_date"].bbox[0] == line_with(page, "1975").bbox[0]


# ---- lists of people ----------------------------------------------------------------------

PAYROLL = """\
          青河县待安置退伍军人生活补助费发放花名册
 序号   姓名     身份证号             退伍时间    月数   金额     领款人签章
  1     李海波   360899197801053014   1996.12     9      810.00   李海波
  2     周立新   360899750314151      1996.12     9      810.00   周立新
  3     赵红军                        1996.11     8      720.00   赵红军
  合计人民币（大写）：贰仟叁佰肆拾元整
  制表：孙某   审核：钱某
"""


@pytest.mark.parametrize("style", STYLES)
def test_payroll_rows(style):
    page = page_from_text(PAYROLL, style)
    rows = extract_rows("subsidy_voucher", [(2, page)])
    assert [(r["name"].value, r.get("id_number") and r["id_number"].value) for r in rows] == [
        ("李海波", "360899197801053014"),
        ("周立新", "360899197503141518"),
        ("赵红军", None),
    ]
    assert [r["discharge_date"].value for r in rows] == ["1996-12", "1996-12", "1996-11"]  # 退伍时间
    assert rows[1]["name"].page == 2
    assert rows[1]["id_number"].bbox == line_with(page, "360899750314151").bbox
    # extract_fields reports the first row only
    assert extract_fields("subsidy_voucher", [(2, page)])["name"].value == "李海波"


def test_rows_only_for_lists():
    assert extract_rows("termination", [(1, page_from_text(PAYROLL))]) == []


# ---- layout quirks seen with RapidOCR on rendered forms -----------------------------------


def test_two_line_label_with_the_value_between_its_lines():
    # "退出现役" over "时间" in one cell, the value vertically centred between them
    from core.types import Line, PageText

    lines = [
        Line("退出现役", (159, 1016, 293, 1058), 1.0),
        Line("兵龄", (785, 1032, 864, 1082), 1.0),
        Line("拾贰年", (922, 1032, 1045, 1083), 1.0),
        Line("时间", (187, 1055, 265, 1100), 1.0),
        Line("2014.11.25", (326, 1040, 531, 1080), 1.0),
        Line("退出现役", (159, 1110, 294, 1152), 1.0),
        Line("原因", (187, 1150, 265, 1196), 1.0),
        Line("服役期满", (326, 1130, 481, 1176), 1.0),
    ]
    page = PageText(2480, 3508, lines, "ocr", "rapidocr")
    fields = extract_fields("discharge", [(1, page)])
    assert fields["discharge_date"].value == "2014-11-25"
    assert fields["discharge_date"].bbox == (326, 1040, 531, 1080)


def test_prose_date_wrapped_at_a_line_end():
    text = (
        "入伍批准书\n钱振斌同志，男，一九七三年十二月出生，临江省桐川县\n"
        "人，文化程度中专。经体格检查、政治审查合格，批准你于1994年1\n2月3日应征入伍，到06699部队服现役。\n"
    )
    got = values("enlistment", text)
    assert got["enlistment_date"] == "1994-12-03"
    assert got["service_unit"] == "06699部队"
