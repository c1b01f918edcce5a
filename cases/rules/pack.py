"""The pack itself: one `Rule` per check, in the order a reviewer reads them, and the rule table of
docs/rules.md."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from core.codes import FlagCode
from core.types import RuleFlag

from cases.rules.context import CaseContext
from cases.rules.contributions import (
    contribution_after_termination,
    contribution_employer,
    contribution_overlap,
    contributions_before_service,
)
from cases.rules.evidence import fact_evidence, missing_documents
from cases.rules.excluding import clean_record_dates, disqualifying_terminations, resignations
from cases.rules.identity import (
    anachronistic_ids,
    birth_date_mismatches,
    gender_mismatches,
    id_mismatches,
    invalid_id_numbers,
    military_statuses,
    name_mismatches,
)
from cases.rules.placement import placement_methods, self_employment_grants, stub_mismatch, unit_mismatch
from cases.rules.timeline import (
    anachronistic_issuers,
    date_order,
    service_minimum,
    enlistment_age,
    future_dates,
    impossible_dates,
    payroll_months,
    pending_long,
    report_dates,
    service_dates,
    service_length,
)


@dataclass(frozen=True)
class Rule:
    code: FlagCode
    severity: str  # as clerks meet it, e.g. "error", or "warning (homophone) / error (different)"
    checks: str  # what it checks, in a sentence
    reads: str  # the facts it needs
    cites: str  # the evidence each flag points at
    source: str  # check ids and confidence tag (docs/rules.md#check-ids)
    apply: Callable[[CaseContext], list[RuleFlag]]
    # The judgement rests on dates read from the papers (the timeline, T-xx): a flag citing a
    # field read with low confidence that no reviewer confirmed is provisional (cases/rules/provisional.py).
    dated: bool = False


# Problems first, in the order a reviewer reads a case; the notes about evidence last.
RULE_PACK: tuple[Rule, ...] = (
    Rule(
        code=FlagCode.MISSING_DOCUMENT,
        severity="error",
        checks="Every document type the case needs is present (CaseOptions.required_doc_types); the message names "
        "what the case already holds that may stand in for it (minimum evidence), or what the veteran may bring instead.",
        reads="the types of the case's documents, their substitutes (minimum evidence)",
        cites="the missing type",
        source="D-06, minimum evidence [I] (the required set is configuration)",
        apply=missing_documents,
    ),
    Rule(
        code=FlagCode.NAME_MISMATCH,
        severity="warning (a homophone, or a 曾用名 the roster or a household register records) / error (a different name) / "
        "info (it differs only in characters the OCR read unsure, or lacks one end character of the roster's name)",
        checks="The name on each document is the roster's name after normalisation (traditional→simplified, spaces, titles).",
        reads="document 姓名, roster 姓名 and 曾用名, 曾用名 on household-register pages",
        cites="the document's 姓名",
        source="ID-05 [V] for identity (E→W with a 曾用名), severities [I]",
        apply=name_mismatches,
    ),
    Rule(
        code=FlagCode.INVALID_ID_NUMBER,
        severity="error (info when the number is the case's own with digits missing, none changed: an "
        "incomplete reading; or but for digits the OCR read unsure; or it is read off an ID card, whose numbers "
        "always pass the check, within three digits of the case's)",
        checks="Each ID number on a document is well formed: 18 characters with a correct check character, or 15 digits.",
        reads="document 公民身份号码",
        cites="the document's 公民身份号码",
        source="ID-01 [V] (GB 11643)",
        apply=invalid_id_numbers,
    ),
    Rule(
        code=FlagCode.ID_MISMATCH,
        severity="error (info when the number is the case's but for digits the OCR read unsure, or a 15-digit "
        "number one digit from the case's legacy form)",
        checks="Each valid ID number on a document (15 digits converted to 18) is the case's ID number.",
        reads="document 公民身份号码, case ID number",
        cites="the document's 公民身份号码",
        source="ID-02 [V]",
        apply=id_mismatches,
    ),
    Rule(
        code=FlagCode.DATE_ORDER,
        severity="error",
        checks="Enlistment < discharge ≤ placement letter ≤ termination, at month precision.",
        reads="入伍、退出现役、安置介绍信、解除劳动合同 dates (the case's chosen value of each)",
        cites="both dates of the pair out of order",
        source="T-02, T-06, T-09 [V]",
        apply=date_order,
        dated=True,
    ),
    Rule(
        code=FlagCode.DISQUALIFYING_TERMINATION,
        severity="error",
        checks="The job did not end by 自动离职, 除名, 开除 or a criminal sentence, and no decision expelled the "
        "veteran from the army (开除军籍) (exclusions); the message says when a decision is dated in service or in "
        "the pending period (never placed).",
        reads="解除（终止）原因 and date on termination certificates",
        cites="the reason (and the date when stated)",
        source="exclusions X1–X3, X6–X9; X-01–X-04 [R] (scope: whole case, mandatory review)",
        apply=disqualifying_terminations,
    ),
    Rule(
        code=FlagCode.BIRTH_DATE_MISMATCH,
        severity="warning (info when the month is the ID number's but for digits the OCR read unsure)",
        checks="The 出生年月 on each document is the birth month in the case's ID number.",
        reads="document 出生年月, case ID number",
        cites="the document's 出生年月",
        source="ID-03 [V] (GB 11643 birth date); severity [I] (农历/公历 confusion)",
        apply=birth_date_mismatches,
        dated=True,
    ),
    Rule(
        code=FlagCode.GENDER_MISMATCH,
        severity="error",
        checks="The 性别 on each document is the gender of the case's ID number (17th digit odd = male).",
        reads="document 性别, case ID number",
        cites="the document's 性别",
        source="ID-04 [V] (GB 11643)",
        apply=gender_mismatches,
    ),
    Rule(
        code=FlagCode.ENLISTMENT_AGE,
        severity="warning",
        checks="The age at enlistment (birth from the ID number, the chosen enlistment month) is within RuleOptions.enlistment_age (16–24).",
        reads="case ID number, enlistment date",
        cites="the enlistment date",
        source="T-01 [I] (bounds are configuration)",
        apply=enlistment_age,
        dated=True,
    ),
    Rule(
        code=FlagCode.PENDING_LONG,
        severity="info (> 6 months) / warning (> 24 months)",
        checks="The pending-placement period is not unusually long.",
        reads="the derived pending-placement months",
        cites="the discharge and placement dates",
        source="T-07 [I], the pending-placement period (thresholds are configuration)",
        apply=pending_long,
        dated=True,
    ),
    Rule(
        code=FlagCode.UNIT_MISMATCH,
        severity="error (info when RuleOptions.renamed_units says the two are one, when the case's contribution record "
        "shows the employer paying on where the letter's unit stopped, or when they differ only in characters the OCR "
        "read unsure or in one character lost, not a numeral, or when one is the other read without its first "
        "characters)",
        checks="The unit the placement letter sends the veteran to is the employer on the termination certificate, after "
        "normalising names; a warning instead when that certificate states the employer's former name (更名/改制) "
        "and it is the letter's unit.",
        reads="安置单位 on the letter, 用人单位 and 原单位名称 on termination certificates, the 单位名称 of contribution rows",
        cites="both unit names (and the former name)",
        source="U-01 [V] (2011 条例 Art. 36); renamed units [I] configuration; sample case C",
        apply=unit_mismatch,
    ),
    Rule(
        code=FlagCode.ANACHRONISM_ID,
        severity="warning",
        checks="No document dated before 1999 carries an 18-digit ID number (it may have been filled in later).",
        reads="公民身份号码 as written, the document's date",
        cites="the document's 公民身份号码",
        source="T-13 [I]",
        apply=anachronistic_ids,
        dated=True,
    ),
    Rule(
        code=FlagCode.MILITARY_STATUS,
        severity="info",
        checks="The household register's 兵役状况 is 退出现役; another value is noted (registers lag behind).",
        reads="兵役状况 on household-register pages",
        cites="the 兵役状况",
        source="ID-08 [I]",
        apply=military_statuses,
    ),
    Rule(
        code=FlagCode.ANACHRONISM_ISSUER,
        severity="warning",
        checks="The office named as a document's issuer existed on its date (退役军人事务局 and 医疗保障局 from 2018, "
        "人力资源和社会保障局 from 2008; RuleOptions.issuer_since).",
        reads="出具单位, the document's date",
        cites="the document's 出具单位",
        source="T-13 [I] (years are configuration)",
        apply=anachronistic_issuers,
        dated=True,
    ),
    Rule(
        code=FlagCode.SERVICE_LENGTH,
        severity="warning",
        checks="The stated 兵龄/军龄/服役年限 agrees with discharge − enlistment: within 1 month when stated in "
        "months, 12 when in whole years.",
        reads="兵龄 on discharge papers, the chosen enlistment and discharge dates",
        cites="the 兵龄 and both dates",
        source="T-03 [V] (service years); tolerances [I] configuration",
        apply=service_length,
        dated=True,
    ),
    Rule(
        code=FlagCode.SERVICE_MINIMUM,
        severity="warning",
        checks="A veteran discharged from November 2011 on served at least 12 years (a Nov discharge after a Dec "
        "enlistment counts), as an arranged job then requires; exceptions (烈士子女, 因战致残) are for the reviewer.",
        reads="the chosen enlistment and discharge dates",
        cites="both dates",
        source="T-04 [V] (2011 条例 Art. 29); the start month is configuration",
        apply=service_minimum,
        dated=True,
    ),
    Rule(
        code=FlagCode.SERVICE_DATES,
        severity="warning (1 month apart) / error (more) / info (the different digits were read unsure)",
        checks="Every document's enlistment and discharge dates agree with the case's chosen ones (登记表, 批准书, "
        "退伍证, 退出现役登记表, letter body).",
        reads="入伍时间 and 退出现役时间 on every document",
        cites="the document's date and the chosen one",
        source="T-14 [I]",
        apply=service_dates,
        dated=True,
    ),
    Rule(
        code=FlagCode.REPORT_DATE,
        severity="warning (before the letter, or more than a month after it) / error (after the termination)",
        checks="The letter ≤ 报到/上岗 ≤ the termination; 上岗 within RuleOptions.report_within_months of the letter.",
        reads="报到（上岗）时间 (回执, termination certificate, unit 证明), the letter and termination dates",
        cites="the 报到 date and the date it is compared with",
        source="T-08 [V] (2011 条例 Art. 36: 1 month), T-09 [V]",
        apply=report_dates,
        dated=True,
    ),
    Rule(
        code=FlagCode.PAYROLL_MONTHS,
        severity="warning",
        checks="The months a 待安置 allowance payroll paid lie in the pending period (the discharge month allowed), "
        "and the last is the letter month or the one before.",
        reads="所属期间 of allowance payrolls, the derived pending months, the letter date",
        cites="the payroll's 所属期间 and the letter date",
        source="T-11 [I]",
        apply=payroll_months,
        dated=True,
    ),
    Rule(
        code=FlagCode.FUTURE_DATE,
        severity="error",
        checks="No date on a document lies after today.",
        reads="every date field",
        cites="the date",
        source="T-12 [V]",
        apply=future_dates,
        dated=True,
    ),
    Rule(
        code=FlagCode.IMPOSSIBLE_DATE,
        severity="warning",
        checks="No document dates the veteran's enlistment before the age of 14 or from 35 on, nor the discharge, "
        "placement letter, 报到 or termination before 15 (birth from the case ID number): such a date is a misreading "
        "or a slip of the pen, flagged once; the case's periods and the other date rules do not use it, nor a "
        "date after today (cases/plausible.py).",
        reads="every date of service and job, case ID number",
        cites="the date",
        source="T-01 [V] (birth < enlistment), ages [I]",
        apply=impossible_dates,
        dated=True,
    ),
    Rule(
        code=FlagCode.PLACEMENT_METHOD,
        severity="error",
        checks="The 安置方式 on the discharge papers is a government-arranged job (not 自主就业/自谋职业, 复员/回乡, "
        "退休/供养).",
        reads="安置方式 on discharge papers",
        cites="the 安置方式",
        source="U-04 [V] (the programme's target group), placement-method vocabulary [R]",
        apply=placement_methods,
    ),
    Rule(
        code=FlagCode.SELF_EMPLOYMENT_GRANT,
        severity="error",
        checks="No one-off 自谋职业/自主就业 grant was paid to a veteran the file says was given a job (a letter, the "
        "安置方式, the roster).",
        reads="款项类别 of payment vouchers linked to the case, placement documents, 安置方式",
        cites="the voucher's 款项类别",
        source="U-05 [V] (2011 条例 Art. 19), one-off payments",
        apply=self_employment_grants,
    ),
    Rule(
        code=FlagCode.STUB_MISMATCH,
        severity="error (info when a name, unit or date differs only in characters the OCR read unsure, or a unit in "
        "one character lost, not a numeral)",
        checks="A placement letter and its 存根 agree on serial, name, unit and date (one sheet or two documents).",
        reads="编号, 姓名, 安置单位, 开具日期 of letters and stubs",
        cites="both values",
        source="U-03 [V]",
        apply=stub_mismatch,
    ),
    Rule(
        code=FlagCode.CONTRIBUTION_EMPLOYER,
        severity="warning",
        checks="During employment the contribution record names the employer (or its former name) as 参保单位.",
        reads="用人单位 on termination certificates, the units of contribution rows in the employment months",
        cites="the employer",
        source="U-02 [I]",
        apply=contribution_employer,
    ),
    Rule(
        code=FlagCode.CONTRIBUTION_OVERLAP,
        severity="warning",
        checks="No month of one insurance is paid by two units.",
        reads="contribution rows (unit, months, status)",
        cites="the contribution record",
        source="C-03 [I]",
        apply=contribution_overlap,
    ),
    Rule(
        code=FlagCode.CONTRIBUTION_AFTER_TERMINATION,
        severity="warning",
        checks="The employer pays no contributions for months after the termination.",
        reads="contribution rows of the employer, the termination date",
        cites="the contribution record and the termination date",
        source="C-04 [I]",
        apply=contribution_after_termination,
        dated=True,
    ),
    Rule(
        code=FlagCode.CLEAN_RECORD_DATE,
        severity="warning",
        checks="The 无犯罪记录证明 was issued after the job ended, so it covers the years after placement.",
        reads="出具日期 of 无犯罪记录证明, the termination date",
        cites="the certificate's date and the termination date",
        source="X-06 [I]",
        apply=clean_record_dates,
        dated=True,
    ),
    Rule(
        code=FlagCode.RESIGNATION,
        severity="warning",
        checks="A job that ended by 辞职, 辞退 or for 个人原因 is reviewed: eligible in principle, the programme's "
        "treatment unconfirmed.",
        reads="解除（终止）原因 as written",
        cites="the reason",
        source="X-05 [I] (open question Q8)",
        apply=resignations,
    ),
    Rule(
        code=FlagCode.CONTRIBUTION_BEFORE_SERVICE,
        severity="info",
        checks="Contributions before enlistment (a job before service) are noted; merging them is lawful.",
        reads="contribution rows, the enlistment date",
        cites="the contribution record",
        source="C-06 [V]",
        apply=contributions_before_service,
        dated=True,
    ),
    Rule(
        code=FlagCode.FACT_EVIDENCE,
        severity="info",
        checks="Each fact of the minimum-evidence table rests on its primary document; a fact proven only by a substitute (the lost "
        "letter's 存根, the allowance payroll, the 安置方式 on the discharge papers, the roster) is noted with "
        "what proves it, and an unproven optional fact (no exclusion, contributions) with what to bring.",
        reads="document types, placement_form, paid_period, placement_method, report_date, roster 安置方式",
        cites="(in the message) the documents that stand in",
        source="minimum evidence [I]",
        apply=fact_evidence,
    ),
)


def run_rules(ctx: CaseContext) -> list[RuleFlag]:
    return [flag for rule in RULE_PACK for flag in rule.apply(ctx)]


def rule_table() -> str:
    """The table of rules in docs/rules.md, from RULE_PACK."""
    rows = ["| code | severity | what it checks | reads | cites | source |", "|---|---|---|---|---|---|"]
    rows += [f"| `{r.code}` | {r.severity} | {r.checks} | {r.reads} | {r.cites} | {r.source} |" for r in RULE_PACK]
    return "\n".join(rows) + "\n"
