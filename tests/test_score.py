"""`casefile eval` scoring on small hand-made truth and report dicts."""
from __future__ import annotations

import copy

import pytest

from report.score import score

ZHOU = "360899197503141518"
CHEN = "360899197608220933"


def truth() -> dict:
    return {
        "schema": "casefile.truth/1",
        "files": [
            {
                "source": "scan_0001.jpg",
                "pages": [{"page": 1, "doc_type": "discharge", "case_id_number": ZHOU, "document": "t0001"}],
            },
            {
                "source": "folder/case_b.pdf",
                "pages": [
                    {"page": 1, "doc_type": "termination", "case_id_number": CHEN, "document": "t0002"},
                    {"page": 2, "doc_type": "termination", "case_id_number": CHEN, "document": "t0002"},
                    {"page": 3, "doc_type": "other", "case_id_number": None, "document": "t0003"},
                ],
            },
        ],
        "documents": [
            {
                "id": "t0001", "source": "scan_0001.jpg", "pages": [1], "doc_type": "discharge",
                "case_id_number": ZHOU,
                "fields": {"name": "周立新", "birth_date": "1975-03", "discharge_date": "1996-12", "service_unit": "05318部队"},
            },
            {
                "id": "t0002", "source": "folder/case_b.pdf", "pages": [1, 2], "doc_type": "termination",
                "case_id_number": CHEN,
                "fields": {"name": "陈卫东", "termination_date": "1999-05-05", "termination_reason": "removal"},
            },
            {"id": "t0003", "source": "folder/case_b.pdf", "pages": [3], "doc_type": "other", "case_id_number": None, "fields": {}},
        ],
        "cases": [
            {"id_number": ZHOU, "name": "周立新", "derived": {"service_months": 36},
             "expected_flags": [{"code": "missing_document", "doc_type": "placement"}]},
            {"id_number": CHEN, "name": "陈卫东", "derived": {},
             "expected_flags": [{"code": "disqualifying_termination"}, {"code": "missing_document", "doc_type": "enlistment"}]},
        ],
    }


def field(value: str) -> dict:
    return {"value": value, "confidence": 0.9, "page": 1, "bbox": [0, 0, 10, 10]}


def flag(code: str, doc_type: str | None = None, severity: str = "error") -> dict:
    return {"code": code, "doc_type": doc_type, "severity": severity, "message": "…", "evidence": []}


def perfect_report() -> dict:
    return {
        "schema": "casefile.report/1",
        "documents": [
            {"id": "d1", "source": "scan_0001.jpg", "pages": [1], "doc_type": "discharge", "doc_type_confidence": 0.9,
             "case_id_number": ZHOU,
             "fields": {"name": field("周立新"), "birth_date": field("1975-03"), "discharge_date": field("1996-12"),
                        "service_unit": field("05318部队")}},
            {"id": "d2", "source": "folder/case_b.pdf", "pages": [1, 2], "doc_type": "termination",
             "doc_type_confidence": 0.9, "case_id_number": CHEN,
             "fields": {"name": field("陈卫东"), "termination_date": field("1999-05-05"),
                        "termination_reason": field("removal")}},
            {"id": "d3", "source": "folder/case_b.pdf", "pages": [3], "doc_type": "other", "doc_type_confidence": 0.5,
             "case_id_number": None, "fields": {}},
        ],
        "cases": [
            {"id_number": ZHOU, "name": "周立新", "documents": ["d1"], "derived": {},
             "flags": [flag("missing_document", "placement"), flag("name_mismatch", severity="info")]},
            {"id_number": CHEN, "name": "陈卫东", "documents": ["d2"], "derived": {},
             "flags": [flag("disqualifying_termination"), flag("missing_document", "enlistment")]},
        ],
        "unmatched_documents": ["d3"],
        "errors": [],
    }


METRICS = ("doc_type_acc", "field_acc", "case_link_acc", "flag_precision", "flag_recall")


