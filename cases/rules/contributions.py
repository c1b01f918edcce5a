"""The contribution record (docs/rules.md#contributions, and U-02 of
docs/rules.md#placement-and-employer): the employer is the 参保单位 while employed, no month is paid
by two units, nothing is paid after the job ended, contributions before service are noted."""
from __future__ import annotations

from core.codes import DocType, FlagCode, Severity
from core.types import EvidenceRef, RuleFlag
from extract.contributions import ContributionPeriod
from extract.normalize.units import same_unit, unit_key

from cases.facts import DocumentFacts, month_index, month_str
from cases.monthsets import PAID_STATUSES, ranges
from cases.rules.context import MESSAGES, CaseContext
from cases.rules.placement import succession_in_record


def _paid_rows(ctx: CaseContext) -> list[tuple[DocumentFacts, ContributionPeriod]]:
    """(document, row) for each paid, back-paid or deemed period row with a unit."""
    return [
        (d, row)
        for d in ctx.docs
        for row in d.contributions
        if row.unit and row.status in PAID_STATUSES and month_index(row.start) is not None
    ]


def _months(row: ContributionPeriod) -> range:
    start, end = month_index(row.start), month_index(row.end) or month_index(row.start)
    return range(start, end + 1)


def _months_zh(months: frozenset[int]) -> str:
    return "、".join(f"{a}至{b}" if a != b else a for a, b in ranges(months))


def contribution_employer(ctx: CaseContext) -> list[RuleFlag]:
    """U-02: during employment, the contribution record names the employer as 参保单位."""
    employment = ctx.sets.employment if ctx.sets else frozenset()
    rows = [(d, r) for d, r in _paid_rows(ctx) if employment & set(_months(r))]
    flags = []
    for ended in (d for d in ctx.docs if d.doc_type == DocType.TERMINATION and d.value("employer")):
        names = [ended.value("employer"), ended.value("former_employer")]
        # the employer's name before a rename the record itself shows is the employer too
        names += [d.value("placement_unit") for d in ctx.docs if d.doc_type == DocType.PLACEMENT and d.value("placement_unit")
                  and succession_in_record(ctx, d.value("placement_unit"), names[0])]
        if not rows or any(same_unit(name, r.unit) for name in names if name for _, r in rows):
            continue
        record = rows[0][0]
        units = "、".join(sorted({r.unit for _, r in rows}))
        message = MESSAGES["contribution_employer"].format(record=record.id, units=units, ended=ended.id, employer=names[0])
        flags.append(RuleFlag(FlagCode.CONTRIBUTION_EMPLOYER, Severity.WARNING, message, evidence=(EvidenceRef(ended.id, "employer"),)))
    return flags


def contribution_overlap(ctx: CaseContext) -> list[RuleFlag]:
    """C-03: no month of one insurance is paid by two units."""
    by_month: dict[tuple[str, int], set[str]] = {}
    record = {}
    for d, row in _paid_rows(ctx):
        for m in _months(row):
            key = (row.insurance, m)
            by_month.setdefault(key, set()).add(unit_key(row.unit))
            record.setdefault(key, d.id)
    flags = []
    for insurance in sorted({k[0] for k in by_month}):
        twice = frozenset(m for (i, m), units in by_month.items() if i == insurance and len(units) > 1)
        if not twice:
            continue
        units = sorted({u for (i, m), us in by_month.items() if i == insurance and m in twice for u in us})
        months = _months_zh(twice)
        doc = record[(insurance, min(twice))]
        message = MESSAGES["contribution_overlap"].format(record=doc, months=months, units="、".join(units))
        flags.append(RuleFlag(FlagCode.CONTRIBUTION_OVERLAP, Severity.WARNING, message, evidence=(EvidenceRef(doc, "contributions"),)))
    return flags


def contribution_after_termination(ctx: CaseContext) -> list[RuleFlag]:
    """C-04: the employer stops paying with the month the job ended."""
    ended = ctx.dates.get("termination")
    if ended is None:
        return []
    employers = [d.value("employer") for d in ctx.docs if d.doc_type == DocType.TERMINATION and d.value("employer")]
    flags = []
    for d, row in _paid_rows(ctx):
        if row.status == "deemed" or not any(same_unit(e, row.unit) for e in employers):
            continue
        late = frozenset(m for m in _months(row) if m > ended.month)
        if not late:
            continue
        months = _months_zh(late)
        message = MESSAGES["contribution_after_termination"].format(
            employer=row.unit, ended=month_str(ended.month), months=months, record=d.id
        )
        flags.append(
            RuleFlag(FlagCode.CONTRIBUTION_AFTER_TERMINATION, Severity.WARNING, message,
                 evidence=(EvidenceRef(d.id, "contributions"), ended.evidence()))
        )
    return flags


def contributions_before_service(ctx: CaseContext) -> list[RuleFlag]:
    """C-06: contributions before enlistment come from a job before service; merging them is
    lawful, so this is only noted."""
    enlisted = ctx.dates.get("enlistment")
    if enlisted is None:
        return []
    early = sorted(
        (row.start, d.id) for d in ctx.docs for row in d.contributions
        if (month_index(row.start) or enlisted.month) < enlisted.month
    )
    if not early:
        return []
    start, record = early[0]
    message = MESSAGES["contribution_before_service"].format(start=start, record=record, enlisted=month_str(enlisted.month))
    return [RuleFlag(FlagCode.CONTRIBUTION_BEFORE_SERVICE, Severity.INFO, message, evidence=(EvidenceRef(record, "contributions"),))]
