"""Month sets: Case A (docs/periods.md#worked-example-case-a), and properties that hold for any dates."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cases.facts import month_index
from cases.monthsets import month_sets, ranges, span
from cases.periods import FactSource


def fact(name: str, value: str) -> FactSource:
    return FactSource(name, month_index(value), value, f"D{name}", f"{name}_date")


CASE_A = {
    "enlistment": fact("enlistment", "1993-12"),
    "discharge": fact("discharge", "1996-12"),
    "placement": fact("placement", "1997-09-20"),
    "termination": fact("termination", "2003-06-30"),
}
CASE_A_RECORD = {  # docs/periods.md#worked-example-case-a: 1998-01…2001-12 paid, 2002-01…2003-06 in arrears, 36 months 视同
    "paid": span(month_index("1998-01"), month_index("2001-12")),
    "arrears": span(month_index("2002-01"), month_index("2003-06")),
}


def test_case_a_the_bankrupt_fertiliser_plant():
    sets = month_sets(CASE_A, CASE_A_RECORD)
    assert len(sets.service) == 36 and ranges(sets.service) == [["1993-12", "1996-11"]]
    assert len(sets.pending) == 9 and ranges(sets.pending) == [["1997-01", "1997-09"]]
    assert len(sets.employment) == 69 and ranges(sets.employment) == [["1997-10", "2003-06"]]
    assert len(sets.back_payment) == 21
    assert ranges(sets.back_payment) == [["1997-10", "1997-12"], ["2002-01", "2003-06"]]
    assert sets.after_termination == frozenset()  # not covered unless configured (Q3)


def test_options_move_the_ends():
    assert len(month_sets(CASE_A, {}, pending_end="month_before_letter").pending) == 8
    assert len(month_sets(CASE_A, {}, pending_start="discharge_month").pending) == 10
    assert len(month_sets(CASE_A, CASE_A_RECORD, back_payment_includes_pending=True).back_payment) == 30
    after = month_sets(CASE_A, CASE_A_RECORD, after_termination_until="2019-12")
    assert ranges(after.after_termination) == [["2003-07", "2019-12"]] and len(after.back_payment) == 21 + 198


def test_without_a_contribution_record_no_month_is_paid_and_the_report_says_so():
    sets = month_sets(CASE_A, {})
    assert not sets.has_contribution_record and len(sets.back_payment) == 69


months = st.integers(min_value=1990 * 12, max_value=2025 * 12)


@given(
    enlist=months, service=st.integers(0, 200), wait=st.integers(-3, 40), work=st.integers(-3, 300),
    paid=st.frozensets(months, max_size=60), arrears=st.frozensets(months, max_size=60),
    inclusive=st.booleans(), start=st.sampled_from(["after_discharge_month", "discharge_month"]),
    end=st.sampled_from(["letter_month", "month_before_letter"]), with_pending=st.booleans(),
)
def test_sets_never_overlap_and_no_month_counts_twice(enlist, service, wait, work, paid, arrears, inclusive, start, end, with_pending):
    from cases.facts import month_str

    dates = {
        "enlistment": fact("enlistment", month_str(enlist)),
        "discharge": fact("discharge", month_str(enlist + service)),
        "placement": fact("placement", month_str(enlist + service + wait)),
        "termination": fact("termination", month_str(enlist + service + wait + work)),
    }
    sets = month_sets(
        dates, {"paid": paid, "arrears": arrears}, pending_start=start, pending_end=end,
        service_inclusive=inclusive, back_payment_includes_pending=with_pending, after_termination_until="2030-12",
    )
    parts = [sets.service, sets.pending, sets.employment, sets.after_termination]
    assert sum(len(p) for p in parts) == len(frozenset().union(*parts))  # pairwise disjoint
    assert not sets.back_payment & sets.paid and not sets.back_payment & sets.service
    assert sets.back_payment <= sets.employment | sets.after_termination | sets.pending
    assert not sets.arrears & sets.paid
    # the chosen dates, not their order, decide: the same dates in another order give the same sets
    assert month_sets(dict(reversed(list(dates.items()))), {"paid": paid, "arrears": arrears}, pending_start=start,
                      pending_end=end, service_inclusive=inclusive, back_payment_includes_pending=with_pending,
                      after_termination_until="2030-12") == sets


def test_an_exclusion_takes_every_month_or_only_those_after_the_event():
    event = month_index("2002-05")
    whole = month_sets(CASE_A, CASE_A_RECORD, exclusion=event)
    assert whole.back_payment == frozenset() and len(whole.pending) == 9  # the facts stay; nothing is back-paid
    after = month_sets(CASE_A, CASE_A_RECORD, exclusion=event, exclusion_scope="after_event")
    assert ranges(after.back_payment) == [["1997-10", "1997-12"], ["2002-01", "2002-05"]]


def test_the_exclusion_month_is_the_earliest_disqualifying_termination():
    from cases import DocumentFacts
    from cases.monthsets import exclusion_month
    from core.types import ExtractedField

    def termination(doc_id, reason, date=None):
        values = {"termination_reason": reason, **({"termination_date": date} if date else {})}
        return DocumentFacts(doc_id, "termination", {k: ExtractedField(k, v, v, 0.9, 1, (0, 0, 1, 1)) for k, v in values.items()})

    assert exclusion_month([termination("a", "bankruptcy", "2003-06-30")]) is None
    assert exclusion_month([termination("a", "removal", "1999-08-01"), termination("b", "dismissal", "2001-01")]) == month_index("1999-08")
    assert exclusion_month([termination("a", "voluntary_departure")]) == 0  # no date: from the beginning


def test_a_record_that_never_names_its_insurance_counts_as_the_pension_record():
    from dataclasses import replace

    from cases import DocumentFacts
    from cases.monthsets import contribution_statuses
    from extract.contributions import ContributionPeriod

    row = ContributionPeriod("1998-01", "2001-12", "paid", "unknown", None, 1, (0, 0, 1, 1), "199801-200112 已到账")
    record = DocumentFacts("r", "contribution", {}, contributions=(row,))
    assert len(contribution_statuses([record])["paid"]) == 48
    medical = DocumentFacts("m", "contribution", {}, contributions=(replace(row, insurance="medical"),))
    assert contribution_statuses([medical]) == {}  # a medical record is not the pension record
