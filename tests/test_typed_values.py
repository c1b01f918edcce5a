"""Typed values past extraction (issue #14, item 4): the coded values carry their words, a rule's
flag is typed, what a case works out is a CaseDerived that reads back from its stored form, and
public ids are parsed in one place."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from cases import CaseDerived, CaseOptions, evaluate_case
from cases.rules import RULE_PACK
from core.codes import CaseStage, DocType, FlagCode, Severity
from core.labels import CODE_VOCABULARIES, DOC_TYPE_SHORT, DOC_TYPE_ZH, FLAG_ZH, SEVERITY_ZH, STAGE_ZH
from core.types import DOC_TYPES, EvidenceRef, RuleFlag
from tests.test_cases_rules import CASE_A, case_a_documents
from tests.test_golden_cases import ZHOU
from tests.test_golden_cases import case_a_documents as case_a_read_from_pages

ROOT = Path(__file__).resolve().parent.parent


def test_a_code_is_its_stored_text_and_carries_its_words():
    assert DocType.PLACEMENT == "placement" and json.dumps([DocType.PLACEMENT]) == '["placement"]'
    assert DocType("placement").short == "安置介绍信" and DocType.PLACEMENT.zh == "安置介绍信（或存根）"
    assert DOC_TYPES == tuple(DOC_TYPE_ZH) == tuple(DOC_TYPE_SHORT) and all(type(t) is str for t in DOC_TYPES)
    assert FLAG_ZH["unit_mismatch"] == FlagCode.UNIT_MISMATCH.zh == "安置单位与用人单位不一致"
    assert SEVERITY_ZH == {"error": "错误", "warning": "警告", "info": "提示"}
    assert STAGE_ZH == dict(CaseStage.labelled())
    assert CODE_VOCABULARIES["flags"] == tuple(code.value for code in FlagCode)


def test_every_rule_raises_a_declared_code_and_every_code_has_a_rule():
    assert {rule.code for rule in RULE_PACK} == {code.value for code in FlagCode}


def test_a_rule_flag_takes_its_codes_as_enums_and_refuses_an_unknown_one():
    flag = RuleFlag("missing_document", "error", "缺少安置介绍信。", doc_type="placement")
    assert (flag.code, flag.severity, flag.doc_type) == (FlagCode.MISSING_DOCUMENT, Severity.ERROR, DocType.PLACEMENT)
    assert flag.to_dict() == {"code": "missing_document", "doc_type": "placement", "severity": "error",
                              "message": "缺少安置介绍信。", "evidence": []}
    with pytest.raises(ValueError):
        RuleFlag("missing_documents", "error", "…")
    with pytest.raises(ValueError):
        RuleFlag("missing_document", "fatal", "…")


@pytest.mark.parametrize("make_case", [
    lambda: evaluate_case(CASE_A, case_a_documents(), CaseOptions()),
    lambda: evaluate_case(ZHOU, case_a_read_from_pages(), CaseOptions()),  # with its contribution record
    lambda: evaluate_case(CASE_A, case_a_documents()[:1], CaseOptions()),  # hardly any dates
])
def test_what_a_case_works_out_reads_back_from_its_stored_form(make_case):
    derived = make_case().derived
    stored = json.loads(json.dumps(derived.to_dict()))  # as the JSON column holds it
    assert CaseDerived.from_dict(stored) == derived
    assert json.dumps(CaseDerived.from_dict(stored).to_dict()) == json.dumps(stored)  # same keys, same order


def test_the_stored_form_is_the_report_contract():
    stored = evaluate_case(ZHOU, case_a_read_from_pages(), CaseOptions()).derived.to_dict()
    assert list(stored) == ["service_months", "pending_placement_months", "pending_period", "dates", "periods"]
    assert stored["pending_period"]["start_evidence"] == {"document": "discharge", "field": "discharge_date"}
    assert list(stored["periods"]) == ["service", "pending", "employment", "after_termination", "paid", "arrears",
                                       "interrupted", "back_payment", "contribution_record"]
    assert "start_evidence" in stored["periods"]["service"] and "start_evidence" not in stored["periods"]["paid"]
    assert stored["periods"]["after_termination"]["end_evidence"] is None


def test_a_case_not_evaluated_has_nothing_worked_out():
    from records.models import Case

    case = Case(id_number="360899197503141518", name="周立新")
    assert case.derived_values is None
    case.derived_values = evaluate_case(CASE_A, case_a_documents(), CaseOptions()).derived
    assert case.derived_values.service_months == 36 and case.derived["service_months"] == 36


def test_public_ids_are_parsed_in_one_place():
    from records.models import Document
    from web.templatetags.casefile_tags import id_runs

    assert Document.pk_of("D000123") == 123 and Document.pk_of("D1") == 1
    assert id_runs(["D000005", "D000006", "D000007", "D000009", "D000010"]) == "D000005–D000007、D000009–D000010"
    assert [Document.pk_of(text) for text in ("", None, "D", "X000123", "D12a", "123")] == [None] * 6
    assert EvidenceRef.from_dict({"document": "D000123", "field": "name"}) == EvidenceRef("D000123", "name")


def test_no_document_type_is_compared_as_a_bare_string():
    """Types compare with their enum (core/codes.py): a misspelt one fails loudly instead of never matching."""
    tracked = subprocess.run(["git", "ls-files", "*.py"], capture_output=True, text=True, cwd=ROOT, check=True).stdout.split()
    bare = re.compile(r"""doc_type"?\]?\)? *(==|!=) *["'](%s)["']""" % "|".join(DOC_TYPES))
    found = [f"{path}:{n}" for path in tracked if not path.startswith(("tests/", "fixtures/"))
             for n, line in enumerate((ROOT / path).read_text(encoding="utf-8").splitlines(), 1) if bare.search(line)]
    assert found == []
