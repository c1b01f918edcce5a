"""The rules added for #5 (docs/rules.md#check-ids): each made to fire on a case built to show its
problem, and kept silent on Case A or on the problem's harmless neighbour."""
from __future__ import annotations

import pytest

from cases import CaseOptions, DocumentFacts, RosterEntry, evaluate_case
from cases.rules import RuleOptions
from cases.rules.timeline import future_dates
from core.types import EvidenceRef
from extract.contributions import ContributionPeriod
from tests.test_cases_rules import CASE_A, ZHOU, case_a_documents, codes, doc, with_values

PERIOD = {"insurance": "pension", "page": 1, "bbox": (0, 0, 10, 10), "raw": ""}


def row(start: str, end: str, unit: str, status: str = "paid") -> ContributionPeriod:
    return ContributionPeriod(start=start, end=end, status=status, unit=unit, **PERIOD)


def flags_of(result, code: str):
    return [f for f in result.flags if f.code == code]


def evaluate(docs, entry: RosterEntry = CASE_A, **options):
    return evaluate_case(entry, docs, CaseOptions(**options))


# ---- minimum evidence per fact -------------------------------------------------------------------


def test_a_lost_letter_proven_by_its_stub_is_noted_not_missing():
    docs = [d for d in case_a_documents() if d.id != "letter"]
    docs.append(doc("stub", "placement", name="周立新", placement_form="stub", placement_unit="青河县化肥厂",
                    placement_date="1997-09-20", letter_serial="(97)青安字第056号"))
    result = evaluate(docs)
    assert codes(result) == []  # the stub is a placement document: nothing is missing
    notes = [f.message for f in flags_of(result, "fact_evidence")]
    assert any("未见安置介绍信，由替代材料证明：安置介绍信存根（文件 stub）" in n for n in notes)
    [note] = [f for f in flags_of(result, "fact_evidence") if "存根" in f.message]
    assert note.evidence == (EvidenceRef("stub", "placement_date"),)
    assert result.derived.to_dict()["dates"]["placement"]["document"] == "stub"


def test_a_missing_letter_names_the_substitutes_the_case_holds():
    docs = [d for d in case_a_documents() if d.id != "letter"]
    docs.append(doc("payroll", "subsidy_voucher", name="周立新", payment_kind="pending_allowance", paid_period="1997-01/1997-09"))
    docs = with_values(docs, "discharge", placement_method="arranged_job")
    [flag] = flags_of(evaluate(docs), "missing_document")
    assert flag.severity == "error" and flag.doc_type == "placement"
    assert "待安置生活补助发放表（文件 payroll）" in flag.message and "安置方式“安排工作”（文件 discharge）" in flag.message


def test_a_missing_letter_without_substitutes_says_what_to_bring():
    docs = [d for d in case_a_documents() if d.id != "letter"]
    [flag] = flags_of(evaluate(docs), "missing_document")
    assert "也可提供：安置介绍信存根" in flag.message


def test_optional_facts_with_their_documents_are_not_noted():
    docs = case_a_documents() + [
        doc("review", "political_review", name="周立新", issue_date="2020-03-18"),
        doc("record", "contribution", name="周立新"),
    ]
    assert flags_of(evaluate(docs), "fact_evidence") == []


# ---- identity, names: a 曾用名 on the household register --------------------------------------------


def test_a_former_name_on_the_household_register_explains_an_old_spelling():
    docs = with_values(case_a_documents(), "enlist", name="周小兵")
    assert ("name_mismatch", "error") in codes(evaluate(docs))  # a different name nobody recorded
    docs.append(doc("register", "id_card", name="周立新", id_number=ZHOU, former_name="周小兵"))
    [flag] = flags_of(evaluate(docs), "name_mismatch")
    assert flag.severity == "warning" and "曾用名" in flag.message and "周小兵" in flag.message


# ---- timeline ------------------------------------------------------------------------------------


@pytest.mark.parametrize("stated, fires", [("P3Y", False), ("P36M", False), ("P3Y1M", False), ("P2Y", False),
                                           ("P1Y", True), ("P30M", True), ("P5Y", True)])
