"""Dates the person's papers cannot bear (cases/plausible.py): flagged once, never used.

Case A (周立新, born 1975-03): enlisted 1993-12, discharged 1996-12, letter 1997-09-20,
termination 2003-06-30. Each test misreads one of its dates the way worn paper does."""
from __future__ import annotations

from cases import CaseOptions, evaluate_case
from cases.plausible import DateBounds
from core.types import EvidenceRef
from tests.test_cases_rules import CASE_A, ZHOU, case_a_documents, codes, with_values

TODAY = CaseOptions(rules={"today": "2026-11-29"})


def test_bounds_come_from_the_id_number_and_today():
    bounds = DateBounds.of(ZHOU, "2026-11-29")
    assert bounds.problem("discharge", bounds.birth + 12 * 10) == "too_young"
    assert bounds.problem("enlistment", bounds.birth + 12 * 14) is None
    assert bounds.problem("enlistment", bounds.birth + 12 * 36) == "too_old"
    assert bounds.problem("termination", bounds.birth + 12 * 45) is None
    assert bounds.problem("termination", bounds.today + 1) == "future"
    # no birth month from the number: only the future is impossible
    unknown = DateBounds.of("", "2026-11-29")
    assert unknown.problem("discharge", 1901 * 12 + 11) is None and unknown.problem("placement", unknown.today + 2) == "future"


def test_a_discharge_year_misread_before_birth_is_one_flag_and_not_the_case_date():
    docs = with_values(case_a_documents(), "discharge", discharge_date="1906-12")
    result = evaluate_case(CASE_A, docs, TODAY)
    # the letter's 1996-12 is the discharge; the pending period is Case A's 9 months
    assert result.derived.dates["discharge"].document == "letter"
    assert result.derived.pending_placement_months == 9
    assert codes(result) == [("impossible_date", "warning")]
    [flag] = [f for f in result.flags if f.code == "impossible_date"]
    assert "1906-12" in flag.message and "出生于 1975-03" in flag.message
    assert flag.evidence == (EvidenceRef("discharge", "discharge_date"),)


def test_the_only_reading_of_a_fact_impossible_leaves_the_fact_unknown():
    docs = [d for d in case_a_documents() if d.id not in ("letter",)]
    docs = with_values(docs, "discharge", discharge_date="1901-11")
    result = evaluate_case(CASE_A, docs, TODAY)
    assert "discharge" not in result.derived.dates
    found = {code for code, _ in codes(result)}
    assert "impossible_date" in found
    assert not found & {"date_order", "service_length", "pending_long", "service_dates"}


def test_an_enlistment_at_an_age_no_one_enlists_is_impossible():
    docs = with_values(case_a_documents(), "letter", enlistment_date="2013-12")  # 38 years old
    result = evaluate_case(CASE_A, docs, TODAY)
    assert ("impossible_date", "warning") in codes(result)
    assert ("service_dates", "error") not in codes(result)
    assert result.derived.dates["enlistment"].month == "1993-12"


def test_a_future_termination_is_flagged_as_future_only_and_not_the_termination():
    docs = with_values(case_a_documents(), "termination", termination_date="2054-06-30")
    result = evaluate_case(CASE_A, docs, TODAY)
    assert [c for c, _ in codes(result)] == ["future_date"]
    assert "termination" not in result.derived.dates


def test_a_letter_dated_before_the_discharge_is_possible_and_still_out_of_order():
    docs = with_values(case_a_documents(), "letter", placement_date="1996-08-20")
    result = evaluate_case(CASE_A, docs, TODAY)
    assert ("date_order", "error") in codes(result)
    assert "impossible_date" not in {c for c, _ in codes(result)}
