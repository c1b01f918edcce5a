"""Evidence rules: each a small function from a case's context to flags.

Every message is a template in MESSAGES, filled with the facts and the documents behind it.
Messages are for clerks and may name people; logs never see them.

| code                      | severity                   | domain.md       |
|---------------------------|----------------------------|-----------------|
| missing_document          | error                      | §3.6 D-06, §3.7 |
| name_mismatch             | warning (homophone), error (different), info (recorded 曾用名) | §3.1 ID-05 |
| invalid_id_number         | error                      | §3.1 ID-01      |
| id_mismatch               | error                      | §3.1 ID-02      |
| date_order                | error                      | §3.2 T-02, T-06, T-09 |
| disqualifying_termination | error                      | §1.3 X6–X9, §3.4 X-01/X-02 |
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from core.labels import DOC_TYPE_SHORT, DOC_TYPE_ZH, FACT_ZH, REASON_ZH
from core.types import DISQUALIFYING_REASONS, Flag
from extract.normalize.idnumbers import canonical_id, clean_id, id_problem

from cases.facts import DocumentFacts, month_str
from cases.names import aliases, name_relation
from cases.periods import FACT_ORDER, FactSource
from cases.roster import RosterEntry

MESSAGES = {
    "missing_document": "缺少{doc_type_zh}，请补充。",
    "name_mismatch/homophone": "{doc}上的姓名“{doc_name}”与花名册姓名“{roster_name}”不一致，可能为同音字或曾用名，请核对。",
    "name_mismatch/different": "{doc}上的姓名“{doc_name}”与花名册姓名“{roster_name}”不一致，请核实是否为本人材料。",
    "name_mismatch/alias": "{doc}上的姓名“{doc_name}”为花名册登记的曾用名（现用名“{roster_name}”）。",
    "invalid_id_number": "{doc}上的公民身份号码“{value}”无效（{problem}），请核对原件。",
    "id_mismatch": "{doc}上的公民身份号码“{value}”与本案公民身份号码“{case_id}”不一致，请核实是否为本人材料。",
    "date_order": "{a_fact}{a_month}（{a_doc}）应{op}{b_fact}{b_month}（{b_doc}），时间顺序矛盾。",
    "disqualifying_termination": "{doc}记载的解除（终止）原因为“{reason_zh}”{when}，属于排除情形（自动离职、除名、开除、判刑），请核实。",
}

# The timeline: enlistment < discharge ≤ placement ≤ termination (month precision).
STRICT_PAIRS = frozenset({("enlistment", "discharge")})


@dataclass(frozen=True)
class CaseContext:
    entry: RosterEntry
    docs: list[DocumentFacts]
    dates: dict[str, FactSource]
    required_doc_types: tuple[str, ...]


def _doc_ref(doc: DocumentFacts) -> str:
    return f"文件 {doc.id}（{DOC_TYPE_SHORT.get(doc.doc_type, doc.doc_type)}）"


def _ev(document: str, field: str) -> dict:
    return {"document": document, "field": field}


# ---- the rules -------------------------------------------------------------------------------


def missing_documents(ctx: CaseContext) -> list[Flag]:
    present = {doc.doc_type for doc in ctx.docs}
    return [
        Flag(
            code="missing_document",
            severity="error",
            message=MESSAGES["missing_document"].format(doc_type_zh=DOC_TYPE_ZH.get(t, t)),
            doc_type=t,
        )
        for t in ctx.required_doc_types
        if t not in present
    ]


_NAME_SEVERITY = {"homophone": "warning", "different": "error", "alias": "info"}


def name_mismatches(ctx: CaseContext) -> list[Flag]:
    flags = []
    former = aliases(ctx.entry.attributes)
    for doc in ctx.docs:
        doc_name = doc.value("name")
        if doc_name is None:
            continue
        relation = name_relation(doc_name, ctx.entry.name, former)
        if relation == "same":
            continue
        flags.append(
            Flag(
                code="name_mismatch",
                severity=_NAME_SEVERITY[relation],
                message=MESSAGES[f"name_mismatch/{relation}"].format(
                    doc=_doc_ref(doc), doc_name=doc_name, roster_name=ctx.entry.name
                ),
                evidence=(_ev(doc.id, "name"),),
            )
        )
    return flags


def invalid_id_numbers(ctx: CaseContext) -> list[Flag]:
    flags = []
    for doc in ctx.docs:
        value = doc.value("id_number")
        if value is None or canonical_id(value) is not None:
            continue
        flags.append(
            Flag(
                code="invalid_id_number",
                severity="error",
                message=MESSAGES["invalid_id_number"].format(doc=_doc_ref(doc), value=value, problem=id_problem(value)),
                evidence=(_ev(doc.id, "id_number"),),
            )
        )
    return flags


def id_mismatches(ctx: CaseContext) -> list[Flag]:
    flags = []
    for doc in ctx.docs:
        value = doc.value("id_number")
        number = canonical_id(value)
        if number is None or number == ctx.entry.id_number:
            continue
        flags.append(
            Flag(
                code="id_mismatch",
                severity="error",
                message=MESSAGES["id_mismatch"].format(
                    doc=_doc_ref(doc), value=clean_id(value), case_id=ctx.entry.id_number
                ),
                evidence=(_ev(doc.id, "id_number"),),
            )
        )
    return flags


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


def disqualifying_terminations(ctx: CaseContext) -> list[Flag]:
    flags = []
    for doc in ctx.docs:
        reason = doc.value("termination_reason")
        if reason not in DISQUALIFYING_REASONS:
            continue
        when = doc.value("termination_date")
        evidence = (_ev(doc.id, "termination_reason"),) + ((_ev(doc.id, "termination_date"),) if when else ())
        flags.append(
            Flag(
                code="disqualifying_termination",
                severity="error",
                message=MESSAGES["disqualifying_termination"].format(
                    doc=_doc_ref(doc), reason_zh=REASON_ZH[reason], when=f"（{when}）" if when else ""
                ),
                evidence=evidence,
            )
        )
    return flags


RULES: tuple[Callable[[CaseContext], list[Flag]], ...] = (
    missing_documents,
    name_mismatches,
    invalid_id_numbers,
    id_mismatches,
    date_order,
    disqualifying_terminations,
)


def run_rules(ctx: CaseContext) -> list[Flag]:
    return [flag for rule in RULES for flag in rule(ctx)]