def test_the_stated_service_length_agrees_with_the_dates(stated, fires):
    result = evaluate(with_values(case_a_documents(), "discharge", stated_service=stated))  # 36 months served
    assert bool(flags_of(result, "service_length")) is fires


def test_a_document_one_month_off_is_a_warning_more_an_error():
    one = evaluate(with_values(case_a_documents(), "letter", enlistment_date="1994-01"))
    assert ("service_dates", "warning") in codes(one)
    many = evaluate(with_values(case_a_documents(), "letter", discharge_date="1997-06"))
    [flag] = flags_of(many, "service_dates")
    assert flag.severity == "error" and "相差 6 个月" in flag.message
    assert flags_of(evaluate(case_a_documents()), "service_dates") == []


@pytest.mark.parametrize("report, expected", [
    ("1997-10-06", None), ("1997-09-25", None), ("1997-08-01", "warning"), ("1998-02", "warning"), ("2004-01", "error"),
])
def test_reporting_to_the_unit_follows_the_letter_and_precedes_the_termination(report, expected):
    result = evaluate(with_values(case_a_documents(), "termination", report_date=report))
    found = [f.severity for f in flags_of(result, "report_date")]
    assert found == ([expected] if expected else [])


@pytest.mark.parametrize("period, fires", [("1997-01/1997-09", False), ("1996-12/1997-08", False),
                                           ("1997-01/1997-06", True), ("1996-06/1997-09", True)])
def test_the_allowance_payroll_covers_the_pending_months(period, fires):
    payroll = doc("payroll", "subsidy_voucher", name="周立新", payment_kind="pending_allowance", paid_period=period)
    result = evaluate(case_a_documents() + [payroll])
    assert bool(flags_of(result, "payroll_months")) is fires


def test_a_date_after_today_is_an_error():
    from cases.rules.context import CaseContext
    from cases.periods import best_dates

    docs = with_values(case_a_documents(), "termination", termination_date="2031-06-30")
    ctx = CaseContext(CASE_A, docs, best_dates(docs), RuleOptions(today="2026-11-29"))
    [flag] = future_dates(ctx)
    assert flag.severity == "error" and "2031-06-30" in flag.message
    ctx = CaseContext(CASE_A, case_a_documents(), best_dates(case_a_documents()), RuleOptions(today="2026-11-29"))
    assert future_dates(ctx) == []


@pytest.mark.parametrize("issuer, fires", [("青河县退役军人事务局", True), ("青河县退伍军人安置办公室", False)])
def test_an_office_that_did_not_exist_on_the_letter_date_is_a_warning(issuer, fires):
    result = evaluate(with_values(case_a_documents(), "letter", issuer=issuer))  # letter of 1997
    assert bool(flags_of(result, "anachronism_issuer")) is fires


def test_the_veterans_affairs_bureau_on_a_2019_letter_is_silent():
    docs = with_values(case_a_documents(), "letter", issuer="青河县退役军人事务局", placement_date="2019-08-15")
    assert flags_of(evaluate(docs), "anachronism_issuer") == []


# ---- placement and employer ----------------------------------------------------------------------


@pytest.mark.parametrize("method, fires", [("self_employed", True), ("returned_home", True), ("retired", True),
                                           ("arranged_job", False), ("other", False)])
def test_a_placement_method_outside_the_programme_is_an_error(method, fires):
    result = evaluate(with_values(case_a_documents(), "discharge", placement_method=method))
    assert bool(flags_of(result, "placement_method")) is fires


def test_a_self_employment_grant_beside_a_placement_letter_is_an_error():
    grant = doc("grant", "subsidy_voucher", name="周立新", id_number=ZHOU, payment_kind="self_employment_grant")
    [flag] = flags_of(evaluate(case_a_documents() + [grant]), "self_employment_grant")
    assert flag.severity == "error" and "安置介绍信（文件 letter）" in flag.message


def test_a_self_employment_grant_without_any_job_claim_is_silent():
    grant = doc("grant", "subsidy_voucher", name="周立新", id_number=ZHOU, payment_kind="self_employment_grant")
    docs = [d for d in case_a_documents() if d.id != "letter"] + [grant]
    assert flags_of(evaluate(docs), "self_employment_grant") == []
    allowance = doc("payroll", "subsidy_voucher", name="周立新", payment_kind="pending_allowance")
    assert flags_of(evaluate(case_a_documents() + [allowance]), "self_employment_grant") == []


