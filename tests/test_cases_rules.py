"""Evidence flags on cases built to show one problem each; Case A (docs/documents.md#the-sample-cases) stays clean."""
from __future__ import annotations

from dataclasses import replace

import pytest

from cases import CaseOptions, DocumentFacts, RosterEntry, evaluate_case
from core.types import EvidenceRef, ExtractedField

ZHOU = "360899197503141518"
ZHOU_LEGACY = "360899750314151"  # the same number in the 15-digit form of 1990s papers
CASE_A = RosterEntry(ZHOU, "周立新", {})


def doc(doc_id: str, doc_type: str, confidence: float = 0.9, **values: str) -> DocumentFacts:
    return DocumentFacts(
        doc_id, doc_type, {k: ExtractedField(k, v, v, confidence, 1, (0, 0, 10, 10)) for k, v in values.items()}
    )


def case_a_documents() -> list[DocumentFacts]:
    """周立新: enlisted 1993-12, discharged 1996-12, letter 1997-09-20, bankruptcy 2003-06-30."""
    return [
        doc("enlist", "enlistment", name="周立新", birth_date="1975-03", id_number="360899750314151", enlistment_date="1993-12-05"),
        doc("discharge", "discharge", name="周立新", birth_date="1975-03", enlistment_date="1993-12", discharge_date="1996-12"),
        doc("letter", "placement", name="周立新", enlistment_date="1993-12", discharge_date="1996-12",
            placement_unit="青河县化肥厂", placement_date="1997-09-20"),
        doc("termination", "termination", name="周立新", id_number=ZHOU, employer="青河县化肥厂",
            termination_date="2003-06-30", termination_reason="bankruptcy"),
        doc("card", "id_card", name="周立新", id_number=ZHOU, birth_date="1975-03-14", gender="男"),
    ]


def with_values(docs: list[DocumentFacts], doc_id: str, **values: str) -> list[DocumentFacts]:
    out = []
    for d in docs:
        if d.id == doc_id:
            fields = dict(d.fields)
            fields.update({k: ExtractedField(k, v, v, 0.9, 1, (0, 0, 10, 10)) for k, v in values.items()})
            d = replace(d, fields=fields)
        out.append(d)
    return out


ALWAYS_NOTED = {("pending_long", "info"), ("fact_evidence", "info")}


def codes(result) -> list[tuple[str, str]]:
    """The flags' (code, severity), less Case A's notes: its 9-month pending period is over 6
    (T-07) and it holds no 无犯罪记录证明 or contribution record (minimum evidence). They are always there,
    and these tests are about the other rules."""
    return [(f.code, f.severity) for f in result.flags if (f.code, f.severity) not in ALWAYS_NOTED]


# ---- Case A: eligible and complete --------------------------------------------------------------


def test_case_a_has_no_problems_36_service_months_and_9_pending_months():
    result = evaluate_case(CASE_A, case_a_documents(), CaseOptions())
    assert codes(result) == []  # no problem; noted: pending over 6 months (T-07), two facts without evidence (minimum evidence)
    notes = [f.message for f in result.flags if f.code == "fact_evidence"]
    assert notes == ["未见能证明无排除情形（无犯罪记录）的材料（可提供：公安机关出具的无犯罪记录证明）。",
                     "未见能证明参保缴费情况的材料（可提供：社保、医保经办机构出具的缴费明细或养老保险手册）。"]
    assert result.derived.service_months == 36
    assert result.derived.pending_placement_months == 9
    assert (result.derived.pending_period.start, result.derived.pending_period.end) == ("1997-01", "1997-09")
    assert result.derived.to_dict()["dates"]["placement"] == {
        "value": "1997-09-20", "month": "1997-09", "document": "letter", "field": "placement_date"
    }
    assert result.documents == ["enlist", "discharge", "letter", "termination", "card"]
    assert [f["code"] for f in result.to_dict()["flags"]] == ["pending_long", "fact_evidence", "fact_evidence"]


