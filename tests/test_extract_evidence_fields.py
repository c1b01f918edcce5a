"""The fields added for the evidence rules (extract/1.3; formats in core/labels.FIELD_FORMATS), on
the sample cases' texts (docs/documents.md#the-sample-cases) in both OCR styles: each is found where the paper
states it and stays absent where it does not."""
import pytest

from core.labels import FIELD_FORMATS
from core.types import PAYMENT_KINDS, PLACEMENT_FORMS, PLACEMENT_METHODS
from extract import FIELDS_BY_TYPE, extract_fields
from tests.synthetic_pages import line_with, page_from_rows, page_from_text
from tests.test_extract_discharge import DISCHARGE_BOOK, DISCHARGE_FORM, NCO_FORM
from tests.test_extract_identity import ID_CARD, LUMP_SUM, NO_RECORD, PAYROLL
from tests.test_extract_placement import LETTER_2019, LETTER_ONLY, LETTER_WITH_STUB, STUB
from tests.test_extract_termination import CERTIFICATE, FORM, REMOVAL, UNIT_CERTIFICATE

STYLES = ("cells", "lines")

# Case A's 户口簿 常住人口登记卡: 曾用名 周利新 must not become the name.
HOUSEHOLD = """\
常住人口登记卡
姓名 周立新        户主或与户主关系 户主
曾用名 周利新      性别 男
出生地 临江省青河县  民族 汉   籍贯 临江省青河县
出生日期 1975年03月14日
公民身份号码 360899197503141518
文化程度 高中   婚姻状况 已婚   兵役状况 退出现役
服务处所 （空）   职业 （空）
何时由何地迁来本市(县) 1997年01月 由05318部队退伍迁来
登记日期 2008年06月12日          青河县公安局城关派出所 户口专用章
"""

# A post-2011 士官 form: years and months of service, 自主就业.
DISCHARGE_2012 = """\
士官退出现役登记表
姓名   王建军   性别   男   出生年月   1979.09
入伍时间   2006.12    退出现役时间   2012.09
兵龄   5年9个月       军衔   中士
安置方式   临江省青河县 自主就业
"""

# the sample payroll, a variant: the 待分配 title, a dotted period.
PAYROLL_PENDING = """\
          青河县待分配期间生活费发放表
          所属期间：1997.01-1997.09     标准：每人每月90元
 序号   姓名     身份证号             退伍时间    月数   金额
  1     周立新   360899750314151      1996.12     9      810.00
  合计人民币（大写）：捌佰壹拾元整     ¥810.00
  制表：孙某   审核：钱某   青河县民政局（财务专用章）  1997年10月8日
"""

# The unit's 退伍费 (neutral, docs/documents.md#allowance-payroll-and-one-off-payments).
DISCHARGE_PAY = """\
              退伍费领取凭证
  姓名：周立新   身份证号：360899197503141518
  退伍时间：1996年12月   款项：退伍费
  金额：人民币（大写）壹仟贰佰元整  ¥1200.00
  领款人：周立新（手印）   发放日期：1996年12月5日
                                       05318部队后勤处（章）
"""


def extract(doc_type, text, style="lines"):
    page = page_from_text(text, style)
    return page, extract_fields(doc_type, [(1, page)])


def values(doc_type, text, style="lines"):
    return {k: f.value for k, f in extract(doc_type, text, style)[1].items()}


def test_every_new_field_has_a_format_and_belongs_to_a_type():
    owned = {f for fields in FIELDS_BY_TYPE.values() for f in fields}
    assert set(FIELD_FORMATS) <= owned


# ---- former_name (id_card, the household register page) ----------------------------------


@pytest.mark.parametrize("style", STYLES)
def test_household_register_page(style):
    page, fields = extract("id_card", HOUSEHOLD, style)
    assert {k: f.value for k, f in fields.items()} == {
        "name": "周立新",  # not the former name 周利新
        "former_name": "周利新",
        "military_status": "退出现役",
        "id_number": "360899197503141518",
        "birth_date": "1975-03-14",
        "gender": "male",
    }
    assert fields["former_name"].bbox == line_with(page, "周利新").bbox


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("empty", ["（空）", "无", ""])
def test_empty_former_name_is_absent(style, empty):
    text = HOUSEHOLD.replace("曾用名 周利新      性别 男", f"曾用名 {empty:<8}      性别 男")
    got = values("id_card", text, style)
    assert "former_name" not in got and got["name"] == "周立新" and got["gender"] == "male"


