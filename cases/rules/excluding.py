"""What excludes a veteran or must be reviewed as if it might (docs/rules.md#exclusions): an
excluding termination, a resignation, a 无犯罪记录证明 issued before the job ended."""
from __future__ import annotations

from core.codes import DocType, FlagCode, Severity
from core.labels import REASON_ZH
from core.types import DISQUALIFYING_REASONS, EvidenceRef, RuleFlag

from cases.facts import month_index, month_str
from cases.rules.context import MESSAGES, CaseContext, doc_ref

_SCOPE_ZH = {"whole_case": "按整案排除处理", "after_event": "该事件之后的月份不予补缴"}


def disqualifying_terminations(ctx: CaseContext) -> list[RuleFlag]:
    """X-01, X-02; X-03 when the decision is an expulsion from the army (开除军籍) or dated in
    service; X-04 when dated in the pending period."""
    flags = []
    for doc in ctx.docs:
        reason = doc.value("termination_reason")
        if reason not in DISQUALIFYING_REASONS:
            continue
        when = doc.value("termination_date")
        discharged, month = ctx.dates.get("discharge"), month_index(when)
        before_discharge = discharged is not None and month is not None and month < discharged.month
        if "军籍" in (doc.fields["termination_reason"].raw or ""):
            reason_zh = "服役期间开除军籍"
        elif before_discharge:
            reason_zh = f"服役期间{REASON_ZH[reason]}"
        elif ctx.sets is not None and month in ctx.sets.pending:
            reason_zh = f"待安置期间{REASON_ZH[reason]}（未及安置）"
        else:
            reason_zh = REASON_ZH[reason]
        evidence = (EvidenceRef(doc.id, "termination_reason"),) + ((EvidenceRef(doc.id, "termination_date"),) if when else ())
        flags.append(
            RuleFlag(
                code=FlagCode.DISQUALIFYING_TERMINATION,
                severity=Severity.ERROR,
                message=MESSAGES["disqualifying_termination"].format(
                    doc=doc_ref(doc), reason_zh=reason_zh, when=f"（{when}）" if when else "",
                    scope=_SCOPE_ZH[ctx.exclusion_scope],
                ),
                evidence=evidence,
            )
        )
    return flags


_RESIGNATION = ("辞职", "辞退", "个人原因")


def resignations(ctx: CaseContext) -> list[RuleFlag]:
    """X-05: a job that ended by 辞职/辞退 is eligible in principle, but the programme's treatment
    is unconfirmed (Q8, docs/programme.md#open-questions): a reviewer decides."""
    flags = []
    for doc in ctx.docs:
        f = doc.fields.get("termination_reason")
        if f is None or doc.value("termination_reason") != "other":
            continue
        word = next((w for w in _RESIGNATION if w in (f.raw or "")), None)
        if word:
            message = MESSAGES["resignation"].format(doc=doc_ref(doc), word=word)
            flags.append(RuleFlag(FlagCode.RESIGNATION, Severity.WARNING, message, evidence=(EvidenceRef(doc.id, "termination_reason"),)))
    return flags


def clean_record_dates(ctx: CaseContext) -> list[RuleFlag]:
    """X-06: the 无犯罪记录证明 was issued after the job ended, so it covers the years after placement."""
    ended = ctx.dates.get("termination")
    if ended is None:
        return []
    flags = []
    for doc in ctx.docs:
        issued = month_index(doc.value("issue_date")) if doc.doc_type == DocType.POLITICAL_REVIEW else None
        if issued is None or issued >= ended.month:
            continue
        message = MESSAGES["clean_record_date"].format(doc=doc.id, issued=doc.value("issue_date"), ended=month_str(ended.month))
        flags.append(RuleFlag(FlagCode.CLEAN_RECORD_DATE, Severity.WARNING, message, evidence=(EvidenceRef(doc.id, "issue_date"), ended.evidence())))
    return flags