# ---- one flag per problem -----------------------------------------------------------------------


def test_case_without_placement_letter_misses_that_document_only():
    docs = [d for d in case_a_documents() if d.doc_type != "placement"]
    result = evaluate_case(CASE_A, docs, CaseOptions())
    problems = [(f.code, f.doc_type, f.severity) for f in result.flags if f.severity != "info"]
    assert problems == [("missing_document", "placement", "error")]
    assert "安置介绍信" in result.flags[0].message
    assert result.derived.to_dict()["pending_placement_months"] is None


def test_required_types_are_an_option():
    docs = [d for d in case_a_documents() if d.doc_type != "id_card"]
    assert codes(evaluate_case(CASE_A, docs, CaseOptions(required_doc_types=("enlistment",)))) == []
    with pytest.raises(ValueError):
        CaseOptions(required_doc_types=("passport",))
    with pytest.raises(ValueError):
        CaseOptions(unknown_switch=True)


def test_case_with_homophone_name_on_old_form_warns_with_both_spellings():
    result = evaluate_case(CASE_A, with_values(case_a_documents(), "discharge", name="周利新"), CaseOptions())
    assert codes(result) == [("name_mismatch", "warning")]
    flag = result.flags[0]
    assert "周利新" in flag.message and "周立新" in flag.message and "同音字或曾用名" in flag.message
    assert flag.evidence == (EvidenceRef("discharge", "name"),)
    assert flag.doc_type is None


def one_document_named(name: str) -> list[DocumentFacts]:
    return with_values([d for d in case_a_documents() if d.id == "discharge"], "discharge", name=name)


NO_REQUIRED = CaseOptions(required_doc_types=())


@pytest.mark.parametrize(
    "roster_name, doc_name",
    [
        ("陈卫东", "陳衛東"),  # traditional forms of the same characters
        ("陈卫东", "陈 卫东"),
        ("阿依古丽买买提", "阿依古丽·买买提"),  # separator dot of a minority name
        ("阿依古丽·买买提", "阿依古丽・买买提"),
    ],
)
def test_same_name_in_another_spelling_is_not_a_mismatch(roster_name, doc_name):
    # Chosen when merging cases/names.py into extract/normalize/names.py: the old cases code
    # flagged 陳衛東 vs 陈卫东 as a homophone warning; they are the same characters.
    assert codes(evaluate_case(RosterEntry(ZHOU, roster_name, {}), one_document_named(doc_name), NO_REQUIRED)) == []


def test_given_name_ending_in_jun_is_compared_whole():
    # 君 used to be stripped as a title by extract's normalize_name: 王建君 would have become 王建
    result = evaluate_case(RosterEntry(ZHOU, "王建军", {}), one_document_named("王建君"), NO_REQUIRED)
    assert codes(result) == [("name_mismatch", "warning")]


def test_case_with_someone_elses_name_is_an_error():
    result = evaluate_case(CASE_A, with_values(case_a_documents(), "termination", name="陈卫东"), CaseOptions())
    assert codes(result) == [("name_mismatch", "error")]


def test_recorded_former_name_is_a_warning_not_an_error():
    entry = RosterEntry(ZHOU, "周立新", {"曾用名": "周小兵"})
    result = evaluate_case(entry, with_values(case_a_documents(), "enlist", name="周小兵"), CaseOptions())
    assert codes(result) == [("name_mismatch", "warning")]
    assert "曾用名" in result.flags[0].message and "周小兵" in result.flags[0].message
    unrecorded = evaluate_case(CASE_A, with_values(case_a_documents(), "enlist", name="周小兵"), CaseOptions())
    assert codes(unrecorded) == [("name_mismatch", "error")]


def test_case_with_id_number_failing_checksum():
    result = evaluate_case(CASE_A, with_values(case_a_documents(), "termination", id_number="360899197503141519"), CaseOptions())
    assert codes(result) == [("invalid_id_number", "error")]
    assert "360899197503141519" in result.flags[0].message and "校验位" in result.flags[0].message
    assert result.flags[0].evidence == (EvidenceRef("termination", "id_number"),)


