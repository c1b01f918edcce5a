"""Provisional flags (issue #10): a flag an unconfirmed, uncertain page may cause names that page
and says it is provisional; a confirmed page, a certain one, or an unrelated rule leave it alone."""
from __future__ import annotations

from dataclasses import replace

from cases import CaseOptions, evaluate_case
from cases.rules import RuleOptions
from cases.rules.provisional import DATED_CODES, mark_provisional
from core.types import EvidenceRef, ExtractedField, RuleFlag
from tests.test_cases_rules import CASE_A, case_a_documents, doc


def without(docs, doc_id):
    return [d for d in docs if d.id != doc_id]


def stray(doc_type="other", confidence=0.41, **kw):
    """A one-page document of Case A whose type the classifier was unsure of."""
    return replace(doc("D000042", doc_type, name="周立新"), pages=(3,), type_confidence=confidence, **kw)


def flag_of(result, code):
    found = [f for f in result.flags if f.code == code]
    assert found, [f.code for f in result.flags]
    return found[0]


def test_a_missing_document_names_the_uncertain_page_that_may_be_it():
    docs = without(case_a_documents(), "letter") + [stray()]
    flag = flag_of(evaluate_case(CASE_A, docs, CaseOptions()), "missing_document")
    assert flag.doc_type == "placement"
    assert flag.provisional == {
        "documents": ["D000042"],
        "pages": [{"document": "D000042", "page": 3, "cause": "doc_type"}],
    }
    assert flag.message.endswith("（暂定：文件 D000042 第 3 页类型未确认，确认后重新判断）")
    assert flag.to_dict()["provisional"]["documents"] == ["D000042"]
    assert flag.severity == "error"  # still a problem until someone looks


def test_a_confirmed_or_certain_document_never_makes_a_flag_provisional():
    base = without(case_a_documents(), "letter")
    for other in (stray(confirmed=True), stray(confidence=0.95), stray(confidence=None)):
        flag = flag_of(evaluate_case(CASE_A, base + [other], CaseOptions()), "missing_document")
        assert flag.provisional is None and "暂定" not in flag.message and "provisional" not in flag.to_dict()


def test_the_type_threshold_is_the_policys():
    docs = without(case_a_documents(), "letter") + [stray(confidence=0.6)]
    assert flag_of(evaluate_case(CASE_A, docs, CaseOptions()), "missing_document").provisional
    strict = CaseOptions(rules=RuleOptions(type_confidence_threshold=0.5))
    assert flag_of(evaluate_case(CASE_A, docs, strict), "missing_document").provisional is None


def test_a_stored_runner_up_narrows_the_suspects():
    base = without(case_a_documents(), "letter")
    elsewhere = stray(possible_types=("termination",))
    assert flag_of(evaluate_case(CASE_A, base + [elsewhere], CaseOptions()), "missing_document").provisional is None
    likely = stray(possible_types=("placement",))
    assert flag_of(evaluate_case(CASE_A, base + [likely], CaseOptions()), "missing_document").provisional


def test_a_document_of_the_missing_type_itself_is_no_suspect():
    flags = [RuleFlag("missing_document", "error", "缺少安置介绍信。", doc_type="placement")]
    same_type = stray(doc_type="placement")
    assert mark_provisional(flags, [same_type], RuleOptions()) == flags


def test_a_date_flag_resting_on_an_uncertain_read_names_its_page():
    docs = case_a_documents()
    # The letter's date misread as 1995: before the discharge, so the timeline is out of order.
    letter = next(d for d in docs if d.id == "letter")
    misread = ExtractedField("placement_date", "1995-09-20", "1995年9月20日", 0.55, 2, (0, 0, 10, 10))
    docs = [replace(d, fields=d.fields | {"placement_date": misread}) if d is letter else d for d in docs]
    flag = flag_of(evaluate_case(CASE_A, docs, CaseOptions()), "date_order")
    assert flag.provisional["pages"] == [{"document": "letter", "page": 2, "cause": "field", "field": "placement_date"}]
    assert "（暂定：文件 letter 第 2 页的安置介绍信开具时间识别置信度低、未确认，确认后重新判断）" in flag.message
    # Confirmed by a reviewer (the field, or the whole document): the flag stands as it is.
    for checked in (replace(letter, fields=letter.fields | {"placement_date": misread}, reviewed_fields=frozenset({"placement_date"})),
                    replace(letter, fields=letter.fields | {"placement_date": misread}, confirmed=True)):
        again = [checked if d.id == "letter" else d for d in docs]
        flag = flag_of(evaluate_case(CASE_A, again, CaseOptions()), "date_order")
        assert flag.provisional is None and "暂定" not in flag.message


def test_only_rules_that_rest_on_dates_are_reconsidered_for_a_field():
    assert {"date_order", "service_dates", "future_date", "report_date"} <= DATED_CODES
    assert "name_mismatch" not in DATED_CODES and "disqualifying_termination" not in DATED_CODES
    low = doc("card", "id_card", confidence=0.3, name="张三", enlistment_date="1993-12")
    name_flag = RuleFlag("name_mismatch", "error", "姓名不一致。", (EvidenceRef("card", "name"),))
    date_flag = RuleFlag("service_dates", "warning", "入伍时间不一致。", (EvidenceRef("card", "enlistment_date"),))
    marked = mark_provisional([name_flag, date_flag], [low], RuleOptions())
    assert marked[0] is name_flag
    assert marked[1].provisional["pages"][0]["field"] == "enlistment_date"


def test_the_field_threshold_is_the_policys():
    low = doc("card", "id_card", confidence=0.7, enlistment_date="1993-12")
    flag = RuleFlag("service_dates", "warning", "入伍时间不一致。", (EvidenceRef("card", "enlistment_date"),))
    assert mark_provisional([flag], [low], RuleOptions())[0].provisional
    assert mark_provisional([flag], [low], RuleOptions(field_confidence_threshold=0.6))[0].provisional is None


def test_case_a_complete_and_certain_has_no_provisional_flag():
    docs = [replace(d, type_confidence=0.97, pages=(1,)) for d in case_a_documents()]
    assert all(f.provisional is None for f in evaluate_case(CASE_A, docs, CaseOptions()).flags)


def test_the_thresholds_are_policy_checked_before_anything_runs(tmp_path):
    import pytest

    from config.options import PolicyError, load_policy

    good = tmp_path / "good.toml"
    good.write_text("[cases.rules]\ntype_confidence_threshold = 0.7\nfield_confidence_threshold = 0.85\n", encoding="utf-8")
    rules = load_policy(good)["cases"].rules
    assert (rules.type_confidence_threshold, rules.field_confidence_threshold) == (0.7, 0.85)
    bad = tmp_path / "bad.toml"
    bad.write_text("[cases.rules]\ntype_confidence_threshold = 1.5\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="type_confidence_threshold"):
        load_policy(bad)
    assert RuleOptions().type_confidence_threshold == 0.8 and RuleOptions().field_confidence_threshold == 0.9
