"""The main job, as a clerk runs it: `casefile run` on the committed sample batch, then `casefile eval`.

These run the real CLI in a subprocess on the embedded default (SQLite, local files, page pool).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from report import validate_report
from report.score import score
from tests.bad_inputs import write_bad_batch

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "fixtures" / "sample"


def casefile(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "casefile.cli", *args], capture_output=True, text=True, cwd=cwd or ROOT, timeout=1800
    )


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("sample")
    proc = casefile(
        "run", str(SAMPLE / "batch"), "--roster", str(SAMPLE / "roster.csv"),
        "--report-json", str(out / "report.json"), "--workspace", str(out / "ws"),
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, json.loads((out / "report.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_sample_report_keeps_the_contract(sample_run):
    _, report = sample_run
    validate_report(report)
    truth = json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))
    truth_pages = {(f["source"], p["page"]) for f in truth["files"] for p in f["pages"]}
    report_pages = {(d["source"], p) for d in report["documents"] for p in d["pages"]}
    assert report_pages == truth_pages  # every page of every file is accounted for
    assert report["errors"] == []


@pytest.mark.slow
def test_sample_scores_meet_the_floors(sample_run):
    out, _ = sample_run
    proc = casefile("eval", str(SAMPLE / "truth.json"), str(out / "report.json"), "--json")
    assert proc.returncode == 0, proc.stderr
    scores = json.loads(proc.stdout)
    assert set(scores) >= {"doc_type_acc", "field_acc", "case_link_acc", "flag_precision", "flag_recall"}
    assert scores["doc_type_acc"] >= 0.95
    # Of the sample's 58 pages, the grey-seal decision below and two of the four distractor pages
    # stay unmatched: an old payroll that prints no ID number (a name alone never links) and a
    # reimbursement form whose ID number the OCR misread.
    assert scores["case_link_acc"] >= 0.94
    assert scores["field_acc"] >= 0.85
    # Known miss on the sample: on Scan_20201129_038.png a grey (photocopied) seal covers the
    # issuer's name, RapidOCR at max_side_len=1280 reads only "自来", so the 自动离职 decision
    # cannot be linked to its veteran and disqualifying_termination is missed (1 of 5 flags).
    # The acceptance floors (recall 1.0) are measured on fresh seeds of both families: see the
    # README's Status.
    assert scores["flag_recall"] >= 0.8
    assert scores["flag_precision"] >= 0.8


def test_the_unlinkable_exclusion_of_the_sample_is_listed_with_its_veteran_first(sample_run):
    """The 自动离职 decision the grey seal keeps unmatched (above) is not just unmatched: it is a
    possible exclusion whose closest roster candidate is its veteran (issue #10)."""
    _, report = sample_run
    truth = json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))
    listed = {x["document"]: x for x in report["possible_exclusions"]}
    assert set(listed) <= set(report["unmatched_documents"])
    scores = score(truth, report)
    assert scores["exclusions_unseen"] == 0, scores["detail"]["exclusions_unseen"]
    by_doc = {d["id"]: d for d in report["documents"]}
    truth_owner = {(f["source"], p["page"]): p.get("case_id_number") for f in truth["files"] for p in f["pages"]}
    for doc_id, entry in listed.items():
        doc = by_doc[doc_id]
        owner = truth_owner.get((doc["source"], doc["pages"][0]))
        if owner:
            assert entry["candidates"][0]["id_number"] == owner


@pytest.mark.slow
def test_uploading_the_same_batch_again_processes_nothing_twice(sample_run):
    out, first = sample_run
    proc = casefile(
        "run", str(SAMPLE / "batch"), "--roster", str(SAMPLE / "roster.csv"),
        "--report-json", str(out / "again.json"), "--workspace", str(out / "ws"), "--no-summary",
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    again = json.loads((out / "again.json").read_text(encoding="utf-8"))
    assert {d["id"] for d in again["documents"]} == {d["id"] for d in first["documents"]}
    assert len(again["duplicates"]) == len({d["source"] for d in first["documents"]})
    assert all("内容完全相同" in d["message"] for d in again["duplicates"])


def test_bad_files_are_reported_by_name_and_the_rest_goes_on(tmp_path):
    files = write_bad_batch(tmp_path / "batch")
    proc = casefile(
        "run", str(tmp_path / "batch"), "--report-json", str(tmp_path / "report.json"),
        "--workspace", str(tmp_path / "ws"), "--engine", "tesseract", "--workers", "1", "--no-summary",
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    validate_report(report)
    errors = {e["source"]: e["message"] for e in report["errors"]}
    assert set(errors) == {"corrupt.jpg", "locked.pdf", "empty.png", "letter.pdf", "bundle.zip/../../etc/evil.jpg"}
    assert "损坏" in errors["corrupt.jpg"] and "加密" in errors["locked.pdf"]
    assert "0 字节" in errors["empty.png"] and "Word" in errors["letter.pdf"] and "路径穿越" in errors["bundle.zip/../../etc/evil.jpg"]
    # The zip's good member has the same bytes as good.jpg: processed once, the repeat pointed out.
    processed = {d["source"] for d in report["documents"]}
    assert processed == {"bundle.zip/inside/ok.jpg"}
    assert [(d["source"], d["same_as"]) for d in report["duplicates"]] == [("good.jpg", "bundle.zip/inside/ok.jpg")]
    for name, data in files.items():
        assert (tmp_path / "batch" / name).read_bytes() == data


def test_the_case_commands_read_the_same_workspace(sample_run, tmp_path):
    out, report = sample_run
    ws = ["--workspace", str(out / "ws")]
    listed = json.loads(casefile("cases", "--json", *ws).stdout)
    assert sorted(c["id_number"] for c in listed) == sorted(c["id_number"] for c in report["cases"])
    assert all(c["stage"] == "暂存" for c in listed)

    first = report["cases"][0]
    one = json.loads(casefile("case", first["id_number"], "--json", *ws).stdout)
    assert one["name"] == first["name"] and one["stage"] == "暂存"
    assert [m["action"] for m in one["moves"]] == ["受理", "退回补正", "不予受理"]
    assert len(one["flags"]) == len(first["flags"])
    absent = [f for f in one["flags"] if f["code"] == "missing_document" or f["message"].startswith("未见能证明")]
    assert all(f["evidence"] for f in one["flags"] if f not in absent)  # what is not there cannot be cited

    stats = json.loads(casefile("stats", "--json", *ws).stdout)
    assert stats["cases_total"] == len(report["cases"])
    assert next(s for s in stats["stages"] if s["code"] == "draft")["now"] == len(report["cases"])

    casefile("export", "--xlsx", str(tmp_path / "cases.xlsx"), *ws)
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "cases.xlsx")["案卷"]
    assert sheet.max_row == len(report["cases"]) + 1
    assert casefile("case", "110101199001011237", *ws).returncode == 2
