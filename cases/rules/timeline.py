"""The timeline (docs/rules.md#timeline): dates in order, age at enlistment, the length of the pending
period, the stated 兵龄, service dates across documents, 报到/上岗, the allowance payroll's
months, dates in the future or before the person could have done the thing, offices that did
not exist yet. A date the person's papers cannot bear (cases/plausible.py) is flagged once, by
impossible_dates or future_dates, and the rules comparing dates pass over it."""
from __future__ import annotations

import datetime

from core.codes import DocType, FlagCode, Severity
from core.labels import FACT_ZH, FIELD_ZH
from core.types import FIELD_NAMES, EvidenceRef, RuleFlag
from extract.normalize.durations import duration_months
from extract.normalize.idnumbers import birth_date_from_id

from cases.facts import DocumentFacts, month_index, month_str
from cases.periods import FACT_ORDER, fact_fields
from cases.rules.context import MESSAGES, CaseContext, doc_ref, doubtful_difference

# The timeline: enlistment < discharge ≤ placement ≤ termination (month precision).
STRICT_PAIRS = frozenset({("enlistment", "discharge")})


def date_order(ctx: CaseContext) -> list[RuleFlag]:
    """One flag per consecutive pair of the facts present (a missing fact is skipped over)."""
    present = [ctx.dates[f] for f in FACT_ORDER if f in ctx.dates]
    flags = []
    for a, b in zip(present, present[1:]):
        strict = (a.fact, b.fact) in STRICT_PAIRS
        if a.month < b.month or (not strict and a.month == b.month):
            continue
        flags.append(
            RuleFlag(
                code=FlagCode.DATE_ORDER,
                severity=Severity.ERROR,
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


def enlistment_age(ctx: CaseContext) -> list[RuleFlag]:
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
    return [RuleFlag(code=FlagCode.ENLISTMENT_AGE, severity=Severity.WARNING, message=message, evidence=(enlisted.evidence(),))]


def pending_long(ctx: CaseContext) -> list[RuleFlag]:
    months, o = ctx.pending_months, ctx.options
    if months is None or months <= o.pending_note_months:
        return []
    review = months > o.pending_review_months
    note = f"超过 {o.pending_review_months} 个月，请核实" if review else f"超过 {o.pending_note_months} 个月（历史上常见）"
    start, end = ctx.pending_period or ("", "")
    evidence = tuple(ctx.dates[f].evidence() for f in ("discharge", "placement") if f in ctx.dates)
    return [
        RuleFlag(
            code=FlagCode.PENDING_LONG,
            severity=Severity.WARNING if review else Severity.INFO,
            message=MESSAGES["pending_long"].format(months=months, start=start, end=end, note=note),
            evidence=evidence,
        )
    ]


_SERVICE_LABEL = "兵龄（服役年限）"


def service_length(ctx: CaseContext) -> list[RuleFlag]:
    """T-03: the stated 兵龄 against discharge − enlistment (the case's chosen dates)."""
    enlisted, discharged = ctx.dates.get("enlistment"), ctx.dates.get("discharge")
    if enlisted is None or discharged is None:
        return []
    computed = discharged.month - enlisted.month
    flags = []
    for doc in ctx.docs:
        found = duration_months(doc.value("stated_service"))
        if found is None:
            continue
        stated, whole_years = found
        tolerance = ctx.options.service_tolerance_years if whole_years else ctx.options.service_tolerance_months
        # "3年" for 35 months is how forms round; it is the difference beyond a year that matters
        if abs(stated - computed) <= tolerance:
            continue
        years, months = divmod(stated, 12)
        as_written = doc.fields["stated_service"].raw.strip()
        text = as_written or (f"{years}年" if years else "") + (f"{months}个月" if months else "")
        flags.append(
            RuleFlag(
                code=FlagCode.SERVICE_LENGTH,
                severity=Severity.WARNING,
                message=MESSAGES["service_length"].format(
                    doc=doc.id, label=_SERVICE_LABEL, stated=text, enlisted=month_str(enlisted.month),
                    discharged=month_str(discharged.month), months=computed, diff=abs(stated - computed),
                ),
                evidence=(EvidenceRef(doc.id, "stated_service"), enlisted.evidence(), discharged.evidence()),
            )
        )
    return flags


def service_minimum(ctx: CaseContext) -> list[RuleFlag]:
    """T-04: since the 2011 条例 (Art. 29) a government job follows at least 12 years of service as
    an NCO, save for listed exceptions; a shorter service is checked, not refused."""
    enlisted, discharged = ctx.dates.get("enlistment"), ctx.dates.get("discharge")
    since = month_index(ctx.options.twelve_years_from)
    if enlisted is None or discharged is None or since is None or discharged.month < since:
        return []
    months = discharged.month - enlisted.month
    if months >= 144 - ctx.options.service_tolerance_months:  # Dec enlistment, Nov discharge: 143
        return []
    message = MESSAGES["service_minimum"].format(discharged=month_str(discharged.month), months=months)
    return [RuleFlag(FlagCode.SERVICE_MINIMUM, Severity.WARNING, message, evidence=(enlisted.evidence(), discharged.evidence()))]


_SERVICE_FACTS = (("enlistment", "enlistment_date"), ("discharge", "discharge_date"))


def service_dates(ctx: CaseContext) -> list[RuleFlag]:
    """T-14: each document's enlistment and discharge month against the case's chosen one:
    one month apart is a warning (a form filled from memory), more an error."""
    flags = []
    for fact, field in _SERVICE_FACTS:
        chosen = ctx.dates.get(fact)
        if chosen is None:
            continue
        for doc in ctx.docs:
            month = month_index(doc.value(field))
            if month is None or doc.id == chosen.document or month == chosen.month or not ctx.possible(fact, month):
                continue
            diff = abs(month - chosen.month)
            severity, note = (Severity.WARNING, "") if diff == 1 else (Severity.ERROR, "，请核实以哪份材料为准")
            unsure = doubtful_difference(doc, field, chosen.value, lambda a, b: a[:7] == b[:7])
            if unsure:
                severity, note = Severity.INFO, f"，仅差识别不确定的“{unsure}”字，可能为识别误差，请对照扫描件核对"
            flags.append(
                RuleFlag(
                    code=FlagCode.SERVICE_DATES,
                    severity=severity,
                    message=MESSAGES["service_dates"].format(
                        doc=doc_ref(doc), fact_zh=FACT_ZH[fact], value=doc.value(field), chosen=month_str(chosen.month),
                        chosen_doc=chosen.document, diff=diff, note=note,
                    ),
                    evidence=(EvidenceRef(doc.id, field), chosen.evidence()),
                )
            )
    return flags


def report_dates(ctx: CaseContext) -> list[RuleFlag]:
    """T-08, T-09: the letter ≤ 报到/上岗 ≤ termination; 上岗 within a month of the letter."""
    placed, ended = ctx.dates.get("placement"), ctx.dates.get("termination")
    reports = [(doc, month_index(doc.value("report_date"))) for doc in ctx.docs]
    flags = []
    for doc, month in reports:
        if month is None or not ctx.possible("report", month):
            continue
        report = {"report": month_str(month), "report_doc": doc.id}
        if ended is not None and month > ended.month:
            message = MESSAGES["report_date/after_termination"].format(
                **report, ended=month_str(ended.month), ended_doc=ended.document
            )
            flags.append(RuleFlag(FlagCode.REPORT_DATE, Severity.ERROR, message, evidence=(EvidenceRef(doc.id, "report_date"), ended.evidence())))
            continue  # late, certainly; the contradiction is what matters
        if placed is None:
            continue
        letter = {"letter": month_str(placed.month), "letter_doc": placed.document}
        if month < placed.month:
            message = MESSAGES["report_date/before_letter"].format(**report, **letter)
        elif month - placed.month > ctx.options.report_within_months:
            message = MESSAGES["report_date/late"].format(**report, **letter, limit=ctx.options.report_within_months)
        else:
            continue
        flags.append(RuleFlag(FlagCode.REPORT_DATE, Severity.WARNING, message, evidence=(EvidenceRef(doc.id, "report_date"), placed.evidence())))
    return flags


def payroll_months(ctx: CaseContext) -> list[RuleFlag]:
    """T-11: the months a 待安置 allowance payroll paid lie within the pending period, and the
    last of them is the letter month or the one before."""
    placed = ctx.dates.get("placement")
    if ctx.sets is None or not ctx.sets.pending:
        return []
    first_pending, last_pending = min(ctx.sets.pending), max(ctx.sets.pending)
    flags = []
    for doc in ctx.docs:
        period = paid_period(doc)
        if period is None:
            continue
        first, last = period
        evidence = (EvidenceRef(doc.id, "paid_period"),) + ((placed.evidence(),) if placed else ())
        pending_text = f"{month_str(first_pending)} 至 {month_str(last_pending)}"
        if first < first_pending - 1 or last > last_pending:  # the discharge month itself may be paid
            message = MESSAGES["payroll_months/outside"].format(
                doc=doc.id, period=f"{month_str(first)} 至 {month_str(last)}", pending=pending_text
            )
            flags.append(RuleFlag(FlagCode.PAYROLL_MONTHS, Severity.WARNING, message, evidence=evidence))
        elif placed is not None and last not in (placed.month - 1, placed.month):
            message = MESSAGES["payroll_months/last"].format(doc=doc.id, last=month_str(last), letter=month_str(placed.month))
            flags.append(RuleFlag(FlagCode.PAYROLL_MONTHS, Severity.WARNING, message, evidence=evidence))
    return flags


def paid_period(doc: DocumentFacts) -> tuple[int, int] | None:
    """The months of a 待安置 allowance payroll (paid_period "YYYY-MM/YYYY-MM"), else None."""
    if doc.doc_type != DocType.SUBSIDY_VOUCHER or doc.value("payment_kind") not in (None, "pending_allowance"):
        return None
    first, _, last = (doc.value("paid_period") or "").partition("/")
    start, end = month_index(first), month_index(last)
    return (start, end) if start is not None and end is not None and start <= end else None


_DATE_FIELDS = tuple(f for f in FIELD_NAMES if f.endswith("_date"))


def future_dates(ctx: CaseContext) -> list[RuleFlag]:
    """T-12: no date on a document lies after today (the case is being checked now)."""
    today = ctx.options.today or datetime.date.today().isoformat()
    flags = []
    for doc in ctx.docs:
        for field in _DATE_FIELDS:
            value = doc.value(field)
            if value is None or value[: len(today)] <= today[: len(value)]:
                continue
            message = MESSAGES["future_date"].format(doc=doc_ref(doc), field_zh=FIELD_ZH.get(field, field), value=value, today=today)
            flags.append(RuleFlag(FlagCode.FUTURE_DATE, Severity.ERROR, message, evidence=(EvidenceRef(doc.id, field),)))
    return flags


_AGE_WHY = {
    "too_young": "时本人仅 {age} 岁（出生于 {birth}）",
    "too_old": "时本人已 {age} 岁（出生于 {birth}），超出入伍年龄",
}


def impossible_dates(ctx: CaseContext) -> list[RuleFlag]:
    """T-01: a date of the person's service or job at an age it cannot have happened (enlisting
    before 14 or at 35 and over, leaving the army or taking a job before 15): a misreading or a
    slip of the pen. One flag per date; the case's periods do not use it (cases/plausible.py)."""
    if ctx.bounds is None or ctx.bounds.birth is None:
        return []
    flags = []
    for doc in ctx.docs:
        for fact, field in _life_event_fields(doc):
            value = doc.value(field)
            month = month_index(value)
            problem = ctx.bounds.problem(fact, month)
            if month is None or problem not in _AGE_WHY:
                continue
            why = _AGE_WHY[problem].format(age=ctx.bounds.age_at(month), birth=month_str(ctx.bounds.birth))
            message = MESSAGES["impossible_date"].format(
                doc=doc_ref(doc), field_zh=FIELD_ZH.get(field, field), value=value, why=why
            )
            flags.append(RuleFlag(FlagCode.IMPOSSIBLE_DATE, Severity.WARNING, message, evidence=(EvidenceRef(doc.id, field),)))
    return flags


def _life_event_fields(doc: DocumentFacts) -> list[tuple[str, str]]:
    """(fact, field) for every field of the document that dates a fact of the person's life."""
    pairs = [(fact, name) for fact in FACT_ORDER for name in fact_fields(fact, doc.doc_type)]
    return pairs + [("report", "report_date")]


def anachronistic_issuers(ctx: CaseContext) -> list[RuleFlag]:
    """T-13: the office named as issuer existed on the document's date."""
    flags = []
    for doc in ctx.docs:
        issuer, dated = doc.value("issuer"), document_date(doc)
        if issuer is None or dated is None:
            continue
        for family, since in ctx.options.issuer_since:
            if family in issuer and int(dated[:4]) < since:
                message = MESSAGES["anachronism_issuer"].format(
                    doc=doc_ref(doc), date=dated, issuer=issuer, family=family, since=since
                )
                flags.append(RuleFlag(FlagCode.ANACHRONISM_ISSUER, Severity.WARNING, message, evidence=(EvidenceRef(doc.id, "issuer"),)))
                break
    return flags


_OWN_DATE = ("issue_date", "placement_date", "termination_date")


def document_date(doc: DocumentFacts) -> str | None:
    """The date the document was made: its issue, letter or termination date."""
    return next((doc.value(f) for f in _OWN_DATE if doc.value(f)), None)
