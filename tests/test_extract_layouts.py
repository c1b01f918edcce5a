"""Layouts and damage of paper that our first template family never printed: captions under the
values, unit codes whatever their label, a day that lost its 日, a letter whose addressee lost its
colon, the person a letter is about named only by 同志, an employer told in the body."""
import pytest

from extract import extract_fields
from extract.document import DocText
from extract.normalize.dates import find_dates
from extract.normalize.units import service_unit
from tests.synthetic_pages import page_from_rows, page_from_text

# A certificate printing each caption under the line its value is written on; an empty row keeps
# the next value apart from the caption above it, as on paper.
CAPTIONS_BELOW = [
    [(4, "周立新"), (30, "男")],
    [(4, "姓名"), (30, "性别")],
    [],
    [(3, "1975年3月14日"), (28, "360899197503141518")],
    [(4, "出生年月"), (30, "身份证号码")],
    [],
    [(3, "1993年12月"), (29, "05318部队")],
    [(4, "入伍时间"), (30, "所去部队")],
]


def _values(doc_type, page):
    return {k: f.value for k, f in extract_fields(doc_type, [(1, page)]).items()}


def test_captions_under_the_values():
    got = _values("enlistment", page_from_rows([[(10, "应征青年入伍批准书")], [], *CAPTIONS_BELOW]))
    assert got["name"] == "周立新"
    assert got["gender"] == "male"
    assert got["birth_date"] == "1975-03-14"
    assert got["enlistment_date"] == "1993-12"
    assert got["service_unit"] == "05318部队"


def test_a_table_with_labels_over_values_is_not_read_upwards():
    rows = [
        [(4, "姓名"), (30, "性别")],
        [(4, "周立新"), (30, "男")],
        [(4, "出生年月"), (30, "民族")],
        [(3, "1975年3月"), (30, "汉")],
    ]
    got = _values("enlistment", page_from_rows(rows))
    assert (got["name"], got["birth_date"]) == ("周立新", "1975-03")


def test_unit_code_whatever_its_label():
    text = "应征青年入伍登记表\n姓名：周立新\n接兵单位：05318部队\n"
    assert _values("enlistment", page_from_text(text))["service_unit"] == "05318部队"


def test_two_unit_codes_without_a_label_are_not_guessed():
    text = "应征青年入伍登记表\n姓名：周立新\n本人简历：1990年在05318部队探亲\n接兵单位：06100部队、07211部队\n"
    assert "service_unit" not in _values("enlistment", page_from_text(text))


@pytest.mark.parametrize("text", ["08103部队", "08103部从", "中国人民解放军08103部"])
def test_unit_code_with_its_last_character_misread(text):
    assert service_unit(text) == "08103部队"


@pytest.mark.parametrize(
    "text, value",
    [
        ("本单位决定自2013年3月21起与你终止劳动合同", "2013-03-21"),
        ("决定自一九九三年一月十起解除与你的劳动关系", "1993-01-10"),
        ("二〇〇三年六月正式上岗", "2003-06"),  # 正 is not a day
        ("1995年12月07954部队", "1995-12"),  # a unit code is not a day
    ],
)
def test_a_day_that_lost_its_ri(text, value):
    found = find_dates(text)[0]
    assert found.value == value
    assert found.repaired == (len(value) == 10)


def test_termination_date_without_ri_and_employer_from_the_body():
    text = (
        "职工终止劳动关系证明书\n"
        "李华亮同志(证件号码：36089719850710795X)：\n"
        "你于2011年1月经桐川县安置部门分配到桐川县汽车修配厂工作，从事钣金工工作。\n"
        "合同期限届满终止，本单位决定自2013年3月21起与你终止劳动合同。\n"
    )
    got = _values("termination", page_from_text(text))
    assert got["name"] == "李华亮"
    assert got["termination_date"] == "2013-03-21"
    assert got["employer"] == "桐川县汽车修配厂"


