"""Termination documents (Cases A, B and C, docs/documents.md#termination) in both OCR styles."""
import pytest

from extract import extract_fields
from tests.synthetic_pages import check_fields as check, page_from_text

STYLES = ("cells", "lines")

# Case A: the contract START (1997-10-06), the term end (2000-10-05), the signature date
# (2003-07-02) and the certificate's date all appear; only 2003-06-30 is the termination.
CERTIFICATE = """\
                  解除（终止）劳动合同证明书
                                         青化清字〔2003〕第 118 号
  周立新 同志（公民身份号码：360899197503141518）：
      你于1997年10月6日进入本单位工作，劳动合同期限自1997年10月6日
  至2000年10月5日，续订后为无固定期限劳动合同。工作岗位：合成车间操作工。
      因本单位经人民法院裁定依法宣告破产，根据有关规定，你与本单位的
  劳动合同于2003年6月30日终止。你在本单位工作年限为5年9个月。
      你的人事档案及社会保险关系将于十五日内转移至青河县人才交流中心。
      特此证明。

                                 青河县化肥厂破产清算组（章）
                                       二〇〇三年六月三十日
  劳动者签收：周立新      签收日期：2003年7月2日
"""

# Case B: 除名 decision; 自动离职 is mentioned, 除名 is what was done.
REMOVAL = """\
                关于对陈卫东同志作除名处理的决定
                                       青运二字〔1999〕第 23 号
  各车队、科室：
      我公司驾驶员 陈卫东（1998年3月经县退伍军人安置办公室介绍来公司
  工作），自1999年4月2日起无正当理由连续旷工三十日，经书面通知仍未
  返岗，其行为已属自动离职。经公司经理办公会研究，决定对陈卫东同志
  作除名处理，自1999年5月5日起解除劳动关系。
      特此决定。
                                青河县第二运输公司（章）
                                    一九九九年五月五日
"""

# Case C: a unit's 证明 after a restructuring.
UNIT_CERTIFICATE = """\
                          证    明
  兹证明李海波同志（身份证号 360899197801053014），系1997年由青河县
  退伍军人安置办公室安置到我单位（原青河县粮食局城南粮站，2004年改制
  为青河县城南粮油有限公司）工作，1997年10月报到上岗，2005年8月因企业
  改制解除劳动关系。原安置介绍信已遗失。
      特此证明。
                               青河县城南粮油有限公司（章）
                                    2020年3月18日
"""

# A form-style certificate with labelled fields.
FORM = """\
解除劳动合同证明书
单位名称：青河县第二运输有限公司
姓名：孙晓梅   身份证号码：360899197704042022
劳动合同期限：1998年3月1日至2001年2月28日
解除日期：2000年11月30日
解除原因：经双方协商一致解除劳动合同
"""


def extract(text, style):
    page = page_from_text(text, style)
    return page, extract_fields("termination", [(1, page)])




@pytest.mark.parametrize("style", STYLES)
def test_case_a_bankruptcy_certificate(style):
    page, fields = extract(CERTIFICATE, style)
    check(
        fields,
        page,
        {
            "name": ("周立新", "周立新 同志"),
            "id_number": ("360899197503141518", "周立新 同志"),
            "employer": ("青河县化肥厂", "破产清算组"),  # the unit itself, not its liquidation group
            "termination_date": ("2003-06-30", "劳动合同于2003年6月30日终止"),
            "termination_reason": ("bankruptcy", "宣告破产"),
            "report_date": ("1997-10-06", "你于1997年10月6日进入本单位工作"),  # not the contract start
            "issuer": ("青河县化肥厂破产清算组", "破产清算组"),  # as signed; the employer is the plant
        },
    )
    assert fields["termination_date"].raw == "2003年6月30日"
    assert fields["report_date"].raw == "1997年10月6日"


@pytest.mark.parametrize("style", STYLES)
def test_case_b_removal_decision(style):
    page, fields = extract(REMOVAL, style)
    check(
        fields,
        page,
        {
            "name": ("陈卫东", "关于对陈卫东同志"),
            "employer": ("青河县第二运输公司", "青河县第二运输公司（章）"),
            "termination_date": ("1999-05-05", "自1999年5月5日起解除"),
            "termination_reason": ("removal", "作除名处理"),
            "report_date": ("1998-03", "1998年3月经县退伍军人安置办公室介绍来公司"),
            "issuer": ("青河县第二运输公司", "青河县第二运输公司（章）"),
        },
    )