def test_an_id_card_number_failing_its_checksum_is_a_misreading_near_the_cases():
    # the police print only numbers that pass the check: a card that fails was read wrong
    near = evaluate_case(CASE_A, with_values(case_a_documents(), "card", id_number="360899197503141519"), CaseOptions())
    assert codes(near) == [("invalid_id_number", "info")] and "识别误差" in near.flags[0].message
    far = evaluate_case(CASE_A, with_values(case_a_documents(), "card", id_number="360899198806221519"), CaseOptions())
    assert ("invalid_id_number", "error") in codes(far)  # five digits off: perhaps someone else's card


def test_case_with_another_valid_id_number_on_a_document():
    other = "360899197608220933"
    result = evaluate_case(CASE_A, with_values(case_a_documents(), "termination", id_number=other), CaseOptions())
    assert codes(result) == [("id_mismatch", "error")]
    assert other in result.flags[0].message and ZHOU in result.flags[0].message


def test_case_with_placement_before_discharge():
    result = evaluate_case(CASE_A, with_values(case_a_documents(), "letter", placement_date="1996-10-08"), CaseOptions())
    assert codes(result) == [("date_order", "error")]
    flag = result.flags[0]
    assert flag.evidence == (
        EvidenceRef("discharge", "discharge_date"),
        EvidenceRef("letter", "placement_date"),
    )
    assert "1996-12" in flag.message and "1996-10" in flag.message
    assert result.derived.to_dict()["pending_placement_months"] == -2


def test_case_with_enlistment_in_discharge_month_and_termination_before_placement_gets_two_flags():
    docs = with_values(case_a_documents(), "enlist", enlistment_date="1996-12")
    docs = with_values(docs, "discharge", enlistment_date="1996-12")
    docs = with_values(docs, "letter", enlistment_date="1996-12")
    docs = with_values(docs, "termination", termination_date="1997-05-01", id_number=ZHOU_LEGACY)  # a 1997 paper
    result = evaluate_case(CASE_A, docs, CaseOptions())
    assert codes(result) == [("date_order", "error"), ("date_order", "error")]
    assert [e.field for e in result.flags[0].evidence] == ["enlistment_date", "discharge_date"]
    assert [e.field for e in result.flags[1].evidence] == ["placement_date", "termination_date"]


def test_same_month_is_in_order_for_discharge_placement_and_termination():
    docs = with_values(case_a_documents(), "letter", placement_date="1996-12-28")
    docs = with_values(docs, "termination", termination_date="1996-12-30", id_number=ZHOU_LEGACY)
    assert codes(evaluate_case(CASE_A, docs, CaseOptions())) == []


@pytest.mark.parametrize(
    "reason, zh",
    [("voluntary_departure", "自动离职"), ("removal", "除名"), ("dismissal", "开除"), ("criminal_sentence", "判刑")],
)
def test_case_terminated_for_a_disqualifying_reason(reason, zh):
    result = evaluate_case(CASE_A, with_values(case_a_documents(), "termination", termination_reason=reason), CaseOptions())
    assert codes(result) == [("disqualifying_termination", "error")]
    assert zh in result.flags[0].message and "2003-06-30" in result.flags[0].message
    assert EvidenceRef("termination", "termination_reason") in result.flags[0].evidence


@pytest.mark.parametrize("reason", ["mutual_agreement", "bankruptcy", "restructuring", "expiry", "other"])
def test_ordinary_termination_reasons_are_silent(reason):
    docs = with_values(case_a_documents(), "termination", termination_reason=reason)
    assert codes(evaluate_case(CASE_A, docs, CaseOptions())) == []


def test_flags_serialise_to_the_report_contract():
    docs = [d for d in case_a_documents() if d.doc_type != "id_card"]
    flag = evaluate_case(CASE_A, docs, CaseOptions()).to_dict()["flags"][0]
    assert flag == {
        "code": "missing_document",
        "doc_type": "id_card",
        "severity": "error",
        "message": flag["message"],
        "evidence": [],
    }