def test_perfect_report_scores_one_everywhere():
    result = score(truth(), perfect_report())
    assert {k: result[k] for k in METRICS} == {k: 1.0 for k in METRICS}
    assert result["detail"]["missed_flags"] == [] and result["detail"]["spurious_flags"] == []
    assert result["detail"]["counts"]["pages"] == 4
    assert result["detail"]["field_accuracy"]["name"] == {"correct": 2, "total": 2, "accuracy": 1.0}


def test_wrong_document_type_counts_per_page_and_shows_in_confusion():
    report = perfect_report()
    report["documents"][1]["doc_type"] = "placement"
    result = score(truth(), report)
    assert result["doc_type_acc"] == pytest.approx(2 / 4)
    assert result["detail"]["doc_type_confusion"]["termination"] == {"placement": 2}
    assert result["case_link_acc"] == 1.0


def test_missing_page_counts_wrong_for_type_and_link():
    report = perfect_report()
    report["documents"][1]["pages"] = [1]  # page 2 of case_b.pdf is in no report document
    result = score(truth(), report)
    assert result["doc_type_acc"] == pytest.approx(3 / 4)
    assert result["case_link_acc"] == pytest.approx(3 / 4)
    assert result["detail"]["missing_pages"] == [{"source": "folder/case_b.pdf", "page": 2}]
    assert result["field_acc"] == 1.0  # the document still overlaps its truth document on page 1


def test_dates_match_at_month_precision_names_after_nfkc_and_spaces():
    report = perfect_report()
    fields = report["documents"][0]["fields"]
    fields["discharge_date"] = field("1996-12-01")  # truth has 1996-12
    fields["name"] = field("周 立新")
    fields["service_unit"] = field("０５３１８部队")  # full-width digits
    report["documents"][1]["fields"]["termination_date"] = field("1999-05-28")
    assert score(truth(), report)["field_acc"] == 1.0


def test_wrong_and_absent_fields():
    report = perfect_report()
    report["documents"][0]["fields"]["birth_date"] = field("1975-04")
    del report["documents"][1]["fields"]["termination_reason"]
    result = score(truth(), report)
    assert result["field_acc"] == pytest.approx(5 / 7)
    assert result["detail"]["field_accuracy"]["birth_date"]["accuracy"] == 0.0
    assert {w["field"] for w in result["detail"]["wrong_fields"]} == {"birth_date", "termination_reason"}


def test_wrong_case_link_and_null_equals_null():
    report = perfect_report()
    report["documents"][0]["case_id_number"] = None
    result = score(truth(), report)
    assert result["case_link_acc"] == pytest.approx(3 / 4)  # the "other" page's null == null is right


def test_spurious_flag_lowers_precision_only():
    report = perfect_report()
    report["cases"][0]["flags"].append(flag("date_order"))
    report["cases"].append({"id_number": "360899197801053014", "name": "李海波", "documents": [], "derived": {},
                            "flags": [flag("missing_document", "placement")]})  # a case not in the truth
    result = score(truth(), report)
    assert result["flag_precision"] == pytest.approx(3 / 5)
    assert result["flag_recall"] == 1.0
    assert {(f["case"], f["code"]) for f in result["detail"]["spurious_flags"]} == {
        (ZHOU, "date_order"), ("360899197801053014", "missing_document")
    }


def test_missed_flag_lowers_recall_only_and_info_flags_do_not_count():
    report = perfect_report()
    report["cases"][1]["flags"] = [flag("disqualifying_termination"), flag("missing_document", "enlistment", "info")]
    result = score(truth(), report)
    assert result["flag_precision"] == 1.0
    assert result["flag_recall"] == pytest.approx(2 / 3)
    assert result["detail"]["missed_flags"] == [{"case": CHEN, "code": "missing_document", "doc_type": "enlistment"}]