def test_approval_form_employer_is_its_own_field_not_the_last_signature():
    """A 解除劳动关系登记表 signed by the employer, its supervisor and the labour bureau: the
    employer is the form's 用人单位 (its 厂 misread as 5), never the last signing office."""
    rows = [
        [(8, "解除劳动关系登记表")],
        [(0, "用人单位"), (5, "桐川县双河石灰5")],
        [(0, "姓名"), (5, "郭国杰"), (12, "性别"), (16, "男")],
        [(0, "终止日期"), (5, "2005年1月15日")],
        [(0, "单位意见"), (5, "同意。"), (24, "桐川县双河石灰厂")],
        [(24, "二〇〇五年一月十五日")],
        [(0, "劳动部门意见"), (5, "同意。"), (24, "桐川县劳动和社会保障局")],
        [(24, "2005年2月7日")],
        [(0, "本表一式三份，单位、职工本人、劳动部门各执一份。")],
    ]
    got = _values("termination", page_from_rows(rows))
    assert got["employer"] == "桐川县双河石灰"
    no_field = [r for r in rows if r[0][1] != "用人单位"]
    assert _values("termination", page_from_rows(no_field))["employer"] != "职工本人、劳动部门各执一份"


def test_a_certificates_enlistment_date_over_its_caption_beats_the_day_it_was_signed():
    rows = [
        [(8, "批准入伍证明书")],
        [(4, "肖成祥"), (20, "男")],
        [(4, "姓名"), (20, "性别")],
        [],
        [(3, "二〇〇四年十二月"), (18, "中国人民解放军08094部队")],
        [(4, "入伍时间"), (20, "接兵部队")],
        [(2, "经体格检查、政治审查合格，批准入伍。")],
        [(20, "青河县人民政府征兵办公室")],
        [(20, "二零零四年十月三日")],
    ]
    assert _values("enlistment", page_from_rows(rows))["enlistment_date"] == "2004-12"


def test_letter_addressee_without_colon_and_name_by_tongzhi():
    text = (
        "           安置通知\n"
        "桐川县杨柳砖瓦厂\n"
        "    根据1992年度退伍军人安置计划，经研究，决定安排退伍军人\n"
        "董斌林同志(男）到你单位工作，请接洽并按有关规定安排上岗。\n"
        "                                   桐川县民政局\n"
        "                                   1992年8月16日\n"
    )
    got = _values("placement", page_from_text(text))
    assert got["placement_unit"] == "桐川县杨柳砖瓦厂"
    assert got["name"] == "董斌林"
    assert got["placement_date"] == "1992-08-16"


def test_a_centred_letterhead_is_not_the_addressee():
    text = (
        "                        云溪县人民政府退伍军人安置办公室\n"
        "                              安置通知\n"
        "    根据1997年度退伍军人安置计划，经研究，决定安排退伍军人梁明金同\n"
        "志到你单位工作，请接洽。\n"
    )
    got = _values("placement", page_from_text(text))
    assert "placement_unit" not in got
    assert got["name"] == "梁明金"


def test_an_addressed_parent_is_not_the_recruit():
    text = "应征入伍通知书\n龚永福同志：\n你的儿子龚兵同志，经体格检查合格，已批准于1993年12月10日应征入伍。\n"
    assert _values("enlistment", page_from_text(text))["name"] == "龚兵"


@pytest.mark.parametrize("style", ["cells", "lines"])
def test_a_relatives_table_names_no_field_of_his(style):
    rows = [
        [(0, "姓名"), (6, "周立新"), (12, "性别"), (16, "男")],
        [(0, "家庭成员"), (6, "称谓"), (12, "姓名"), (20, "工作单位")],
        [(6, "父亲"), (12, "周长海"), (20, "青河县化肥厂")],
    ]
    page = page_from_rows(rows, style)
    assert _values("enlistment", page)["name"] == "周立新"
    keys = [h.key for tl in DocText([(1, page)]).lines for h in tl.hits if h.label == "姓名"]
    assert keys == ["name", "other"]


@pytest.mark.parametrize(
    "text, value",
    [("男，1998年12入伍，", "1998-12"), ("在本单位工作12年3个月", None), ("2019年度安置计划", None)],
)
def test_a_month_that_lost_its_yue(text, value):
    found = find_dates(text)
    assert (found[0].value if found else None) == value