def test_the_docs_rule_table_is_generated_from_the_rule_pack():
    from pathlib import Path

    from cases.rules import RULE_PACK, rule_table

    doc = (Path(__file__).resolve().parent.parent / "docs" / "rules.md").read_text(encoding="utf-8")
    start, end = doc.index("<!-- rules:start -->\n") + len("<!-- rules:start -->\n"), doc.index("<!-- rules:end -->")
    assert doc[start:end] == rule_table(), "regenerate with: casefile rules --markdown"
    assert len({r.code for r in RULE_PACK}) == len(RULE_PACK)


def test_case_a_golden_periods_from_its_contribution_record():
    """docs/periods.md#worked-example-case-a: 9 pending months, 36 service months, 21 candidate back-payment months."""
    from extract.contributions import parse_contribution_record
    from tests.synthetic_pages import page_from_text

    record_text = (
        "企业职工基本养老保险个人缴费明细（参保证明）\n"
        "姓名：周立新 公民身份号码：360899197503141518\n"
        "费款所属期 单位名称 缴费基数 月数 状态\n"
        "199801-200112 青河县化肥厂 420.00 48 已到账\n"
        "200201-200306 青河县化肥厂 450.00 18 欠费\n"
    )
    periods = parse_contribution_record([(1, page_from_text(record_text))]).periods
    assert len(periods) == 2
    docs = case_a_documents() + [DocumentFacts("record", "contribution", {}, contributions=periods)]
    result = evaluate_case(RosterEntry(ZHOU, "周立新", {}), docs)
    periods_out = result.derived.to_dict()["periods"]
    assert result.derived.pending_placement_months == 9 and result.derived.service_months == 36
    assert (periods_out["pending"]["months"], periods_out["service"]["months"]) == (9, 36)
    assert (periods_out["paid"]["months"], periods_out["arrears"]["months"]) == (48, 18)
    assert periods_out["back_payment"]["months"] == 21 and periods_out["contribution_record"] is True
    assert periods_out["back_payment"]["ranges"] == [["1997-10", "1997-12"], ["2002-01", "2003-06"]]
    assert periods_out["pending"]["end_evidence"] == {"document": "letter", "field": "placement_date"}
    assert not [f for f in result.flags if f.severity == "error"]


# ---- identity against the ID number, age at enlistment, pending length ---------------------------


def test_a_birth_month_that_disagrees_with_the_id_number_is_a_warning():
    docs = with_values(case_a_documents(), "discharge", birth_date="1975-05")
    assert codes(evaluate_case(CASE_A, docs, CaseOptions())) == [("birth_date_mismatch", "warning")]
    flag = next(f for f in evaluate_case(CASE_A, docs, CaseOptions()).flags if f.code == "birth_date_mismatch")
    assert "1975-05" in flag.message and "1975-03" in flag.message and flag.evidence == (EvidenceRef("discharge", "birth_date"),)


def test_a_birth_date_with_a_day_agrees_at_month_precision():
    docs = with_values(case_a_documents(), "card", birth_date="1975-03-31")
    assert codes(evaluate_case(CASE_A, docs, CaseOptions())) == []


@pytest.mark.parametrize("written", ["女", "female"])
def test_a_gender_that_disagrees_with_the_id_number_is_an_error(written):
    docs = with_values(case_a_documents(), "card", gender=written)
    assert codes(evaluate_case(CASE_A, docs, CaseOptions())) == [("gender_mismatch", "error")]


def test_the_right_gender_in_either_form_is_silent():
    for written in ("男", "male"):
        docs = with_values(case_a_documents(), "card", gender=written)
        assert codes(evaluate_case(CASE_A, docs, CaseOptions())) == []


