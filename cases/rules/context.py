"""What every rule sees (CaseContext), its thresholds (RuleOptions) and the message templates."""
from __future__ import annotations

from dataclasses import dataclass

from core.labels import DOC_TYPE_SHORT

from cases.facts import DocumentFacts
from cases.periods import FactSource
from cases.roster import RosterEntry


MESSAGES = {
    "missing_document": "缺少{doc_type_zh}，请补充。",
    "name_mismatch/homophone": "{doc}上的姓名“{doc_name}”与花名册姓名“{roster_name}”不一致，可能为同音字或曾用名，请核对。",
    "name_mismatch/different": "{doc}上的姓名“{doc_name}”与花名册姓名“{roster_name}”不一致，请核实是否为本人材料。",
    "name_mismatch/alias": "{doc}上的姓名“{doc_name}”为花名册登记的曾用名（现用名“{roster_name}”）。",
    "invalid_id_number": "{doc}上的公民身份号码“{value}”无效（{problem}），请核对原件。",
    "id_mismatch": "{doc}上的公民身份号码“{value}”与本案公民身份号码“{case_id}”不一致，请核实是否为本人材料。",
    "date_order": "{a_fact}{a_month}（{a_doc}）应{op}{b_fact}{b_month}（{b_doc}），时间顺序矛盾。",
    "disqualifying_termination": "{doc}记载的解除（终止）原因为“{reason_zh}”{when}，属于排除情形（自动离职、除名、开除、判刑），{scope}，须复核确认。",
    "birth_date_mismatch": "{doc}上的出生年月“{doc_birth}”与公民身份号码中的出生年月“{id_birth}”不一致，请核对。",
    "gender_mismatch": "{doc}上的性别“{doc_gender}”与公民身份号码所示性别“{id_gender}”不一致，请核对。",
    "enlistment_age": "入伍时年龄 {age} 岁（出生 {birth}，入伍 {enlisted}，依据文件 {document}），不在通常的 {low}–{high} 岁之间，请核对。",
    "pending_long": "待安置时间 {months} 个月（{start} 至 {end}），{note}。",
    "unit_mismatch": "安置介绍信（文件 {letter}）的接收单位“{placed}”与解除劳动合同证明（文件 {ended}）的用人单位“{employer}”不一致{note}。",
    "anachronism_id": "{doc}日期为 {date}，却载有 18 位公民身份号码（1999 年前的材料通常为 15 位），可能为事后补填，请核对原件。",
}


# The document types a complete case file holds by default (CaseOptions.required_doc_types).
REQUIRED_DOC_TYPES = ("enlistment", "discharge", "placement", "termination", "id_card")


@dataclass(frozen=True)
class RuleOptions:
    """The thresholds of the soft rules ([I] in the domain spec: configuration)."""

    required_doc_types: tuple[str, ...] = REQUIRED_DOC_TYPES
    enlistment_age: tuple[int, int] = (16, 24)  # T-01; 士官 direct recruits may be older
    pending_note_months: int = 6  # T-07: longer is noted (historically common)
    pending_review_months: int = 24  # T-07: longer needs review
    # U-01: units known to be one (更名/改制 with evidence on file): a difference is then only noted
    renamed_units: tuple[tuple[str, str], ...] = ()
    eighteen_digit_ids_from: str = "1999-01"  # T-13: 18-digit numbers on earlier documents are unusual
    exclusion_scope: str = "whole_case"  # as CaseOptions.exclusion_scope: said in the flag's message


@dataclass(frozen=True)
class CaseContext:
    entry: RosterEntry
    docs: list[DocumentFacts]
    dates: dict[str, FactSource]
    options: RuleOptions = RuleOptions()
    pending_months: int | None = None  # as derived (cases.periods), for T-07
    pending_period: tuple[str, str] | None = None


def doc_ref(doc: DocumentFacts) -> str:
    return f"文件 {doc.id}（{DOC_TYPE_SHORT.get(doc.doc_type, doc.doc_type)}）"


def ev(document: str, field: str) -> dict:
    return {"document": document, "field": field}