def test_former_name_is_normalised_as_a_name_and_only_on_identity_papers():
    assert values("id_card", HOUSEHOLD.replace("周利新", "周 利新"))["former_name"] == "周利新"
    assert "former_name" not in values("id_card", ID_CARD)
    form = DISCHARGE_FORM.replace(" 籍贯   临江省青河县", " 曾用名   周利新   籍贯   临江省青河县")
    got = values("discharge", form)
    assert got["name"] == "周立新" and "former_name" not in got


# ---- stated_service, placement_method (discharge) ----------------------------------------


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(
    "text, service, method",
    [
        (DISCHARGE_FORM, "P3Y", "arranged_job"),  # 服役年限 叁年; 安置地及 | 安置方式 over two rows
        (NCO_FORM, "P12Y", "arranged_job"),  # 转业（由安置地人民政府安排工作）
        (DISCHARGE_2012, "P5Y9M", "self_employed"),
    ],
)
def test_discharge_forms(style, text, service, method):
    page, fields = extract("discharge", text, style)
    assert (fields["stated_service"].value, fields["placement_method"].value) == (service, method)


def test_stated_service_box_and_raw():
    page, fields = extract("discharge", DISCHARGE_2012, "cells")
    f = fields["stated_service"]
    assert (f.raw, f.bbox) == ("5年9个月", line_with(page, "5年9个月").bbox)


@pytest.mark.parametrize("label", ["服役年限", "兵龄", "军龄"])
@pytest.mark.parametrize(
    "printed, value",
    [("3年", "P3Y"), ("叁年", "P3Y"), ("三年", "P3Y"), ("拾贰年", "P12Y"), ("十二年", "P12Y"), ("69个月", "P69M")],
)
def test_every_printed_service_length(label, printed, value):
    # fixtures/generator/docs_military.py: (服役年限|兵龄|军龄) + docs_common.years_text
    text = DISCHARGE_2012.replace("兵龄   5年9个月", f"{label}   {printed}")
    for style in STYLES:
        assert values("discharge", text, style)["stated_service"] == value


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(
    "cell, code",
    [
        ("临江省青河县　安排工作", "arranged_job"),
        ("临江省青河县　政府安排工作", "arranged_job"),
        ("分配工作", "arranged_job"),
        ("安置到青河县化肥厂", "arranged_job"),
        ("自谋职业", "self_employed"),
        ("复员", "returned_home"),
        ("回乡", "returned_home"),
        ("退休", "retired"),
        ("逐月领取退役金", "retired"),
        ("本人自行联系", "other"),
    ],
)
def test_placement_method_cells(style, cell, code):
    text = DISCHARGE_2012.replace("临江省青河县 自主就业", cell)
    assert values("discharge", text, style)["placement_method"] == code
    assert code in PLACEMENT_METHODS


@pytest.mark.parametrize("style", STYLES)
def test_no_method_without_one(style):
    place_only = values("discharge", DISCHARGE_2012.replace("临江省青河县 自主就业", "临江省青河县"), style)
    assert "placement_method" not in place_only
    booklet = values("discharge", DISCHARGE_BOOK, style)  # the 退伍证 states neither
    assert not {"placement_method", "stated_service"} & set(booklet)


def test_a_date_is_no_service_length():
    text = DISCHARGE_2012.replace("兵龄   5年9个月", "兵龄   2012年9月")
    assert "stated_service" not in values("discharge", text)


# ---- placement letters: serial, form, stub values, report date, issuer --------------------

# LETTER_WITH_STUB with the stub's entries differing from the letter's (the check a rule makes).
STUB_DIFFERS = (
    LETTER_WITH_STUB.replace(" （97）青安字第056号      ", " （97）青安字第055号      ", 1)
    .replace("前往单位：青河县化肥厂", "前往单位：青河县氮肥厂")
    .replace("开具日期：1997年9月20日", "开具日期：1997年9月18日")
)

