"""The timeline: dates in order, age at enlistment, the length of the pending period
(domain.md §3.2)."""
from __future__ import annotations

from core.labels import FACT_ZH
from core.types import Flag
from extract.normalize.idnumbers import birth_date_from_id

from cases.facts import month_index, month_str
from cases.periods import FACT_ORDER
from cases.rules.context import MESSAGES, CaseContext

# The timeline: enlistment < discharge ≤ placement ≤ termination (month precision).
STRICT_PAIRS = frozenset({("enlistment", "discharge")})


def date_order(ctx: CaseContext) -> list[Flag]:
    """One flag per consecutive pair of the facts present (a missing fact is skipped over)."""
    present = [ctx.dates[f] for f in FACT_ORDER if f in ctx.dates]
    flags = []
    for a, b in zip(present, present[1:]):
        strict = (a.fact, b.fact) in STRICT_PAIRS
        if a.month < b.month or (not strict and a.month == b.month):
            continue
        flags.append(
            Flag(
                code="date_order",
                severity="error",
                message=MESSAGES["date_order"].format(
                    a_fact=FACT_ZH[a.fact],
                    a_month=month_str(a.month),
                    a_doc=f"文件 {a.document}",
                    op="早于" if strict else "不晚于",
                    b_fact=FACT_ZH[b.fact],
                    b_month=month_str(b.month),
                    b_doc=f"文件 {b.document}",
                ),
                evidence=(a.evidence(), b.evidence()),
            )
        )
    return flags


def enlistment_age(ctx: CaseContext) -> list[Flag]:
    born, enlisted = birth_date_from_id(ctx.entry.id_number), ctx.dates.get("enlistment")
    if born is None or enlisted is None:
        return []
    age = (enlisted.month - month_index(born)) // 12  # whole years at the enlistment month
    low, high = ctx.options.enlistment_age
    if low <= age <= high:
        return []
    message = MESSAGES["enlistment_age"].format(
        age=age, birth=born[:7], enlisted=month_str(enlisted.month), document=enlisted.document, low=low, high=high
    )
    return [Flag(code="enlistment_age", severity="warning", message=message, evidence=(enlisted.evidence(),))]


def pending_long(ctx: CaseContext) -> list[Flag]:
    months, o = ctx.pending_months, ctx.options
    if months is None or months <= o.pending_note_months:
        return []
    review = months > o.pending_review_months
    note = f"超过 {o.pending_review_months} 个月，请核实" if review else f"超过 {o.pending_note_months} 个月（历史上常见）"
    start, end = ctx.pending_period or ("", "")
    evidence = tuple(ctx.dates[f].evidence() for f in ("discharge", "placement") if f in ctx.dates)
    return [
        Flag(
            code="pending_long",
            severity="warning" if review else "info",
            message=MESSAGES["pending_long"].format(months=months, start=start, end=end, note=note),
            evidence=evidence,
        )
    ]
