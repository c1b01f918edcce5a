"""The rule pack: every evidence check a reviewer relies on, read top to bottom.

Each rule is a `Rule` in RULE_PACK below: its code, severity, what it checks, the facts it reads,
the evidence it cites, its source tag in the domain spec (domain.md §0: [V] verified statute,
[S] secondary, [R] recollection, [I] proposal; hard rules only on [V], the rest configurable) and
the small function that applies it. Messages are templates in MESSAGES, for clerks: they may name
people, so logs never see them. The README's rule table is generated from RULE_PACK
(`casefile rules --markdown`), and a test keeps the two the same.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from core.labels import DOC_TYPE_SHORT, DOC_TYPE_ZH, FACT_ZH, REASON_ZH
from core.types import DISQUALIFYING_REASONS, Flag
from extract.normalize.units import same_unit, unit_key
from extract.normalize.idnumbers import (
    birth_date_from_id,
    birth_month,
    canonical_id,
    clean_id,
    gender_from_id,
    id_problem,
)

from cases.facts import DocumentFacts, month_index, month_str
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
    "disqualifying_termination": "{doc}记载的解除（终止）原因为“{reason_zh}”{when}，属于排除情形（自动离职、除名、开除、判刑），{scope}，须复核确认。",
    "birth_date_mismatch": "{doc}上的出生年月“{doc_birth}”与公民身份号码中的出生年月“{id_birth}”不一致，请核对。",
    "gender_mismatch": "{doc}上的性别“{doc_gender}”与公民身份号码所示性别“{id_gender}”不一致，请核对。",
    "enlistment_age": "入伍时年龄 {age} 岁（出生 {birth}，入伍 {enlisted}，依据文件 {document}），不在通常的 {low}–{high} 岁之间，请核对。",
    "pending_long": "待安置时间 {months} 个月（{start} 至 {end}），{note}。",
    "unit_mismatch": "安置介绍信（文件 {letter}）的接收单位“{placed}”与解除劳动合同证明（文件 {ended}）的用人单位“{employer}”不一致{note}。",
    "anachronism_id": "{doc}日期为 {date}，却载有 18 位公民身份号码（1999 年前的材料通常为 15 位），可能为事后补填，请核对原件。",
}

# The timeline: enlistment < discharge ≤ placement ≤ termination (month precision).
STRICT_PAIRS = frozenset({("enlistment", "discharge")})


@dataclass(frozen=True)
class RuleOptions:
    """The thresholds of the soft rules ([I] in the domain spec: configuration)."""

    required_doc_types: tuple[str, ...] = ("enlistment", "discharge", "placement", "termination", "id_card")
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
        for t in ctx.options.required_doc_types
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
                    doc=_doc_ref(doc), reason_zh=REASON_ZH[reason], when=f"（{when}）" if when else "",
                    scope=_SCOPE_ZH[ctx.options.exclusion_scope],
                ),
                evidence=evidence,
            )
        )
    return flags


_SCOPE_ZH = {"whole_case": "按整案排除处理", "after_event": "该事件之后的月份不予补缴"}
_GENDER = {"男": "male", "女": "female", "male": "male", "female": "female"}
_GENDER_ZH = {"male": "男", "female": "女"}


def birth_date_mismatches(ctx: CaseContext) -> list[Flag]:
    id_birth = birth_month(ctx.entry.id_number)
    flags = []
    for doc in ctx.docs:
        value = doc.value("birth_date")
        month = month_index(value)
        if id_birth is None or month is None or month == month_index(id_birth):
            continue
        flags.append(
            Flag(
                code="birth_date_mismatch",
                severity="warning",
                message=MESSAGES["birth_date_mismatch"].format(doc=_doc_ref(doc), doc_birth=value, id_birth=id_birth),
                evidence=(_ev(doc.id, "birth_date"),),
            )
        )
    return flags


def gender_mismatches(ctx: CaseContext) -> list[Flag]:
    id_gender = gender_from_id(ctx.entry.id_number)
    flags = []
    for doc in ctx.docs:
        gender = _GENDER.get((doc.value("gender") or "").strip())
        if id_gender is None or gender is None or gender == id_gender:
            continue
        flags.append(
            Flag(
                code="gender_mismatch",
                severity="error",
                message=MESSAGES["gender_mismatch"].format(
                    doc=_doc_ref(doc), doc_gender=_GENDER_ZH[gender], id_gender=_GENDER_ZH[id_gender]
                ),
                evidence=(_ev(doc.id, "gender"),),
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
                    evidence=(_ev(letter.id, "placement_unit"), _ev(ended.id, "employer")),
                )
            )
    return flags


# The date that places each document in time (its issue date when it has one).
_DOCUMENT_DATE = {"enlistment": "enlistment_date", "discharge": "discharge_date", "placement": "placement_date",
                  "termination": "termination_date"}


def anachronistic_ids(ctx: CaseContext) -> list[Flag]:
    cutoff = month_index(ctx.options.eighteen_digit_ids_from)
    flags = []
    for doc in ctx.docs:
        field = doc.fields.get("id_number")
        date = doc.value("issue_date") or doc.value(_DOCUMENT_DATE.get(doc.doc_type, "issue_date"))
        month = month_index(date)
        if field is None or month is None or month >= cutoff or len(clean_id(field.raw)) != 18:
            continue
        flags.append(
            Flag(
                code="anachronism_id",
                severity="warning",
                message=MESSAGES["anachronism_id"].format(doc=_doc_ref(doc), date=date),
                evidence=(_ev(doc.id, "id_number"),),
            )
        )
    return flags


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
