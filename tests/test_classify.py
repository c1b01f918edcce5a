"""Page types from titles and phrases; a whole-case scan split into its documents."""
from __future__ import annotations

import pytest

from classify import classify_page, segment
from core.types import Line, PageClass, PageText


def page(*lines: str, height: int = 2000) -> PageText:
    """Lines stacked from the top of an A4-ish page, 100 px apart."""
    return PageText(
        width=1400, height=height, source="ocr", engine="test",
        lines=[Line(text, (100, 80 + 100 * i, 1300, 150 + 100 * i), 0.95) for i, text in enumerate(lines)],
    )


@pytest.mark.parametrize(
    "title, body, expected",
    [
        ("应征公民入伍登记表", "姓名 周立新 性别 男", "enlistment"),
        ("应 征 公 民 入 伍 批 准 书", "批准你于一九九三年十二月五日应征入伍", "enlistment"),
        ("义务兵退出现役登记表", "退出现役时间 1996.12 部队意见", "discharge"),
        ("介绍信", "兹介绍退伍军人周立新同志（男，1993年12月入伍，1996年12月退伍）前往你单位报到", "placement"),
        ("解除（终止）劳动合同证明书", "劳动合同期限自1997年10月6日", "termination"),
        ("关于对陈卫东同志作除名处理的决定", "无正当理由连续旷工三十日", "termination"),
        ("企业职工基本养老保险个人缴费明细", "费款所属期 缴费基数", "contribution"),
        ("青河县待安置退伍军人生活补助费发放花名册", "领款人签章 合计", "subsidy_voucher"),
        ("无犯罪记录证明", "经查询，未发现其有犯罪记录", "political_review"),
        ("中华人民共和国", "居民身份证 签发机关 青河县公安局 有效期限", "id_card"),
        ("常住人口登记卡", "曾用名 周利新 兵役状况 退出现役 何时由何地迁来本市(县) 1997年01月 由05318部队退伍迁来", "id_card"),
    ],
)
def test_titles_and_phrases_name_the_page_type(title, body, expected):
    cls = classify_page(page(title, body))
    assert cls.doc_type == expected
    assert cls.confidence >= 0.5


def test_a_title_misread_by_one_character_still_counts():
    cls = classify_page(page("义务兵退出现役登记衣", "入伍时间 1993.12"))  # 表 read as 衣
    assert cls.doc_type == "discharge" and cls.starts_document


def test_a_letter_mentioning_enlistment_is_still_a_placement_letter():
    cls = classify_page(page("退伍军人安置介绍信", "周立新同志1993年12月入伍，1996年12月退伍，经批准入伍"))
    assert cls.doc_type == "placement"


def test_a_page_with_nothing_telling_is_other_and_opens_nothing():
    cls = classify_page(page("第 2 页", "备注"))
    assert cls.doc_type == "other" and not cls.starts_document


def test_whole_case_scan_splits_at_titles_and_type_changes():
    classes = [
        (1, PageClass("enlistment", 0.9, True)),
        (2, PageClass("enlistment", 0.6, False)),  # second page of the form, no title
        (3, PageClass("discharge", 0.9, True)),
        (4, PageClass("other", 0.5, False)),  # blank back side stays with its document
        (5, PageClass("placement", 0.9, True)),  # the stub
        (6, PageClass("placement", 0.9, True)),  # the letter: a title opens a new document
        (7, PageClass("id_card", 0.9, False)),  # front: no title
        (8, PageClass("id_card", 0.9, True)),  # back: 居民身份证 title, same card
        (9, PageClass("termination", 0.9, True)),
    ]
    spans = segment(classes)
    assert [(s.doc_type, s.pages) for s in spans] == [
        ("enlistment", [1, 2]),
        ("discharge", [3, 4]),
        ("placement", [5]),
        ("placement", [6]),
        ("id_card", [7, 8]),
        ("termination", [9]),
    ]


def test_an_other_page_under_a_title_of_its_own_is_a_paper_of_its_own():
    classes = [
        (1, PageClass("placement", 0.9, True)),  # the stub
        (2, PageClass("other", 0.9, True)),  # 诚信承诺书: its date is not the stub's
        (3, PageClass("other", 0.5, False)),  # its blank back
        (4, PageClass("termination", 0.9, True)),
    ]
    assert [(s.doc_type, s.pages) for s in segment(classes)] == [
        ("placement", [1]), ("other", [2, 3]), ("termination", [4])
    ]


def test_segmentation_does_not_depend_on_the_order_pages_arrive_in():
    classes = [(2, PageClass("discharge", 0.9, True)), (1, PageClass("enlistment", 0.9, True))]
    assert [s.pages for s in segment(classes)] == [[1], [2]]


def test_a_title_named_in_a_sentence_does_not_make_the_page_that_document():
    unit_certificate = page(
        "证    明",
        "兹证明李海波同志系1997年由青河县退伍军人安置办公室安置到我单位工作，",
        "1997年10月报到上岗，2005年8月因企业改制解除劳动关系。原安置介绍信已遗失。",
    )
    assert classify_page(unit_certificate).doc_type == "termination"


# ---- headings: only a heading can be a title (classify/headings.py) ------------------------------

