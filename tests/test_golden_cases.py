"""The sample cases (docs/documents.md#the-sample-cases) end to end through the domain core: each page is
classified and extracted from their own text (the constants of the extractor tests), linked
to the roster and evaluated. Expected periods and flags are those of docs/periods.md and docs/rules.md."""
from __future__ import annotations

from cases import CaseOptions, DocumentFacts, RosterEntry, case_documents, evaluate_case, link_documents
from classify import classify_page
from extract import extract_fields, extract_rows
from extract.contributions import parse_contribution_record
from tests.synthetic_pages import page_from_text
from tests.test_extract_contribution import CASE_A as CASE_A_RECORD
from tests.test_extract_discharge import DISCHARGE_FORM, NCO_FORM
from tests.test_extract_enlistment import APPROVAL, REGISTRATION
from tests.test_extract_evidence_fields import HOUSEHOLD
from tests.test_extract_identity import ID_CARD, LUMP_SUM, PAYROLL
from tests.test_extract_placement import LETTER_WITH_STUB, STUB
from tests.test_extract_termination import CERTIFICATE, REMOVAL, UNIT_CERTIFICATE

ZHOU = RosterEntry("360899197503141518", "周立新", {"安置方式": "政府安排工作"})
CHEN = RosterEntry("360899197608220933", "陈卫东", {})
LI = RosterEntry("360899197801053014", "李海波", {})
ZHAO = RosterEntry("360899197206114572", "赵红军", {})


def read(doc_id: str, text: str, expected_type: str) -> DocumentFacts:
    """A page as the pipeline would see it: classified, extracted, contribution rows parsed."""
    page = page_from_text(text)
    doc_type = classify_page(page).doc_type
    assert doc_type == expected_type, f"{doc_id} classified as {doc_type}"
    periods = parse_contribution_record([(1, page)]).periods if doc_type == "contribution" else ()
    return DocumentFacts(
        doc_id, doc_type, extract_fields(doc_type, [(1, page)]),
        rows=tuple(extract_rows(doc_type, [(1, page)])), contributions=tuple(periods),
    )  # fmt: skip


def problems(result) -> list[tuple[str, str]]:
    return [(f.code, f.severity) for f in result.flags if f.severity != "info"]


def case_a_documents() -> list[DocumentFacts]:
    return [
        read("approval", APPROVAL, "enlistment"),
        read("registration", REGISTRATION, "enlistment"),
        read("discharge", DISCHARGE_FORM, "discharge"),
        read("letter", LETTER_WITH_STUB, "placement"),
        read("termination", CERTIFICATE, "termination"),
        read("card", ID_CARD, "id_card"),
        read("record", CASE_A_RECORD, "contribution"),
    ]


def test_case_a_bankruptcy_9_pending_21_back_payment_36_service_months():
    result = evaluate_case(ZHOU, case_a_documents(), CaseOptions())
    periods = result.derived.to_dict()["periods"]
    assert (periods["service"]["months"], periods["pending"]["months"], periods["back_payment"]["months"]) == (36, 9, 21)
    assert periods["back_payment"]["ranges"] == [["1997-10", "1997-12"], ["2002-01", "2003-06"]]
    assert (periods["paid"]["months"], periods["arrears"]["months"]) == (48, 18)
    assert problems(result) == []  # complete and consistent; only the note that pending exceeds 6 months


def test_case_b_removal_for_absence_is_an_exclusion():
    decision = read("decision", REMOVAL, "termination")
    result = evaluate_case(CHEN, [decision], CaseOptions(required_doc_types=()))
    flag = next(f for f in result.flags if f.code == "disqualifying_termination")
    assert flag.severity == "error" and "除名" in flag.message and "1999-05-05" in flag.message
    assert result.derived.to_dict()["periods"]["back_payment"]["months"] == 0  # whole_case: nothing is back-paid


def test_case_d_the_transferred_nco_served_12_years():
    result = evaluate_case(ZHAO, [read("nco", NCO_FORM, "discharge")], CaseOptions(required_doc_types=()))
    assert result.derived.to_dict()["service_months"] == 144
    assert result.derived.to_dict()["periods"]["service"]["ranges"] == [["1990-12", "2002-11"]]
    assert problems(result) == []


