"""Derived periods: best value per fact, service months and the pending-placement convention."""
from __future__ import annotations

import datetime

import pytest

from cases import CaseOptions, DocumentFacts, RosterEntry, evaluate_case, month_index, month_str
from core.types import ExtractedField

ZHOU = "360899197503141518"
CASE_A = RosterEntry(ZHOU, "周立新", {})


def doc(doc_id, doc_type, confidence=0.9, **values):
    return DocumentFacts(
        doc_id, doc_type, {k: ExtractedField(k, v, v, confidence, 1, (0, 0, 10, 10)) for k, v in values.items()}
    )


@pytest.mark.parametrize(
    "value",
    [
        "1975-03", "1975-03-14", "1975.3", "1975年3月", "1975 年 3 月", "１９７５年３月", "1975/03/14", "197503",
        "19750314", datetime.date(1975, 3, 14), datetime.datetime(1975, 3, 14, 8, 0),
        # parsed by extract.normalize.dates, so the freer forms of documents work in roster cells too
        "一九七五年三月", "75.3", "约1975年3月",
    ],
)
def test_month_index_reads_roster_and_document_dates(value):
    assert month_index(value) == 1975 * 12 + 3
    assert month_str(month_index(value)) == "1975-03"


@pytest.mark.parametrize("value", [None, "", "1975", "1975年", "1975.13", "197513", "abc", "360899197503141518"])
def test_month_index_without_a_month(value):
    assert month_index(value) is None


def derived(docs, **options):
    return evaluate_case(CASE_A, docs, CaseOptions(**options)).derived.to_dict()  # as the report has it


def test_enlistment_document_beats_discharge_form_and_confidence_breaks_ties():
    docs = [
        doc("d", "discharge", 0.99, enlistment_date="1993-11", discharge_date="1996-12"),
        doc("e1", "enlistment", 0.6, enlistment_date="1993-10"),
        doc("e2", "enlistment", 0.8, enlistment_date="1993-12"),
    ]
    out = derived(docs)
    assert out["dates"]["enlistment"]["document"] == "e2"
    assert out["service_months"] == 36


def test_two_papers_agreeing_outvote_the_authoritative_one():
    docs = [
        doc("e", "enlistment", 0.99, enlistment_date="1989-01"),  # 1999 misread
        doc("d", "discharge", 0.9, enlistment_date="1999-11", discharge_date="2001-12"),
        doc("l", "placement", 0.9, enlistment_date="1999-11-03"),
    ]
    out = derived(docs)
    assert out["dates"]["enlistment"]["month"] == "1999-11"
    assert out["dates"]["enlistment"]["document"] == "d"  # of the agreeing papers, the more authoritative
    assert out["service_months"] == 25


def test_letter_issue_date_is_the_placement_date_when_no_placement_date_field():
    docs = [
        doc("d", "discharge", discharge_date="1996-12"),
        doc("t", "termination", placement_date="1997-10-06"),  # 报到 date read off the certificate
        doc("l", "placement", issue_date="1997-09-20"),
    ]
    out = derived(docs)
    assert out["dates"]["placement"] == {"value": "1997-09-20", "month": "1997-09", "document": "l", "field": "issue_date"}
    assert out["pending_placement_months"] == 9


def test_pending_conventions():
    docs = [doc("d", "discharge", discharge_date="1996-12"), doc("l", "placement", placement_date="1997-09-20")]
    assert derived(docs)["pending_placement_months"] == 9
    assert derived(docs, pending_start="discharge_month")["pending_placement_months"] == 10
    assert derived(docs, pending_end="month_before_letter")["pending_placement_months"] == 8
    period = derived(docs, pending_start="discharge_month")["pending_period"]
    assert (period["start"], period["end"], period["start_evidence"]) == (
        "1996-12", "1997-09", {"document": "d", "field": "discharge_date"}
    )


def test_service_months_inclusive_option_and_missing_dates():
    docs = [doc("e", "enlistment", enlistment_date="1990-12"), doc("d", "discharge", discharge_date="2002-12")]
    assert derived(docs)["service_months"] == 144
    assert derived(docs, service_inclusive=True)["service_months"] == 145
    assert derived(docs[:1])["service_months"] is None
    assert derived([doc("x", "other", enlistment_date="unreadable")])["dates"] == {}


def test_choice_does_not_depend_on_document_order():
    docs = [
        doc("a", "discharge", discharge_date="1996-11"),
        doc("b", "discharge", discharge_date="1996-12"),
        doc("c", "placement", discharge_date="1996-10"),
    ]
    assert derived(docs)["dates"] == derived(docs[::-1])["dates"]
    assert derived(docs)["dates"]["discharge"]["document"] == "a"
