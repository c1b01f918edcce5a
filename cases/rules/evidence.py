"""What the case file must hold and what it must not say: missing documents, the placement unit
against the employer, excluding terminations (domain.md §3.3, §3.4, §3.6)."""
from __future__ import annotations

from core.labels import DOC_TYPE_ZH, REASON_ZH
from core.types import DISQUALIFYING_REASONS, Flag
from extract.normalize.units import same_unit, unit_key

from cases.rules.context import MESSAGES, CaseContext, doc_ref, ev

_SCOPE_ZH = {"whole_case": "按整案排除处理", "after_event": "该事件之后的月份不予补缴"}


def missing_documents(ctx: CaseContext) -> list[Flag]:
    present = {doc.doc_type for doc in ctx.docs}
    return [
        Flag(
            code="missing_document",
            severity="error",
            message=MESSAGES["missing_document"].format(doc_type_zh=DOC_TYPE_ZH.get(t, t)),
            doc_type=t,
        )
        for t in ctx.options.required_doc_types
        if t not in present
    ]


def unit_mismatch(ctx: CaseContext) -> list[Flag]:
    letters = [d for d in ctx.docs if d.doc_type == "placement" and d.value("placement_unit")]
    endings = [d for d in ctx.docs if d.doc_type == "termination" and d.value("employer")]
    flags = []
    for letter in letters[:1]:
        for ended in endings:
            placed, employer = letter.value("placement_unit"), ended.value("employer")
            if same_unit(placed, employer):
                continue
            renamed = any(
                {unit_key(a), unit_key(b)} == {unit_key(placed), unit_key(employer)} for a, b in ctx.options.renamed_units
            )
            flags.append(
                Flag(
                    code="unit_mismatch",
                    severity="info" if renamed else "error",
                    message=MESSAGES["unit_mismatch"].format(
                        letter=letter.id, placed=placed, ended=ended.id, employer=employer,
                        note="（已登记为同一单位的更名或改制）" if renamed else "，如单位已更名或改制请补充证明",
                    ),
                    evidence=(ev(letter.id, "placement_unit"), ev(ended.id, "employer")),
                )
            )
    return flags


def disqualifying_terminations(ctx: CaseContext) -> list[Flag]:
    flags = []
    for doc in ctx.docs:
        reason = doc.value("termination_reason")
        if reason not in DISQUALIFYING_REASONS:
            continue
        when = doc.value("termination_date")
        evidence = (ev(doc.id, "termination_reason"),) + ((ev(doc.id, "termination_date"),) if when else ())
        flags.append(
            Flag(
                code="disqualifying_termination",
                severity="error",
                message=MESSAGES["disqualifying_termination"].format(
                    doc=doc_ref(doc), reason_zh=REASON_ZH[reason], when=f"（{when}）" if when else "",
                    scope=_SCOPE_ZH[ctx.options.exclusion_scope],
                ),
                evidence=evidence,
            )
        )
    return flags