def test_nothing_expected_and_nothing_predicted():
    t, r = truth(), perfect_report()
    for case in t["cases"]:
        case["expected_flags"] = []
    for case in r["cases"]:
        case["flags"] = []
    result = score(t, r)
    assert (result["flag_precision"], result["flag_recall"]) == (1.0, 1.0)
    only_expected = score(truth(), r)
    assert (only_expected["flag_precision"], only_expected["flag_recall"]) == (0.0, 0.0)


def test_sources_compare_with_forward_slashes_and_largest_overlap_wins():
    report = perfect_report()
    report["documents"][1]["source"] = "folder\\case_b.pdf"
    # a stray one-page document that also claims page 2 loses to the two-page one for fields
    report["documents"].append({"id": "d4", "source": "./folder/case_b.pdf", "pages": [2], "doc_type": "termination",
                                "doc_type_confidence": 0.3, "case_id_number": CHEN, "fields": {}})
    result = score(truth(), report)
    assert {k: result[k] for k in METRICS} == {k: 1.0 for k in METRICS}


def test_wrong_schema_is_refused_and_inputs_are_not_modified():
    t, r = truth(), perfect_report()
    before = copy.deepcopy((t, r))
    score(t, r)
    assert (t, r) == before
    with pytest.raises(ValueError, match="casefile.report/1"):
        score(t, {**r, "schema": "casefile.report/0"})


def test_the_report_contract_names_every_field_and_document_type():
    import json

    from core.types import DOC_TYPES, FIELD_NAMES
    from report.contract import SCHEMA_PATH

    defs = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["$defs"]
    assert (tuple(defs["field_name"]["enum"]), tuple(defs["doc_type"]["enum"])) == (FIELD_NAMES, DOC_TYPES)


# ---- calibration, distractors, exclusions ------------------------------------------------------


def test_reliability_bands_and_expected_calibration_error():
    from report.score import reliability

    items = [(0.95, True)] * 9 + [(0.95, False)] + [(0.55, True)] * 1 + [(0.55, False)] * 1
    table = reliability(items)
    assert [b["band"] for b in table["bands"]] == ["0.5-0.6", "0.9-1.0"]
    assert table["bands"][1] == {"band": "0.9-1.0", "count": 10, "mean_confidence": 0.95, "correct": 0.9}
    # |0.95-0.9| weighted 10/12 + |0.55-0.5| weighted 2/12
    assert table["ece"] == pytest.approx(10 / 12 * 0.05 + 2 / 12 * 0.05, abs=1e-4)
    assert table["confident_correct"] == pytest.approx(0.9)


def test_confident_wrong_pages_raise_the_doc_type_calibration_error():
    report = perfect_report()
    good = score(truth(), report)["doc_type_ece"]
    report["documents"][1]["doc_type"], report["documents"][1]["doc_type_confidence"] = "placement", 0.99
    assert score(truth(), report)["doc_type_ece"] > good + 0.3


def test_distractor_pages_must_come_out_other_and_never_confidently_a_veteran_type():
    t = truth()
    t["documents"][2]["layout"] = "distractor:health_check"
    report = perfect_report()
    assert score(t, report)["distractor_other_acc"] == 1.0
    report["documents"][2].update(doc_type="id_card", doc_type_confidence=0.85)
    result = score(t, report)
    assert result["distractor_other_acc"] == 0.0 and result["distractors_confident_veteran"] == 1


def test_an_excluding_document_must_be_flagged_or_listed():
    report = perfect_report()
    assert score(truth(), report)["exclusions_unseen"] == 0
    report["cases"][1]["flags"] = [flag("missing_document", "enlistment")]
    report["documents"][1]["case_id_number"] = None
    assert score(truth(), report)["exclusions_unseen"] == 1
    report["possible_exclusions"] = [{"document": "d2", "candidates": [{"id_number": CHEN, "name": "陈卫东"}]}]
    assert score(truth(), report)["exclusions_unseen"] == 0
