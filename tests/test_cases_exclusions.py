"""Candidate ranking for excluding documents that link to no case (cases/exclusions.py)."""
from __future__ import annotations

from cases import RosterEntry
from cases.exclusions import excluding_reason, rank_candidates
from tests.test_cases_rules import doc

ZHOU = RosterEntry("360899197503141518", "周立新", {"工作单位": "青河县化肥厂"})
ZHOU_HOMOPHONE = RosterEntry("360899197503201514", "周利新", {})  # a homophone born the same month
ZHOU_TWIN_NAME = RosterEntry("360899198006021511", "周立新", {})  # same name, born 1980
WANG = RosterEntry("110101199003071235", "王建军", {"曾用名": "王建君"})
ROSTER = [WANG, ZHOU_HOMOPHONE, ZHOU, ZHOU_TWIN_NAME]


def removal(**values):
    return doc("D000009", "termination", termination_reason="removal", **values)


def test_only_disqualifying_reasons_make_an_excluding_document():
    assert excluding_reason(removal()) == "removal"
    assert excluding_reason(doc("x", "termination", termination_reason="bankruptcy")) is None
    assert excluding_reason(doc("x", "termination")) is None


def test_name_and_birth_date_put_the_right_person_first():
    ranked = rank_candidates(removal(name="周立新", birth_date="1975-03"), ROSTER)
    assert [c.id_number for c in ranked[:2]] == [ZHOU.id_number, ZHOU_HOMOPHONE.id_number]
    best = ranked[0]
    assert best.name == "周立新" and best.birth_date == "1975-03-14" and "出生年月一致" in best.agrees
    assert ZHOU_TWIN_NAME.id_number not in [c.id_number for c in ranked[:2]]  # same name, other birth month: demoted
    assert all(0 <= c.score <= 1 for c in ranked)
    assert [c.score for c in ranked] == sorted((c.score for c in ranked), reverse=True)


def test_an_id_fragment_decides_between_two_people_of_one_name():
    ranked = rank_candidates(removal(name="周立新", id_number="3608991980060"), ROSTER)
    assert ranked[0].id_number == ZHOU_TWIN_NAME.id_number and "身份证号部分相同" in ranked[0].agrees


def test_the_unit_counts_from_the_roster_and_from_linked_documents():
    letter = removal(name="周立新", employer="青河县化肥厂")
    ranked = rank_candidates(letter, ROSTER)
    assert ranked[0].id_number == ZHOU.id_number and ranked[0].unit == "青河县化肥厂" and "单位一致" in ranked[0].agrees
    ranked = rank_candidates(letter, ROSTER, known_units={ZHOU_TWIN_NAME.id_number: ("青河县化肥厂",)})
    assert {c.id_number for c in ranked if "单位一致" in c.agrees} == {ZHOU.id_number, ZHOU_TWIN_NAME.id_number}


def test_a_former_name_counts_and_strangers_are_left_out():
    ranked = rank_candidates(removal(name="王建君"), ROSTER)
    assert ranked[0].id_number == WANG.id_number and ranked[0].score > 0.5
    assert rank_candidates(removal(name="欧阳娜娜"), ROSTER) == []
    assert len(rank_candidates(removal(name="周立新"), ROSTER, limit=2)) == 2


def test_candidates_in_the_report_carry_id_name_and_score_only():
    best = rank_candidates(removal(name="周立新", birth_date="1975-03"), ROSTER)[0]
    assert set(best.to_dict()) == {"id_number", "name", "score"}


def test_a_nameless_excluding_page_in_one_veterans_scan_has_him_as_candidate():
    from dataclasses import replace

    page = replace(removal(employer="青河县电影公司"), file="17")
    assert rank_candidates(page, ROSTER) == []  # nothing of anyone's on it
    ranked = rank_candidates(page, ROSTER, known_files={ZHOU.id_number: frozenset({"17", "18"})})
    assert [c.id_number for c in ranked] == [ZHOU.id_number] and "与本人材料同属一个扫描文件" in ranked[0].agrees