def test_case_e_the_15_digit_number_on_1993_forms_is_the_same_person():
    registration = read("registration", REGISTRATION, "enlistment")
    assert len(registration.fields["id_number"].raw.strip()) == 15
    links = link_documents([registration], [ZHOU, CHEN])
    assert links[0].case_id_number == ZHOU.id_number
    result = evaluate_case(ZHOU, case_a_documents(), CaseOptions())
    codes = {f.code for f in result.flags}
    assert not codes & {"id_mismatch", "invalid_id_number", "anachronism_id"}


def test_the_household_register_records_the_former_name_of_the_1993_form():
    """Case A's household card: the 曾用名 周利新 lets ID-05 accept old documents spelled that way (E→W: a reviewer
    still looks, told that the register records it)."""
    registration = read("registration", REGISTRATION.replace("周立新", "周利新"), "enlistment")
    register = read("register", HOUSEHOLD, "id_card")
    assert register.value("former_name") == "周利新"
    others = [d for d in case_a_documents() if d.id != "registration"]
    [without] = [f for f in evaluate_case(ZHOU, others + [registration]).flags if f.code == "name_mismatch"]
    assert "同音" in without.message
    result = evaluate_case(ZHOU, others + [registration, register])
    assert problems(result) == [("name_mismatch", "warning")]
    assert "曾用名" in next(f.message for f in result.flags if f.code == "name_mismatch")


def test_a_one_off_self_employment_receipt_of_another_person_stays_off_the_case():
    receipt = read("receipt", LUMP_SUM, "subsidy_voucher")
    links = {link.document_id: link.case_id_number for link in link_documents(case_a_documents() + [receipt], [ZHOU])}
    assert links["receipt"] is None and links["letter"] == ZHOU.id_number


def test_case_c_the_lost_letter_is_dated_by_its_stub():
    """Case C: the letter is lost; its stub dates the placement, the unit's 证明 names the employer's
    former name (the stub's unit) and the 报到 month, the payroll covers the pending months."""
    docs = [
        read("stub", STUB, "placement"),
        read("certificate", UNIT_CERTIFICATE, "termination"),
        read("payroll", PAYROLL, "subsidy_voucher"),
    ]
    li = RosterEntry(LI.id_number, LI.name, {"退伍时间": "1996.12"})
    links = link_documents(docs, [ZHOU, li])
    by_doc = {link.document_id: link for link in links}
    assert (by_doc["stub"].case_id_number, by_doc["certificate"].case_id_number) == (li.id_number, li.id_number)
    # the payroll lists both veterans: each row is its veteran's evidence, the sheet nobody's alone
    assert by_doc["payroll"].case_id_number is None
    assert [(r.row, r.case_id_number) for r in by_doc["payroll"].rows] == [(0, ZHOU.id_number), (1, li.id_number)]
    case_docs = case_documents(docs, links, li.id_number)
    assert [d.value("name") for d in case_docs] == ["李海波"] * 3
    result = evaluate_case(li, case_docs, CaseOptions(required_doc_types=("placement", "termination")))
    assert result.derived.to_dict()["dates"]["placement"]["month"] == "1997-09"
    assert result.derived.to_dict()["dates"]["placement"]["document"] == "stub"
    assert result.derived.to_dict()["periods"]["pending"]["ranges"] == [["1997-01", "1997-09"]]  # 9 months, as the payroll paid
    assert problems(result) == [("unit_mismatch", "warning")]  # resolved by the stated 改制: a warning to check
    notes = [f.message for f in result.flags if f.code == "fact_evidence"]
    assert any("由替代材料证明：安置介绍信存根（文件 stub）" in n and "待安置生活补助发放表（文件 payroll）" in n for n in notes)


def test_a_one_off_self_employment_receipt_of_this_veteran_contradicts_the_placement():
    """The grant receipt, had it been paid to the case's own veteran (a strong contra-indicator,
    docs/documents.md#allowance-payroll-and-one-off-payments)."""
    receipt = read("receipt", LUMP_SUM, "subsidy_voucher")
    sun = RosterEntry("360899197704042022", "孙晓梅", {"安置方式": "政府安排工作"})
    result = evaluate_case(sun, [receipt], CaseOptions(required_doc_types=()))
    assert problems(result) == [("self_employment_grant", "error")]