# The stub printed above the letter (the fixture generator's "top" layout), with a title.
STUB_ON_TOP = """\
                          存  根
                                                （97）青安字第055号
 姓名：周立新
 前往单位：青河县化肥厂
 事由：安排工作
 开具日期：1997年9月20日
 - - - - - - - - - - - - - - 第056号 - - - - - - - - - - - - - -
                         介 绍 信
                                                （97）青安字第056号
 青河县化肥厂：
     兹介绍退伍军人 周立新 同志前往你单位报到，请按国家有关规定安排工作为盼。
     此致
 敬礼
                                        青河县退伍军人安置办公室（章）
                                               一九九七年九月二十日
"""


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(
    "text, form, serial, fragment",
    [
        (LETTER_WITH_STUB, "letter_with_stub", "(97)青安字第056号", "人数"),  # no title: a stub line
        (STUB_DIFFERS, "letter_with_stub", "(97)青安字第056号", "人数"),
        (STUB_ON_TOP, "letter_with_stub", "(97)青安字第056号", "存  根"),
        (LETTER_ONLY, "letter", "(97)青安字第056号", "介 绍 信"),
        (LETTER_2019, "letter", "青退役安〔2019〕第012号", "安排工作介绍信"),
        (STUB, "stub", "(97)青安字第061号", "前往单位"),
    ],
)
def test_form_and_serial(style, text, form, serial, fragment):
    page, fields = extract("placement", text, style)
    assert (fields["placement_form"].value, fields["letter_serial"].value) == (form, serial)
    assert fields["placement_form"].bbox == line_with(page, fragment).bbox
    assert form in PLACEMENT_FORMS


def test_the_letters_serial_box_on_a_sheet_with_its_stub():
    page, fields = extract("placement", STUB_DIFFERS, "cells")
    assert fields["letter_serial"].bbox == line_with(page, "（97）青安字第056号").bbox
    assert fields["letter_serial"].raw == "（97）青安字第056号"


def test_a_stub_titled_alone():
    text = "          存根\n" + STUB
    page, fields = extract("placement", text, "cells")
    assert fields["placement_form"].value == "stub"
    assert fields["placement_form"].bbox == line_with(page, "存根").bbox


def test_no_serial_no_form_on_unrelated_text():
    got = values("placement", LETTER_ONLY.replace("（97）青安字第056号", ""))
    assert "letter_serial" not in got and got["placement_form"] == "letter"
    assert not {"letter_serial", "placement_form"} & set(values("placement", "青河县人民政府\n通知\n"))


@pytest.mark.parametrize("style", STYLES)
def test_stub_values_beside_the_letter(style):
    got = values("placement", STUB_DIFFERS, style)
    assert (got["stub_placement_date"], got["stub_placement_unit"]) == ("1997-09-18", "青河县氮肥厂")
    # the letter half's own date and addressee
    assert (got["placement_date"], got["placement_unit"]) == ("1997-09-20", "青河县化肥厂")
    top = values("placement", STUB_ON_TOP, style)
    assert (top["stub_placement_date"], top["stub_placement_unit"]) == ("1997-09-20", "青河县化肥厂")


@pytest.mark.parametrize("style", STYLES)
def test_a_blank_stub_entry_is_not_read_from_the_receipt(style):
    # the 回执 "（请接收单位填写后寄回）" holds the label 接收单位: not the stub's 前往单位
    got = values("placement", LETTER_WITH_STUB.replace("前往单位：青河县化肥厂", "前往单位：          "), style)
    assert "stub_placement_unit" not in got
    assert (got["placement_form"], got["placement_unit"]) == ("letter_with_stub", "青河县化肥厂")


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("text", [LETTER_ONLY, LETTER_2019, STUB])
def test_no_stub_values_without_both_halves(style, text):
    assert not {"stub_placement_date", "stub_placement_unit"} & set(values("placement", text, style))


@pytest.mark.parametrize("style", STYLES)
def test_report_date_from_the_receipt(style):
    page, fields = extract("placement", LETTER_WITH_STUB, style)
    f = fields["report_date"]
    assert (f.value, f.raw) == ("1997-10-06", "1997 年 10 月 6 日")
    assert f.bbox == line_with(page, "回执").bbox