def _id_line(number: str, unsure: dict[int, float]) -> "PageText":
    from core.types import Line, PageText, Word

    label = "公民身份号码："
    text = label + number
    words = tuple(
        Word(ch, (100 + 30 * i, 100, 130 + 30 * i, 140), unsure.get(i - len(label), 1.0)) for i, ch in enumerate(text)
    )
    line = Line(text, (100, 100, 100 + 30 * len(text), 140), 0.95, words)
    return PageText(width=2480, height=3508, lines=[line], source="ocr", engine="rapidocr")


def test_a_number_failing_its_checksum_is_kept_as_read_however_unsure_a_digit():
    """360894198002031997 with its 13th digit 8: a misreading or a clerk's slip, the checksum
    cannot tell, so no digit is replaced (the linker weighs the near miss, cases/corroborate.py)."""
    for unsure in ({9: 0.68, 12: 0.87}, {}):
        got = extract_fields("termination", [(1, _id_line("360894198002831997", unsure))])["id_number"]
        assert got.value == "360894198002831997" and got.confidence < 0.5


@pytest.mark.parametrize(
    "doc_type, text, name",
    [
        ("political_review", "无犯罪记录证明书\n兹有马志宝，男，公民身份号码360895198208256135，户籍地址：临江省。\n", "马志宝"),
        ("placement", "安置通知\n青河县国营城关林场：\n决定安排退伍军人\n侯忠正·同志（男，1984年12月入伍）到你单位工作。\n", "侯忠正"),
    ],
)
def test_the_person_named_in_the_prose(doc_type, text, name):
    assert _values(doc_type, page_from_text(text))["name"] == name


# An ID card photocopy that lost the light-blue labels of its face: only the black values are read.
CARD_FACE = [
    [(10, "周立新")],
    [(10, "男民族 汉")],
    [(10, "1975年3月14日")],
    [(10, "临江省青河县城关镇")],
    [(18, "360899197503141518")],
]


def test_a_card_face_without_labels_is_read_where_its_number_agrees():
    got = _values("id_card", page_from_rows(CARD_FACE))
    assert got == {"id_number": "360899197503141518", "name": "周立新", "gender": "male", "birth_date": "1975-03-14"}


def test_values_the_number_contradicts_are_not_taken_from_an_unlabelled_card():
    rows = [row[:] for row in CARD_FACE]
    rows[1] = [(10, "女民族 汉")]       # the number's 17th digit says male
    rows[2] = [(10, "1976年3月14日")]   # and it encodes 1975-03-14
    got = _values("id_card", page_from_rows(rows))
    assert got == {"id_number": "360899197503141518"}  # no gender row, so no name above it either


def test_another_agencys_form_names_the_person_of_the_number_it_gives():
    """A retirement form about the father, brought by the veteran as 代办人: the ID number read is
    the veteran's, so the name must be his too, not the form's 姓名."""
    rows = [
        [(10, "企业职工退休审批表")],
        [(2, "姓名"), (8, "廖志春"), (20, "性别"), (26, "男")],
        [(2, "工作单位"), (8, "梅岗县机械厂")],
        [(2, "代办人"), (8, "廖志良（之子）"), (22, "身份证号：36089619740503121X")],
    ]
    assert _values("other", page_from_rows(rows)) == {"name": "廖志良", "id_number": "36089619740503121X"}
    alone = [rows[0], [(2, "姓名"), (8, "廖志良"), (20, "身份证号：36089619740503121X")]]
    assert _values("other", page_from_rows(alone)) == {"name": "廖志良", "id_number": "36089619740503121X"}


def test_a_tax_slip_names_its_taxpayer_not_its_clerk():
    rows = [
        [(10, "个人所得税完税证明")],
        [(2, "纳税人识别号"), (10, "360896197506069110"), (22, "纳税人名称"), (30, "卢峰宇")],
        [(2, "扣缴义务人：梅岗县永安物业管理有限公司")],
        [(2, "填票人：蒋某")],
    ]
    assert _values("other", page_from_rows(rows)) == {"name": "卢峰宇", "id_number": "360896197506069110"}