def test_a_stub_that_disagrees_with_its_letter_is_an_error():
    docs = with_values(case_a_documents(), "letter", placement_form="letter", letter_serial="(97)青安字第056号")
    stub = doc("stub", "placement", name="周立新", placement_form="stub", placement_unit="青河县化肥厂",
               placement_date="1997-09-20", letter_serial="(97)青安字第056号")
    assert flags_of(evaluate(docs + [stub]), "stub_mismatch") == []
    other = with_values([stub], "stub", placement_unit="青河县农机厂", placement_date="1997-08-02")
    messages = [f.message for f in flags_of(evaluate(docs + other), "stub_mismatch")]
    assert len(messages) == 2 and "前往单位" in messages[0] and "开具日期" in messages[1]


def test_the_two_halves_of_one_sheet_are_compared():
    same = with_values(case_a_documents(), "letter", placement_form="letter_with_stub",
                       stub_placement_date="1997-09-20", stub_placement_unit="青河县化肥厂")
    assert flags_of(evaluate(same), "stub_mismatch") == []
    differ = with_values(same, "letter", stub_placement_date="1997-09-02")
    [flag] = flags_of(evaluate(differ), "stub_mismatch")
    assert "开具日期" in flag.message and "1997-09-02" in flag.message


def test_a_rename_stated_by_the_unit_makes_the_unit_difference_a_warning():
    docs = with_values(case_a_documents(), "termination", employer="青河县城南粮油有限公司")
    assert [f.severity for f in flags_of(evaluate(docs), "unit_mismatch")] == ["error"]
    docs = with_values(docs, "termination", former_employer="青河县化肥厂")
    [flag] = flags_of(evaluate(docs), "unit_mismatch")
    assert flag.severity == "warning" and "原名“青河县化肥厂”" in flag.message


# ---- exclusions, contributions -------------------------------------------------------------------


def test_a_clean_record_certificate_from_before_the_termination_is_a_warning():
    old = doc("review", "political_review", name="周立新", issue_date="2001-05-10")
    assert ("clean_record_date", "warning") in codes(evaluate(case_a_documents() + [old]))
    new = doc("review", "political_review", name="周立新", issue_date="2020-03-18")
    assert flags_of(evaluate(case_a_documents() + [new]), "clean_record_date") == []


def _record(*rows: ContributionPeriod) -> DocumentFacts:
    return DocumentFacts("record", "contribution", doc("record", "contribution", name="周立新").fields, contributions=rows)


def test_a_contribution_record_of_another_unit_during_employment_is_a_warning():
    docs = case_a_documents() + [_record(row("1997-10", "2001-12", "青河县农机厂"))]
    assert ("contribution_employer", "warning") in codes(evaluate(docs))
    docs = case_a_documents() + [_record(row("1997-10", "2001-12", "青河县化肥厂"))]
    assert flags_of(evaluate(docs), "contribution_employer") == []


def test_a_month_paid_by_two_units_is_a_warning():
    docs = case_a_documents() + [_record(row("1997-10", "2001-12", "青河县化肥厂"), row("2001-06", "2002-03", "青河县农机厂"))]
    [flag] = flags_of(evaluate(docs), "contribution_overlap")
    assert "2001-06至2001-12" in flag.message
    docs = case_a_documents() + [_record(row("1997-10", "2001-12", "青河县化肥厂"), row("2002-01", "2002-03", "青河县农机厂"))]
    assert flags_of(evaluate(docs), "contribution_overlap") == []


def test_contributions_by_the_employer_after_the_termination_are_a_warning():
    docs = case_a_documents() + [_record(row("1997-10", "2003-09", "青河县化肥厂"))]  # terminated 2003-06
    [flag] = flags_of(evaluate(docs), "contribution_after_termination")
    assert "2003-07至2003-09" in flag.message
    docs = case_a_documents() + [_record(row("1997-10", "2003-06", "青河县化肥厂"))]
    assert flags_of(evaluate(docs), "contribution_after_termination") == []


