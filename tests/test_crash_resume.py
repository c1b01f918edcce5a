"""Crash-safe embedded runs: `casefile run` SIGKILLed during ingest, during page reading, while
finalising a file and during case evaluation, then the same command again on the same workspace, gives the report an
uninterrupted run gives, with every page recorded once.

The moment of each kill is certain (tests/faults.py, CASEFILE_TEST_KILL_AT), not timing luck. The
batch is born-digital (text layers, no OCR) so each run takes seconds: the pages still go through
the same page processes, finalisation and close as scanned ones.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from devtools.localcluster import CASEFILE, ROOT
from tests.born_digital import certificate_pdf, payroll_pdf
from tests.test_distributed import assert_same_report

SAMPLE = ROOT / "fixtures" / "sample"
ROSTER = "\ufeff序号,姓名,公民身份号码,性别,安置方式,联系电话,备注\n" + "\n".join(
    [
        "1,周立新,360899197503141518,男,转业,13800000001,",
        "2,夏新,360896197803145351,男,转业,13800000002,",
    ]
) + "\n"


def write_batch(folder: Path) -> Path:
    """8 files, 9 pages to read: single and multi-page PDFs, a repeat of one of them inside the
    batch and a file that is refused."""
    folder.mkdir(parents=True)
    cert = certificate_pdf(2)
    (folder / "a_cert.pdf").write_bytes(cert)
    (folder / "b_cert3.pdf").write_bytes(certificate_pdf(3))
    (folder / "c_payroll.pdf").write_bytes(payroll_pdf())
    for name in ("download (27).pdf", "download (28).pdf"):
        shutil.copy(SAMPLE / "batch" / name, folder / name)
    (folder / "d_cert1.pdf").write_bytes(certificate_pdf(1))
    (folder / "e_copy").mkdir()
    (folder / "e_copy" / "a_cert.pdf").write_bytes(cert)  # a repeat of a_cert.pdf
    (folder / "f_notes.txt").write_text("不是扫描件", encoding="utf-8")
    (folder.parent / "roster.csv").write_text(ROSTER, encoding="utf-8")
    return folder


def run(batch: Path, workspace: Path, report: Path, kill_at: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFILE_")}
    env |= {"CASEFILE_WORKSPACE": str(workspace), "CASEFILE_PLUGINS": "tests.faults", "PYTHONPATH": str(ROOT)}
    if kill_at:
        env["CASEFILE_TEST_KILL_AT"] = kill_at
    return subprocess.run(
        [*CASEFILE, "run", str(batch), "--roster", str(batch.parent / "roster.csv"), "--report-json", str(report),
         "--workers", "2", "--no-summary"],
        env=env, capture_output=True, text=True, timeout=300, cwd=batch.parent,
    )


def sql(workspace: Path, query: str) -> list[tuple]:
    with sqlite3.connect(workspace / "casefile.sqlite3") as db:
        return db.execute(query).fetchall()


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("uninterrupted")
    batch = write_batch(base / "scans")
    proc = run(batch, base / "ws", base / "report.json")
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads((base / "report.json").read_text(encoding="utf-8"))
    assert len(report["documents"]) >= 6 and report["cases"] and report["duplicates"] and report["errors"]
    return report


# What a SIGKILL at each moment must have left behind, so that the rerun has something to mend.
LEFT_BEHIND = {
    # two files received (stored and recorded, never split into pages), the third never recorded
    "ingest:3": [
        ("SELECT status FROM records_batch", [("receiving",)]),
        ("SELECT count(*), min(status), max(status) FROM records_sourcefile", [(2, "pending", "pending")]),
        ("SELECT count(*) FROM records_page", [(0,)]),
    ],
    # three pages read, at least one left running by the process the kill took down
    "ocr:3": [
        ("SELECT status FROM records_batch", [("open",)]),
        ("SELECT count(*) > 0 FROM records_page WHERE status = 'running'", [(1,)]),
        ("SELECT count(*) > 0 FROM records_page WHERE status = 'pending'", [(1,)]),
    ],
    # a file claimed for finalisation, its documents never written
    "finalize:2": [
        ("SELECT status FROM records_batch", [("open",)]),
        ("SELECT count(*) FROM records_sourcefile WHERE status = 'finalizing'", [(1,)]),
    ],
    # every file final, the close claimed, its work rolled back
    "close": [
        ("SELECT status FROM records_batch", [("closing",)]),
        ("SELECT count(*) FROM records_sourcefile WHERE status NOT IN ('done', 'failed')", [(0,)]),
        ("SELECT count(*) FROM records_flag", [(0,)]),
    ],
}


@pytest.mark.parametrize("kill_at", list(LEFT_BEHIND))
def test_a_run_killed_and_run_again_gives_the_uninterrupted_report(kill_at, uninterrupted, tmp_path):
    batch, workspace = write_batch(tmp_path / "scans"), tmp_path / "ws"
    killed = run(batch, workspace, tmp_path / "killed.json", kill_at)
    assert killed.returncode == -9, (killed.returncode, killed.stderr[-3000:])
    assert not (tmp_path / "killed.json").exists()
    for query, expected in LEFT_BEHIND[kill_at]:
        assert sql(workspace, query) == expected, query

    again = run(batch, workspace, tmp_path / "report.json")
    assert again.returncode == 0, again.stderr[-3000:]
    assert "0 份材料" not in again.stdout
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert_same_report(report, uninterrupted)

    # One batch, every page recorded once, every file counted once, nothing left in between.
    assert sql(workspace, "SELECT count(*), min(status) FROM records_batch") == [(1, "closed")]
    assert sql(workspace, "SELECT count(*) FROM records_page WHERE status NOT IN ('done', 'failed')") == [(0,)]
    assert sql(workspace, "SELECT count(*) FROM records_sourcefile WHERE pages_done <> pages_total") == [(0,)]
    assert sql(workspace, "SELECT count(*) FROM records_batchfile") == [(8,)]
    assert sql(workspace, "SELECT count(*) FROM records_document") == [(len(report["documents"]),)]
    if kill_at.startswith("ocr"):  # the half-done page was started again, and that start counted
        assert sql(workspace, "SELECT max(attempts) FROM records_page") == [(2,)]
    # No page process outlived the killed run (they die with it): the runner locks are free.
    assert list((workspace / "runners").glob("*.lock")) == []


def test_sweep_in_the_embedded_mode_finishes_what_a_killed_run_left(tmp_path):
    """`casefile sweep` alone on the workspace takes the dead run's work back at once."""
    batch, workspace = write_batch(tmp_path / "scans"), tmp_path / "ws"
    assert run(batch, workspace, tmp_path / "killed.json", "ocr:3").returncode == -9
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFILE_")}
    env |= {"CASEFILE_WORKSPACE": str(workspace), "PYTHONPATH": str(ROOT)}
    sweep = subprocess.run([*CASEFILE, "sweep"], env=env, capture_output=True, text=True, timeout=300)
    assert sweep.returncode == 0, sweep.stderr[-3000:]
    assert "重新排队 0 页" not in sweep.stdout
    assert sql(workspace, "SELECT count(*) FROM records_page WHERE status NOT IN ('done', 'failed')") == [(0,)]
    assert sql(workspace, "SELECT count(*) FROM records_sourcefile WHERE pages_done <> pages_total") == [(0,)]


def test_another_command_after_a_crash_still_reads_what_the_dead_run_stored(uninterrupted, tmp_path):
    """Not the same command (here another label): a new batch, in which the files the dead run had
    stored are repeats, but repeats of files never read, so they are read now, not reported empty."""
    batch, workspace = write_batch(tmp_path / "scans"), tmp_path / "ws"
    assert run(batch, workspace, tmp_path / "killed.json", "ingest:3").returncode == -9
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFILE_")}
    env |= {"CASEFILE_WORKSPACE": str(workspace), "PYTHONPATH": str(ROOT)}
    other = subprocess.run(
        [*CASEFILE, "run", str(batch), "--roster", str(batch.parent / "roster.csv"), "--report-json",
         str(tmp_path / "report.json"), "--label", "重新上传", "--no-summary"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert other.returncode == 0, other.stderr[-3000:]
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert len(report["documents"]) == len(uninterrupted["documents"])
    assert sorted(d["source"] for d in report["duplicates"]) == ["a_cert.pdf", "b_cert3.pdf", "e_copy/a_cert.pdf"]
    assert sql(workspace, "SELECT count(*) FROM records_page WHERE status NOT IN ('done', 'failed')") == [(0,)]
