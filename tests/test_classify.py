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
