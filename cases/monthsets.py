"""The periods the social-insurance office needs, as sets of months (docs/periods.md#month-sets).

Month indexes as in cases.facts (year*12 + month). The sets are built so that those that must not
overlap cannot: service ends the month before discharge and pending starts after it (or at the
discharge month, by option); employment starts the month after pending ends; after-termination the
month after termination. With `service_inclusive` and a pending period starting at the discharge
month both would claim that month; pending then gives it up.

| set | months | evidence at its ends |
|---|---|---|
| service S | enlistment … discharge − 1 (+ the discharge month with `service_inclusive`) | enlistment, discharge |
| pending P | as cases.periods: after discharge (option: the discharge month) … the letter month (option: the month before) | discharge, placement letter |
| employment E | the month after P … the termination month. The 上岗 month is not read yet; the unit is liable from the letter month (2011 条例 Art. 38 [V]), so E starts where P ends | placement letter, termination |
| after termination A | termination + 1 … `after_termination_until` — only when that option is set (programme coverage unknown, Q3 [R]) | termination |
| paid | months a contribution record shows paid, back-paid or deemed (视同) | the record |
| candidate back-payment | (E ∪ A, and P with `back_payment_includes_pending`) − paid − S; after an exclusion, none (`exclusion_scope=whole_case`) or none after the event (`after_event`) | — |

Case A (docs/periods.md#worked-example-case-a): S = 1993-12…1996-11 (36), P = 1997-01…1997-09 (9), E = 1997-10…2003-06
(69: 48 paid, 18 in arrears, 3 not enrolled) → 21 candidate back-payment months. P's months are
reported on their own: the worked example counts them as the government's share, not as
back-payment candidates, while the formula of docs/programme.md#employment-and-contribution-gaps includes them — hence the option.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from core.types import DISQUALIFYING_REASONS
from extract.contributions import ContributionRecord, months_by_status

from cases.facts import DocumentFacts, month_index, month_str
from cases.periods import FactSource

PAID_STATUSES = ("paid", "back_paid", "deemed")


def span(start: int | None, end: int | None) -> frozenset[int]:
    if start is None or end is None or end < start:
        return frozenset()
    return frozenset(range(start, end + 1))


def ranges(months: frozenset[int]) -> list[list[str]]:
    """Consecutive runs as [first, last] 'YYYY-MM' pairs."""
    runs: list[list[int]] = []
    for m in sorted(months):
        if runs and m == runs[-1][1] + 1:
            runs[-1][1] = m
        else:
            runs.append([m, m])
    return [[month_str(a), month_str(b)] for a, b in runs]


@dataclass(frozen=True)
class MonthSets:
    service: frozenset[int]
    pending: frozenset[int]
    employment: frozenset[int]
    after_termination: frozenset[int]
    paid: frozenset[int]
    arrears: frozenset[int]
    interrupted: frozenset[int]
    back_payment: frozenset[int]
    has_contribution_record: bool


def month_sets(
    dates: dict[str, FactSource],
    statuses: dict[str, frozenset[int]],
    *,
    pending_start: str = "after_discharge_month",
    pending_end: str = "letter_month",
    service_inclusive: bool = False,
    after_termination_until: str | None = None,
    back_payment_includes_pending: bool = False,
    exclusion: int | None = None,
    exclusion_scope: str = "whole_case",
) -> MonthSets:
    """`statuses`: months by contribution status (extract.contributions.months_by_status), {} when
    the case has no contribution record — then no month counts as paid."""
    enlisted, discharged, placed, ended = (dates.get(k) for k in ("enlistment", "discharge", "placement", "termination"))
    e, d = (enlisted.month if enlisted else None), (discharged.month if discharged else None)
    after_service = None if d is None else d + (1 if service_inclusive else 0)  # first month not served
    service = span(e, None if d is None else after_service - 1)
    pending_first = None if d is None else max(d + (1 if pending_start == "after_discharge_month" else 0), after_service)
    pending_last = None if placed is None else placed.month - (1 if pending_end == "month_before_letter" else 0)
    pending = span(pending_first, pending_last)
    # Employment follows pending; with contradictory dates (a letter before discharge: the
    # date_order rule flags it) it still never starts inside service.
    employment_first = None if pending_last is None else max(pending_last + 1, after_service or pending_last + 1)
    employment = span(employment_first, ended.month if ended else None)
    until = month_index(after_termination_until) if after_termination_until else None
    # After termination also never reaches back into pending or service (contradictory dates again).
    after_first = None if ended is None else max(m for m in (ended.month + 1, employment_first, after_service) if m is not None)
    after = span(after_first, until)
    paid = frozenset().union(*(statuses.get(s, frozenset()) for s in PAID_STATUSES))
    covered = employment | after | (pending if back_payment_includes_pending else frozenset())
    # A month of service is already counted (视同缴费); a paid month is never paid twice; an
    # excluded veteran gets nothing (whole_case) or nothing after the event (after_event).
    back_payment = covered - paid - service
    if exclusion is not None:
        back_payment = frozenset() if exclusion_scope == "whole_case" else frozenset(m for m in back_payment if m <= exclusion)
    return MonthSets(
        service=service,
        pending=pending,
        employment=employment,
        after_termination=after,
        paid=paid,
        arrears=statuses.get("arrears", frozenset()) - paid,
        interrupted=statuses.get("interrupted", frozenset()) - paid,
        back_payment=back_payment,
        has_contribution_record=bool(statuses),
    )


def exclusion_month(docs: list[DocumentFacts]) -> int | None:
    """The month of the earliest excluding event (a termination by 自动离职, 除名, 开除 or 判刑); a
    reason stated without a date counts from the beginning (0), so nothing is back-paid."""
    months = [
        month_index(d.value("termination_date")) or 0
        for d in docs
        if d.value("termination_reason") in DISQUALIFYING_REASONS
    ]
    return min(months) if months else None


def contribution_statuses(docs: list[DocumentFacts], insurance: str = "pension") -> dict[str, frozenset[int]]:
    """Months by status over every contribution record of the case ({} when there is none)."""
    periods = tuple(p for d in docs for p in d.contributions)
    if insurance == "pension" and not any(p.insurance == "pension" for p in periods):
        # A 参保证明 that never names its insurance is taken as the pension record: the one this
        # programme is about, and what such certificates usually are [I].
        periods = tuple(replace(p, insurance="pension") for p in periods if p.insurance == "unknown")
    if not any(p.insurance == insurance for p in periods):
        return {}
    return months_by_status(ContributionRecord(periods, None, None), insurance)