from classify.evidence import rule_class, title_evidence  # noqa: E402
from classify.headings import find_headings  # noqa: E402
from core.types import Word  # noqa: E402


def laid_out(*boxes: tuple[str, tuple[int, int, int, int]], width: int = 1654, height: int = 2339) -> PageText:
    return PageText(width=width, height=height, source="ocr", engine="test",
                    lines=[Line(text, box, 0.95) for text, box in boxes])


def test_a_label_cell_near_the_top_is_never_a_title():
    """The independent batch's failure: 身份证号 beside its value near the top fuzzily matched
    居民身份证 and the page became an ID card, although its heading named the form."""
    page = laid_out(
        ("应征青年入伍批准书", (520, 150, 1130, 230)),
        ("身份证号", (150, 300, 330, 350)), ("360896197803145351", (360, 300, 900, 350)),
        ("姓名", (150, 380, 240, 430)), ("夏新", (300, 380, 420, 430)),
    )
    assert [h.text for h in find_headings(page)] == ["应征青年入伍批准书"]
    assert rule_class(title_evidence(page)).doc_type == "enlistment"


def test_labels_alone_name_no_page_type():
    page = laid_out(
        ("公民身份证号码", (150, 160, 420, 210)), ("360896197803145351", (450, 160, 990, 210)),
        ("姓名", (150, 240, 240, 290)), ("夏新", (300, 240, 420, 290)),
    )
    evidence = title_evidence(page)
    assert not find_headings(page) or all(h.text != "公民身份证号码" for h in find_headings(page))
    assert evidence.scores["id_card"] < 6  # a label is a phrase, never a title


def test_a_title_in_larger_print_counts_wherever_the_sheet_puts_it():
    """A letter below its 存根 on one sheet: the letter's title is in the middle of the page."""
    page = laid_out(
        ("存根", (760, 120, 900, 190)), ("兹介绍周立新同志前往你单位报到", (150, 250, 1000, 300)),
        ("安置介绍信", (650, 1200, 1000, 1285)), ("青河县化肥厂：", (150, 1350, 450, 1400)),
        ("兹介绍退伍军人周立新同志前往你单位报到，请予安排工作。", (200, 1430, 1500, 1480)),
    )
    texts = [h.text for h in find_headings(page)]
    assert "安置介绍信" in texts and "存根" in texts
    assert not any("兹介绍" in t for t in texts)  # a sentence is never a heading


def test_a_landscape_sheet_has_a_heading_in_each_half():
    page = laid_out(
        ("存根", (300, 150, 460, 220)), ("介绍信", (1620, 150, 1880, 220)),
        ("第048号", (200, 300, 400, 350)), ("青河县化肥厂：", (1300, 300, 1700, 350)),
        width=2339, height=1654,
    )
    assert {h.text for h in find_headings(page)} >= {"存根", "介绍信"}


def test_a_table_row_joined_into_one_tesseract_line_is_not_a_heading():
    words = (Word("姓名", (100, 160, 160, 200), 0.9), Word("周立新", (400, 160, 490, 200), 0.9),
             Word("户主", (900, 160, 960, 200), 0.9))
    page = PageText(width=1654, height=2339, source="ocr", engine="tesseract",
                    lines=[Line("常住人口登记卡", (100, 80, 380, 120), 0.9),
                           Line("姓名 周立新 户主", (100, 160, 960, 200), 0.9, words)])
    texts = [h.text for h in find_headings(page)]
    assert "常住人口登记卡" in texts and not any("姓名" in t for t in texts)


def test_a_letter_spaced_title_read_as_separate_boxes_is_one_heading():
    page = laid_out(*[(ch, (500 + 130 * i, 150, 580 + 130 * i, 230)) for i, ch in enumerate("退伍证")],
                    ("姓名 周立新", (150, 300, 500, 350)))
    assert [h.text for h in find_headings(page)] == ["退伍证"]


def test_a_top_heading_shaped_like_a_title_opens_a_document_even_if_its_wording_is_new():
    from classify.model import opens_document

    new_title = laid_out(("复员退伍军人审批表", (500, 150, 1150, 230)), ("姓名 周立新", (150, 300, 500, 350)))
    second_page = laid_out(("家庭主要成员情况", (500, 150, 1000, 200)), ("父亲 周大山", (150, 300, 500, 350)))
    assert opens_document(title_evidence(new_title))
    assert not opens_document(title_evidence(second_page))


def test_a_bracketed_qualifier_names_the_copy_not_the_kind_of_paper():
    """A real form's failure: 待遇领取人员健在确认表（存根） was typed a placement stub because
    its heading holds 存根. The stub of a 确认表 is a 确认表; a heading of 存根 alone, or a
    letter's （存根）, stays a placement stub."""
    def typed(heading: str) -> str:
        page = laid_out((heading, (520, 130, 1130, 200)), ("姓名", (200, 260, 290, 310)), ("曾胜忠", (330, 260, 460, 310)))
        return rule_class(title_evidence(page)).doc_type

    assert typed("待遇领取人员健在确认表（存根)") == "other"
    assert typed("存根") == "placement"
    assert typed("安置介绍信（存根）") == "placement"