def test_every_rule_has_a_chinese_name_for_the_pages_and_exports():
    from cases.rules.pack import RULE_PACK
    from core.labels import FLAG_ZH

    assert [r.code for r in RULE_PACK if r.code not in FLAG_ZH] == []


def test_an_expulsion_from_the_army_is_an_exclusion_named_as_such():
    from core.types import ExtractedField

    decision = doc("decision", "termination", name="周立新", termination_date="1995-06-01")
    reason = ExtractedField("termination_reason", "dismissal", "给予开除军籍处分", 0.9, 1, (0, 0, 10, 10))
    decision = DocumentFacts("decision", "termination", {**decision.fields, "termination_reason": reason})
    [flag] = flags_of(evaluate(case_a_documents() + [decision]), "disqualifying_termination")
    assert flag.severity == "error" and "服役期间开除军籍" in flag.message


def test_a_removal_dated_before_the_discharge_happened_in_service():
    decision = doc("decision", "termination", name="周立新", termination_date="1995-06-01", termination_reason="removal")
    [flag] = flags_of(evaluate(case_a_documents() + [decision]), "disqualifying_termination")
    assert "服役期间除名" in flag.message
    later = with_values([decision], "decision", termination_date="1999-05-05")
    [flag] = flags_of(evaluate(case_a_documents() + later), "disqualifying_termination")
    assert "服役期间" not in flag.message and "除名" in flag.message


def test_a_criminal_sentence_in_the_pending_period_means_never_placed():
    judgment = doc("judgment", "termination", name="周立新", termination_date="1997-05-20", termination_reason="criminal_sentence")
    [flag] = flags_of(evaluate(case_a_documents() + [judgment]), "disqualifying_termination")
    assert "待安置期间判刑" in flag.message


@pytest.mark.parametrize("raw, fires", [("本人辞职", True), ("单位辞退", True), ("其他", False)])
def test_a_resignation_is_reviewed(raw, fires):
    from core.types import ExtractedField

    reason = ExtractedField("termination_reason", "other", raw, 0.9, 1, (0, 0, 10, 10))
    docs = [DocumentFacts(d.id, d.doc_type, {**d.fields, "termination_reason": reason}) if d.id == "termination" else d
            for d in case_a_documents()]
    assert bool(flags_of(evaluate(docs), "resignation")) is fires


def test_contributions_before_enlistment_are_only_noted():
    docs = case_a_documents() + [_record(row("1992-01", "1993-11", "青河县农机厂"), row("1997-10", "2001-12", "青河县化肥厂"))]
    [flag] = flags_of(evaluate(docs), "contribution_before_service")
    assert flag.severity == "info" and "1992-01" in flag.message
    docs = case_a_documents() + [_record(row("1997-10", "2001-12", "青河县化肥厂"))]
    assert flags_of(evaluate(docs), "contribution_before_service") == []


@pytest.mark.parametrize("enlisted, discharged, fires", [
    ("2005-12", "2017-11", False),  # 143 months: 12 years as the army counts them
    ("2005-12", "2017-12", False),
    ("2009-12", "2017-12", True),   # 8 years, discharged under the 2011 条例
    ("1993-12", "1996-12", False),  # before November 2011: no such requirement
])
def test_an_arranged_job_after_2011_follows_twelve_years_of_service(enlisted, discharged, fires):
    docs = with_values(case_a_documents(), "discharge", enlistment_date=enlisted, discharge_date=discharged)
    docs = [d for d in docs if d.id in ("discharge", "card")]
    assert bool(flags_of(evaluate(docs), "service_minimum")) is fires


@pytest.mark.parametrize("status, noted", [("退出现役", False), ("服现役", True), ("未服兵役", True)])
def test_the_household_registers_military_status_is_noted_unless_discharged(status, noted):
    register = doc("register", "id_card", name="周立新", id_number=ZHOU, military_status=status)
    found = flags_of(evaluate(case_a_documents() + [register]), "military_status")
    assert [f.severity for f in found] == (["info"] if noted else [])