def test_a_letter_spaced_label_split_before_its_value_is_joined():
    rows = [[(10, "退伍义务兵登记表")], [(2, "姓"), (5, "名：肖东胜"), (20, "性别：男")]]
    assert _values("discharge", page_from_rows(rows))["name"] == "肖东胜"


def test_first_person_papers_and_certificates_name_their_subject_in_prose():
    commitment = page_from_text("申请人承诺书\n本人丁成，身份证号360896197811079817，1995年入伍，经政府安排工作。\n本人愿承担相应法律责任。")
    assert _values("other", commitment) == {"name": "丁成", "id_number": "360896197811079817"}
    record = page_from_text("参保证明\n兹证明廖志良（公民身份号码：36089619740503121X）自2001年2月起参加养老保险，"
                            "\n参保单位为梅岗县再生资源有限责任公司，缴费情况如下：")
    got = _values("contribution", record)
    assert got["name"] == "廖志良" and got["employer"] == "梅岗县再生资源有限责任公司"


def test_a_letter_beside_its_stub_is_read_column_by_column_where_its_prose_wraps():
    """The engine interleaves the two columns' lines: the body's 退 / 伍 are split by a stub line."""
    from core.types import Line, PageText

    from extract.layout import columns

    rows = [  # (text, x0, y0, x1): the stub on the left, the letter on the right, as the engine lists them
        ("存根", 328, 111, 473), ("安置介绍信", 1367, 116, 1689), ("柳民安字〔2004〕第175号", 339, 215, 681),
        ("姓名：江平", 117, 296, 324), ("柳塘县机械厂：", 845, 312, 1142), ("人数：壹人", 116, 383, 324),
        ("兹介绍退伍军人江平同志（男，1998年12月入伍，2002年12月退", 904, 401, 2201),
        ("前往单位：柳塘县机械厂", 119, 474, 546), ("伍)前往你单位报到，请按国家有关规定安排工作为盼。", 825, 479, 1806),
        ("开具日期：2004.02.06", 121, 659, 514), ("柳塘县民政局", 1696, 749, 1968), ("2004年2月6日", 1704, 819, 1950),
    ]
    lines = [Line(text, (x0, y0, x1, y0 + 55), 0.99) for text, x0, y0, x1 in rows]
    page = PageText(width=2339, height=1655, lines=lines, source="ocr", engine="rapidocr")
    assert [len(c) for c in columns([ln.bbox for ln in lines])] == [6, 6]
    fields = extract_fields("placement", [(1, page)])
    assert fields["discharge_date"].value == "2002-12" and fields["enlistment_date"].value == "1998-12"
    # one column of text is one column: a single letter keeps its order
    assert columns([ln.bbox for ln in lines if ln.bbox[0] > 800]) == []


def test_a_form_of_two_persons_side_by_side_names_the_one_in_the_numbers_column():
    """A marriage declaration: 男方 | 女方 columns, each signing below; the number read is his."""
    from core.types import Line, PageText

    boxes = [  # as the engine gave them (the bride signs a few pixels higher, so she comes first)
        ("申请结婚登记声明书", (500, 200, 1100, 260)), ("男方", (684, 376, 782, 425)), ("女方", (1105, 373, 1205, 423)),
        ("姓名", (355, 455, 476, 504)), ("胡兵", (524, 454, 603, 506)), ("白英玲", (948, 445, 1058, 505)),
        ("身份证件号", (343, 625, 484, 674)), ("360898198509252970", (525, 627, 815, 668)),
        ("360897198709250981", (953, 624, 1234, 665)),
        ("声明人：白英玲", (963, 1355, 1188, 1412)), ("声明人：胡兵", (544, 1362, 735, 1414)),
    ]
    page = PageText(width=1654, height=2339, lines=[Line(t, b, 0.99) for t, b in boxes], source="ocr", engine="rapidocr")
    assert _values("other", page) == {"name": "胡兵", "id_number": "360898198509252970"}
