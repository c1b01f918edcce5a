"""Termination reasons (docs/documents.md#termination-reasons): vocabulary and the disqualifying precedence."""
import pytest

from core.types import DISQUALIFYING_REASONS, TERMINATION_REASONS
from extract.normalize.reasons import PRECEDENCE, REASON_KEYWORDS, classify_reason, reason_hits

CASE_A = (
    "因本单位经人民法院裁定依法宣告破产，根据有关规定，你与本单位的劳动合同于2003年6月30日终止。"
)
CASE_B = (
    "自1999年4月2日起无正当理由连续旷工三十日，经书面通知仍未返岗，其行为已属自动离职。"
    "经公司经理办公会研究，决定对陈卫东同志作除名处理，自1999年5月5日起解除劳动关系。"
)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("经双方协商一致，解除劳动合同", "mutual_agreement"),
        ("企业宣告破产", "bankruptcy"),
        ("因企业破产终止劳动合同", "bankruptcy"),
        ("企业改制解除劳动关系", "restructuring"),
        ("因企业兼并", "restructuring"),
        ("企业关闭", "restructuring"),
        ("单位撤销", "restructuring"),
        ("经济性裁员", "restructuring"),
        ("买断工龄", "restructuring"),
        ("身份置换", "restructuring"),
        ("劳动合同期满终止", "expiry"),
        ("合同期限届满", "expiry"),
        ("自动离职", "voluntary_departure"),
        ("擅自离职", "voluntary_departure"),
        ("不辞而别", "voluntary_departure"),
        ("作除名处理", "removal"),
        ("给予开除处分", "dismissal"),
        ("开除厂籍", "dismissal"),
        ("被判刑", "criminal_sentence"),
        ("被判处有期徒刑三年", "criminal_sentence"),
        ("被依法追究刑事责任", "criminal_sentence"),
        ("正在服刑", "criminal_sentence"),
        ("依据《劳动合同法》第三十九条第（六）项", "criminal_sentence"),
        ("因个人原因辞职", "other"),
        ("辞退", "other"),
        ("", None),
        ("特此证明。", None),
    ],
)
def test_vocabulary(text, reason):
    assert classify_reason(text) == reason


def test_case_a_bankruptcy():
    assert classify_reason(CASE_A) == "bankruptcy"


def test_case_b_removal_beats_voluntary_departure():
    assert {h.reason for h in reason_hits(CASE_B)} == {"voluntary_departure", "removal"}
    assert classify_reason(CASE_B) == "removal"


def test_disqualifying_beats_eligible():
    assert classify_reason("企业改制期间，该职工擅自离职") == "voluntary_departure"
    assert classify_reason("经协商一致……后因旷工作除名处理") == "removal"
    assert classify_reason("因被判处有期徒刑，决定给予开除处分") == "dismissal"
    assert classify_reason("企业破产，其间被追究刑事责任") == "criminal_sentence"


def test_negations_do_not_count():
    pledge = "服役期间未被开除军籍，安置后未被判刑、开除、除名，无自动离职情形。"
    assert classify_reason(pledge) is None
    assert classify_reason("无正当理由连续旷工三十日作除名处理") == "removal"


def test_precedence_table_covers_every_reason():
    assert set(PRECEDENCE) == set(TERMINATION_REASONS) == set(REASON_KEYWORDS)
    first_eligible = min(PRECEDENCE.index(r) for r in set(PRECEDENCE) - DISQUALIFYING_REASONS)
    assert all(PRECEDENCE.index(r) < first_eligible for r in DISQUALIFYING_REASONS)