def test_an_unusual_age_at_enlistment_is_a_warning():
    docs = with_values(with_values(case_a_documents(), "enlist", enlistment_date="1990-12"), "discharge", enlistment_date="1990-12")
    flags = [f for f in evaluate_case(CASE_A, docs, CaseOptions()).flags if f.code == "enlistment_age"]
    assert [(f.severity, "15 岁" in f.message) for f in flags] == [("warning", True)]
    # at 13 no one enlists: the date is impossible (tests/test_cases_plausible.py), not an unusual age
    docs = with_values(with_values(case_a_documents(), "enlist", enlistment_date="1988-12"), "discharge", enlistment_date="1988-12")
    found = {f.code for f in evaluate_case(CASE_A, docs, CaseOptions()).flags}
    assert "impossible_date" in found and "enlistment_age" not in found


def test_a_usual_age_at_enlistment_is_silent():
    assert "enlistment_age" not in [c for c, _ in codes(evaluate_case(CASE_A, case_a_documents(), CaseOptions()))]


def test_a_pending_period_over_two_years_needs_review():
    docs = with_values(case_a_documents(), "letter", placement_date="1999-06-01")
    flags = [f for f in evaluate_case(CASE_A, docs, CaseOptions()).flags if f.code == "pending_long"]
    assert [(f.severity, "30 个月" in f.message) for f in flags] == [("warning", True)]


def test_a_short_pending_period_is_silent():
    docs = with_values(case_a_documents(), "letter", placement_date="1997-05-01")
    assert "pending_long" not in [f.code for f in evaluate_case(CASE_A, docs, CaseOptions()).flags]


def test_a_placement_unit_other_than_the_employer_is_an_error():
    docs = with_values(case_a_documents(), "termination", employer="青河县第二运输公司")
    assert codes(evaluate_case(CASE_A, docs, CaseOptions())) == [("unit_mismatch", "error")]


def test_the_same_unit_written_differently_is_silent():
    docs = with_values(case_a_documents(), "termination", employer="青河县化肥厂破产清算组")
    assert "unit_mismatch" not in [c for c, _ in codes(evaluate_case(CASE_A, docs, CaseOptions()))]


def test_a_unit_renamed_on_record_is_only_noted():
    from cases.rules import CaseContext, RuleOptions, unit_mismatch
    from cases.periods import best_dates

    docs = with_values(case_a_documents(), "termination", employer="青河县化工有限公司")
    options = RuleOptions(renamed_units=(("青河县化肥厂", "青河县化工有限公司"),))
    flags = unit_mismatch(CaseContext(CASE_A, docs, best_dates(docs), options))
    assert [(f.code, f.severity) for f in flags] == [("unit_mismatch", "info")]


def test_an_18_digit_id_on_a_document_from_before_1999_is_a_warning():
    docs = with_values(case_a_documents(), "enlist", id_number=ZHOU)  # the 1993 form has the 18-digit number
    assert codes(evaluate_case(CASE_A, docs, CaseOptions())) == [("anachronism_id", "warning")]


def test_a_15_digit_id_on_an_old_document_is_silent():
    assert "anachronism_id" not in [c for c, _ in codes(evaluate_case(CASE_A, case_a_documents(), CaseOptions()))]


def test_the_exclusion_scope_is_said_in_the_flag_and_applied_to_the_back_payment_months():
    docs = with_values(case_a_documents(), "termination", termination_reason="removal", termination_date="2002-05-10")
    whole = evaluate_case(CASE_A, docs, CaseOptions())
    flag = next(f for f in whole.flags if f.code == "disqualifying_termination")
    assert "按整案排除处理" in flag.message and "须复核确认" in flag.message
    assert whole.derived.to_dict()["periods"]["back_payment"]["months"] == 0
    after = evaluate_case(CASE_A, docs, CaseOptions(exclusion_scope="after_event"))
    assert "该事件之后的月份不予补缴" in next(f for f in after.flags if f.code == "disqualifying_termination").message
    assert after.derived.to_dict()["periods"]["back_payment"]["ranges"][-1][1] == "2002-05"