@pytest.mark.parametrize("style", STYLES)
def test_no_report_date_from_the_letter_itself(style):
    blank = LETTER_ONLY.replace("已于 1997 年 10 月 6 日来我单位报到", "已于    年   月   日来我单位报到")
    assert "report_date" not in values("placement", blank, style)  # never the letter's own date
    assert "report_date" not in values("placement", LETTER_2019, style)  # "三十日内安排上岗"
    assert "report_date" not in values("placement", STUB, style)


@pytest.mark.parametrize("style", STYLES)
def test_the_issuer_is_not_the_receipt_stamp(style):
    page, fields = extract("placement", LETTER_ONLY, style)
    assert fields["issuer"].value == "青河县退伍军人安置办公室"  # not 青河县化肥厂（章） of the 回执
    assert fields["issuer"].bbox == line_with(page, "青河县退伍军人安置办公室（章）").bbox
    assert values("placement", LETTER_2019, style)["issuer"] == "青河县退役军人事务局"
    assert "issuer" not in values("placement", STUB, style)  # a stub names its clerk only


def test_issuer_from_a_letterhead():
    text = "梅岗县民政局\n" + LETTER_ONLY.replace("青河县退伍军人安置办公室（章）", "")
    page, fields = extract("placement", text, "cells")
    assert fields["issuer"].value == "梅岗县民政局"
    assert fields["issuer"].confidence < values_conf(LETTER_ONLY)


def values_conf(text):
    return extract("placement", text, "cells")[1]["issuer"].confidence


# ---- termination: report date, issuer, former employer ------------------------------------


@pytest.mark.parametrize("style", STYLES)
def test_unit_certificate_after_a_restructuring(style):
    got = values("termination", UNIT_CERTIFICATE, style)
    assert got == {
        "name": "李海波",
        "id_number": "360899197801053014",
        "employer": "青河县城南粮油有限公司",
        "termination_date": "2005-08",
        "termination_reason": "restructuring",
        "report_date": "1997-10",  # "1997年10月报到上岗"
        "former_employer": "青河县粮食局城南粮站",
        "issuer": "青河县城南粮油有限公司",
    }


@pytest.mark.parametrize("style", STYLES)
def test_report_date_is_the_start_not_the_contract_term(style):
    text = CERTIFICATE.replace("你于1997年10月6日进入本单位工作", "你于1997年10月8日进入本单位工作")
    got = values("termination", text, style)
    assert (got["report_date"], got["termination_date"]) == ("1997-10-08", "2003-06-30")
    without = values("termination", text.replace("你于1997年10月8日进入本单位工作，", ""), style)
    assert "report_date" not in without  # not the contract start, the termination or the signature date
    assert values("termination", REMOVAL, style)["report_date"] == "1998-03"  # 经…介绍来公司工作
    assert "report_date" not in values("termination", FORM, style)


def test_report_date_label():
    text = FORM.replace("解除日期：", "报到时间：1997年10月6日\n解除日期：")
    assert values("termination", text)["report_date"] == "1997-10-06"


@pytest.mark.parametrize("style", STYLES)
def test_termination_issuer(style):
    got = values("termination", CERTIFICATE, style)
    # the liquidation group signs; the employer is the plant itself
    assert (got["issuer"], got["employer"]) == ("青河县化肥厂破产清算组", "青河县化肥厂")
    assert values("termination", REMOVAL, style)["issuer"] == "青河县第二运输公司"
    assert "issuer" not in values("termination", FORM, style)  # no signature printed


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("text", [CERTIFICATE, REMOVAL, FORM])
def test_no_former_employer_without_a_rename(style, text):
    assert "former_employer" not in values("termination", text, style)


@pytest.mark.parametrize(
    "sentence, former",
    [
        ("我单位原名青河县化肥厂，2004年改制。", "青河县化肥厂"),
        ("我单位由青河县化肥厂更名为青河县化工有限公司。", "青河县化肥厂"),
        ("青河县化肥厂于2004年改制为青河县化工有限公司。", "青河县化肥厂"),
        ("青河县化工有限公司（原青河县化肥厂）。", "青河县化肥厂"),
        ("原安置介绍信已遗失。", None),  # 原 + no unit
        ("本厂于2004年改制为青河县化工有限公司。", None),  # the unit itself, unnamed
        ("该化肥厂于2004年改制为青河县化工有限公司。", None),
    ],
)
def test_former_employer_wordings(sentence, former):
    text = CERTIFICATE.replace("      特此证明。", "      " + sentence + "\n      特此证明。")
    for style in STYLES:
        assert values("termination", text, style).get("former_employer") == former


