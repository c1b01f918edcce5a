"""The pack itself: one `Rule` per check, in the order a reviewer reads them, and the README table."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from core.types import Flag

from cases.rules.context import CaseContext
from cases.rules.evidence import disqualifying_terminations, missing_documents, unit_mismatch
from cases.rules.identity import (
    anachronistic_ids,
    birth_date_mismatches,
    gender_mismatches,
    id_mismatches,
    invalid_id_numbers,
    name_mismatches,
)
from cases.rules.timeline import date_order, enlistment_age, pending_long


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str  # as clerks meet it, e.g. "error", or "warning (homophone) / error (different)"
    checks: str  # what it checks, in a sentence
    reads: str  # the facts it needs
    cites: str  # the evidence each flag points at
    source: str  # domain spec rule ids and confidence tag
    apply: Callable[[CaseContext], list[Flag]]


RULE_PACK: tuple[Rule, ...] = (
    Rule(
        code="missing_document",
        severity="error",
        checks="Every document type the case needs is present (CaseOptions.required_doc_types).",
        reads="the types of the case's documents",
        cites="the missing type",
        source="§3.6 D-06, §3.7 [I] (the required set is configuration)",
        apply=missing_documents,
    ),
    Rule(
        code="name_mismatch",
        severity="info (a recorded 曾用名) / warning (homophone) / error (a different name)",
        checks="The name on each document is the roster's name after normalisation (traditional→simplified, spaces, titles).",
        reads="document 姓名, roster 姓名 and 曾用名",
        cites="the document's 姓名",
        source="§3.1 ID-05 [V] for identity, severities [I]",
        apply=name_mismatches,
    ),
    Rule(
        code="invalid_id_number",
        severity="error",
        checks="Each ID number on a document is well formed: 18 characters with a correct check character, or 15 digits.",
        reads="document 公民身份号码",
        cites="the document's 公民身份号码",
        source="§3.1 ID-01 [V] (GB 11643)",
        apply=invalid_id_numbers,
    ),
    Rule(
        code="id_mismatch",
        severity="error",
        checks="Each valid ID number on a document (15 digits converted to 18) is the case's ID number.",
        reads="document 公民身份号码, case ID number",
        cites="the document's 公民身份号码",
        source="§3.1 ID-02 [V]",
        apply=id_mismatches,
    ),
    Rule(
        code="date_order",
        severity="error",
        checks="Enlistment < discharge ≤ placement letter ≤ termination, at month precision.",
        reads="入伍、退出现役、安置介绍信、解除劳动合同 dates (the case's chosen value of each)",
        cites="both dates of the pair out of order",
        source="§3.2 T-02, T-06, T-09 [V]",
        apply=date_order,
    ),
    Rule(
        code="disqualifying_termination",
        severity="error",
        checks="The job did not end by 自动离职, 除名, 开除 or a criminal sentence (exclusions).",
        reads="解除（终止）原因 and date on termination certificates",
        cites="the reason (and the date when stated)",
        source="§1.3 X6–X9, §3.4 X-01/X-02 [R] (scope: whole case, mandatory review)",
        apply=disqualifying_terminations,
    ),
    Rule(
        code="birth_date_mismatch",
        severity="warning",
        checks="The 出生年月 on each document is the birth month in the case's ID number.",
        reads="document 出生年月, case ID number",
        cites="the document's 出生年月",
        source="§3.1 ID-03 [V] (GB 11643 birth date); severity [I] (农历/公历 confusion)",
        apply=birth_date_mismatches,
    ),
    Rule(
        code="gender_mismatch",
        severity="error",
        checks="The 性别 on each document is the gender of the case's ID number (17th digit odd = male).",
        reads="document 性别, case ID number",
        cites="the document's 性别",
        source="§3.1 ID-04 [V] (GB 11643)",
        apply=gender_mismatches,
    ),
    Rule(
        code="enlistment_age",
        severity="warning",
        checks="The age at enlistment (birth from the ID number, the chosen enlistment month) is within RuleOptions.enlistment_age (16–24).",
        reads="case ID number, enlistment date",
        cites="the enlistment date",
        source="§3.2 T-01 [I] (bounds are configuration)",
        apply=enlistment_age,
    ),
    Rule(
        code="pending_long",
        severity="info (> 6 months) / warning (> 24 months)",
        checks="The pending-placement period is not unusually long.",
        reads="the derived pending-placement months",
        cites="the discharge and placement dates",
        source="§1.5, §3.2 T-07 [I] (thresholds are configuration)",
        apply=pending_long,
    ),
    Rule(
        code="unit_mismatch",
        severity="error (info when RuleOptions.renamed_units says the two are one)",
        checks="The unit the placement letter sends the veteran to is the employer on the termination certificate, after normalising names.",
        reads="安置单位 on the letter, 用人单位 on termination certificates",
        cites="both unit names",
        source="§3.3 U-01 [V] (2011 条例 Art. 36); renamed units [I] configuration",
        apply=unit_mismatch,
    ),
    Rule(
        code="anachronism_id",
        severity="warning",
        checks="No document dated before 1999 carries an 18-digit ID number (it may have been filled in later).",
        reads="公民身份号码 as written, the document's date",
        cites="the document's 公民身份号码",
        source="§3.2 T-13 [I]",
        apply=anachronistic_ids,
    ),
)


def run_rules(ctx: CaseContext) -> list[Flag]:
    return [flag for rule in RULE_PACK for flag in rule.apply(ctx)]


def rule_table() -> str:
    """The README's table of rules, from RULE_PACK."""
    rows = ["| code | severity | what it checks | reads | cites | source |", "|---|---|---|---|---|---|"]
    rows += [f"| `{r.code}` | {r.severity} | {r.checks} | {r.reads} | {r.cites} | {r.source} |" for r in RULE_PACK]
    return "\n".join(rows) + "\n"