@pytest.mark.parametrize("style", STYLES)
def test_case_c_unit_certificate(style):
    page, fields = extract(UNIT_CERTIFICATE, style)
    check(
        fields,
        page,
        {
            "name": ("李海波", "兹证明李海波同志"),
            "id_number": ("360899197801053014", "兹证明李海波同志"),
            "employer": ("青河县城南粮油有限公司", "青河县城南粮油有限公司（章）"),
            "termination_date": ("2005-08", "2005年8月因企业"),
            "termination_reason": ("restructuring", "2004年改制"),
            "report_date": ("1997-10", "1997年10月报到上岗"),
            "issuer": ("青河县城南粮油有限公司", "青河县城南粮油有限公司（章）"),
            "former_employer": ("青河县粮食局城南粮站", "原青河县粮食局城南粮站"),
        },
    )


@pytest.mark.parametrize("style", STYLES)
def test_labelled_form(style):
    page, fields = extract(FORM, style)
    check(
        fields,
        page,
        {
            "name": ("孙晓梅", "姓名：孙晓梅"),
            "id_number": ("360899197704042022", "身份证号码"),
            "employer": ("青河县第二运输有限公司", "单位名称"),
            "termination_date": ("2000-11-30", "解除日期"),
            "termination_reason": ("mutual_agreement", "解除原因"),
        },
    )


def test_no_termination_date_without_wording():
    text = CERTIFICATE.replace("劳动合同于2003年6月30日终止。", "劳动合同终止。")
    page, fields = extract(text, "lines")
    assert "termination_date" not in fields  # never the contract start or the certificate's date


def test_a_body_sentence_above_an_unreadable_seal_is_not_taken_for_the_employer():
    """Real RapidOCR lines (40-case batch, seed 9001): the seal over the signature reads as noise,
    and the sentence above it ends in a unit name (…人才交流中心。) — it must not become the employer."""
    from core.types import PageText
    from extract import extract_fields

    lines = [
        ([576, 170, 1114, 250], "解除劳动关系证明"),
        ([209, 361, 1120, 441], "何兵同志（公民身份号码：360894198410275073"),
        ([267, 455, 1477, 539], "你于2010年3月23日进入本单位工作，劳动合同期限自二○一二年"),
        ([191, 533, 1160, 609], "十月九日至2015年10月9日。工作岗位：业务员。"),
        ([266, 611, 1507, 692], "你与本单位签订的劳动合同于二一五年十月九日期满，本单位不再"),
        ([185, 690, 1212, 767], "续订，劳动合同终止。你在本单位工作年限为5年6个月。"),
        ([263, 768, 1511, 849], "你的人事档案及社会保险关系将于十五日内转移至槐安县人才交流中心。"),
        ([252, 840, 464, 913], "特此证明。"),
        ([1017, 943, 1096, 1042], "县"),
        ([892, 1047, 1216, 1141], "槐槐安县缫密"),
        ([906, 1130, 1295, 1213], "二〇一五年十月十六日"),
    ]
    page = PageText.from_dict(
        {"width": 1700, "height": 2400, "source": "ocr", "engine": "rapidocr",
         "lines": [{"text": t, "bbox": b, "conf": 0.99, "words": []} for b, t in lines]}
    )
    fields = extract_fields("termination", [(1, page)])
    assert "employer" not in fields
    assert fields["termination_date"].value.startswith("2015-10")


def test_a_start_after_the_termination_is_a_misread_and_left_out():
    # the sample batch's CCF20201129_00036.pdf: 二〇〇四年 read as "二四年", taken as 2024
    text = CERTIFICATE.replace("你于1997年10月6日进入本单位工作", "你于二四年八月六日进入本单位工作")
    fields = extract_fields("termination", [(1, page_from_text(text))])
    assert "report_date" not in fields and fields["termination_date"].value == "2003-06-30"


DEPARTURE = """\
                关于对王立军擅自离职问题的处理决定
                                       农修字〔1997〕第12号
  各车间、科室：
      王立军，男，本厂钳工，1994年由青河县安置部门分配来厂工作。该同志自
  1997年3月1日起未办任何手续擅自离开工作岗位，经多次联系未归。经研究
  决定按自动离职处理，自1997年4月30日起解除劳动关系。
      特此决定。
                                青河县农机修造厂
                                一九九七年四月三十日
"""


@pytest.mark.parametrize("title, body", [
    ("关于对王立军擅自离职问题的处理决定", "该职工，男，本厂钳工"),  # the name only in the title
    ("关于职工擅自离职问题的处理决定", "王立军，男，本厂钳工"),  # only where the body introduces him
])
def test_a_decision_names_its_subject_in_its_title_or_by_introducing_him(title, body):
    text = DEPARTURE.replace("关于对王立军擅自离职问题的处理决定", title).replace("王立军，男，本厂钳工", body)
    fields = extract_fields("termination", [(1, page_from_text(text))])
    assert fields["name"].value == "王立军"
    assert fields["termination_reason"].value == "voluntary_departure"