# ---- political review and vouchers: issuer, payment kind, paid period ---------------------


@pytest.mark.parametrize("style", STYLES)
def test_police_certificate_issuer(style):
    page, fields = extract("political_review", NO_RECORD, style)
    assert fields["issuer"].value == "青河县公安局城关派出所"
    assert fields["issuer"].bbox == line_with(page, "城关派出所（章）").bbox


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(
    "text, kind, period, issuer",
    [
        (PAYROLL, "pending_allowance", "1997-01/1997-09", "青河县民政局"),
        (PAYROLL_PENDING, "pending_allowance", "1997-01/1997-09", "青河县民政局"),
        (PAYROLL.replace("1997年1月至1997年9月", "1997年1月—9月"), "pending_allowance", "1997-01/1997-09", "青河县民政局"),
        (LUMP_SUM, "self_employment_grant", None, "青河县民政局"),
        (DISCHARGE_PAY, "discharge_pay", None, "05318部队后勤处"),
    ],
)
def test_vouchers(style, text, kind, period, issuer):
    got = values("subsidy_voucher", text, style)
    assert (got["payment_kind"], got.get("paid_period"), got["issuer"]) == (kind, period, issuer)
    assert kind in PAYMENT_KINDS


def test_payment_kind_box_is_the_line_that_names_it():
    page, fields = extract("subsidy_voucher", DISCHARGE_PAY, "cells")
    assert fields["payment_kind"].bbox == line_with(page, "款项：退伍费").bbox
    page, fields = extract("subsidy_voucher", PAYROLL, "cells")
    assert fields["payment_kind"].bbox == line_with(page, "发放花名册").bbox


def test_an_unknown_payment_is_other():
    text = DISCHARGE_PAY.replace("退伍费领取凭证", "补助金领取凭证").replace("款项：退伍费", "款项：困难补助")
    assert values("subsidy_voucher", text)["payment_kind"] == "other"


def test_new_fields_stay_with_their_types():
    assert "issuer" not in values("discharge", DISCHARGE_FORM)
    assert "report_date" not in values("subsidy_voucher", PAYROLL)
    assert not {"payment_kind", "paid_period"} & set(values("termination", CERTIFICATE))
    rows = [[(0, "款项"), (6, "退伍费")], [(0, "所属期间"), (6, "1997年1月至9月")]]
    got = extract_fields("political_review", [(1, page_from_rows(rows))])
    assert not {"payment_kind", "paid_period"} & set(got)


def test_serial_brackets_read_either_way_are_stored_alike():
    for printed in ("青退役安[2019]第012号", "青退役安【2019】第012号", "青退役安〔2019]第 012 号"):
        assert values("placement", LETTER_2019.replace("青退役安〔2019〕第012号", printed))["letter_serial"] == "青退役安〔2019〕第012号"


def test_issuer_whose_seal_bracket_was_lost():
    # real RapidOCR lines (generated batch, seed 4242): "槐安县供销合作社章）", "…破产清算组（章"
    for signed, issuer in (("青河县化肥厂章）", "青河县化肥厂"), ("青河县化肥厂破产清算组（章", "青河县化肥厂破产清算组")):
        got = values("termination", CERTIFICATE.replace("青河县化肥厂破产清算组（章）", signed))
        assert (got["issuer"], got["employer"]) == (issuer, "青河县化肥厂")


@pytest.mark.parametrize("style", ("cells", "lines"))
def test_the_household_registers_military_status(style):
    fields = extract_fields("id_card", [(1, page_from_text(HOUSEHOLD, style))])
    assert fields["military_status"].value == "退出现役"
    assert "军" not in fields["name"].value  # the status is not taken for anything else
    unserved = HOUSEHOLD.replace("兵役状况 退出现役", "兵役状况 未服兵役")
    assert extract_fields("id_card", [(1, page_from_text(unserved, style))])["military_status"].value == "未服兵役"
    card_only = "\\n".join(line for line in HOUSEHOLD.splitlines() if "兵役状况" not in line)
    assert "military_status" not in extract_fields("id_card", [(1, page_from_text(card_only, style))])

