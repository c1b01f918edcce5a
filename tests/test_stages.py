"""core/stages.py, the per-stage CPU timer, and what `casefile bench` builds from it. The timer's
arithmetic is checked on a fake clock (no timed assertion); a real run is checked for the stages
every process wrote, not for how long they took."""
from __future__ import annotations

import json
import os
import subprocess

import cv2
import numpy as np
import pytest

from core import stages
from core.stages import stage, timed
from devtools.bench import PAGE_GLUE, RUN_GLUE, Measurement, read_stage_times, stage_rows
from devtools.localcluster import CASEFILE, ROOT


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.children = 0.0

    def advance(self, seconds: float, children: float = 0.0) -> None:
        self.now += seconds
        self.children += children


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(stages.time, "thread_time", lambda: fake.now)
    monkeypatch.setattr(stages, "_children_cpu", lambda: fake.children)
    saved = dict(stages._totals)
    stages.reset()
    yield fake
    stages.reset()
    stages._totals.update(saved)


def test_a_nested_stage_is_counted_in_itself_not_in_its_parent(clock):
    with stage("outer"):
        clock.advance(1.0)
        with stage("inner"):
            clock.advance(2.0)
            assert stages.current() == "inner"
        clock.advance(3.0)
        assert stages.current() == "outer"
    assert stages.current() is None
    with stage("inner"):
        clock.advance(0.5)
    assert stages.totals() == {"outer": (4.0, 1), "inner": (2.5, 2)}


def test_child_processes_count_only_where_asked_and_not_twice(clock):
    with stage("python"):
        clock.advance(1.0, children=5.0)  # a child another stage waited for earlier: not ours
        with stage("tesseract", subprocesses=True):
            clock.advance(0.25, children=2.0)
        clock.advance(1.0)
    assert stages.totals() == {"python": (2.0, 1), "tesseract": (2.25, 1)}


def test_an_exception_still_closes_the_stage(clock):
    with pytest.raises(ValueError):
        with stage("failing"):
            clock.advance(1.0)
            raise ValueError("boom")
    assert stages.current() is None and stages.totals() == {"failing": (1.0, 1)}


def test_timed_counts_producing_items_not_the_loop_body(clock):
    def pages():
        for n in range(3):
            clock.advance(1.0)  # decoding a page
            yield n

    seen = []
    with stage("loop"):
        for n in timed("decode", pages()):
            clock.advance(10.0)  # what the caller does with it
            seen.append(n)
    assert seen == [0, 1, 2]
    assert stages.totals() == {"decode": (3.0, 4), "loop": (30.0, 1)}


def test_flush_writes_the_totals_and_peak_rss(clock, tmp_path):
    with stage("x"):
        clock.advance(1.5)
    path = stages.flush(tmp_path, "page process")
    data = json.loads(path.read_text())
    assert path.name == f"{os.getpid()}.json"
    assert data["role"] == "page process" and data["stages"] == {"x": {"cpu_s": 1.5, "calls": 1}}
    assert data["peak_rss_mb"] > 10 and data["cpu_s"] > 0


def test_the_bench_rows_add_up_to_the_run_s_cpu():
    procs = [
        {"pid": 1, "role": "run", "cpu_s": 3.0, "children_cpu_s": 20.0, "peak_rss_mb": 300,
         "stages": {"ingest": {"cpu_s": 0.5, "calls": 1}, "report": {"cpu_s": 0.5, "calls": 1}}},
        {"pid": 2, "role": "page process", "cpu_s": 8.0, "children_cpu_s": 2.0, "peak_rss_mb": 700,
         "stages": {"recognition": {"cpu_s": 6.0, "calls": 4}, "orientation": {"cpu_s": 3.0, "calls": 2}}},
    ]
    m = Measurement("casefile", 2, wall=10.0, cpu=14.0, peak_mb=700, ok=True, processes=procs)
    rows = stage_rows(m)
    assert [name for name, _ in rows] == ["ingest", "orientation", "recognition", "report", PAGE_GLUE, RUN_GLUE]
    assert dict(rows)[PAGE_GLUE] == pytest.approx(1.0)  # 8 + 2 (tesseract) - 9 staged
    assert sum(cpu for _, cpu in rows) == pytest.approx(m.cpu)


def test_every_process_of_a_run_writes_the_stages_of_a_page_and_a_batch(tmp_path):
    scans = tmp_path / "scans"
    scans.mkdir()
    page = np.full((900, 700, 3), 255, np.uint8)
    for i, words in enumerate(["RESIDENT IDENTITY CARD", "casefile stage timer 2026", "page one of one"]):
        cv2.putText(page, words, (40, 200 + 80 * i), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
    cv2.imwrite(str(scans / "scan.png"), page)
    timings = tmp_path / "stages"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFILE_")}
    env |= {"CASEFILE_WORKSPACE": str(tmp_path / "ws"), "CASEFILE_STAGE_TIMES": str(timings),
            "PYTHONPATH": str(ROOT), "OMP_THREAD_LIMIT": "1"}

    proc = subprocess.run(
        [*CASEFILE, "run", str(scans), "--report-json", str(tmp_path / "report.json"), "--workers", "1", "--no-summary"],
        env=env, capture_output=True, text=True, timeout=300,
    )

    assert proc.returncode == 0, proc.stderr[-3000:]
    found = read_stage_times(timings)
    assert [p["role"] for p in found] == ["run", "page process"]
    run, reader = found
    # the run process receives files; the reading pool splits them into pages (decode/render there)
    assert {"ingest", "extraction", "database writes", "linking and case rules", "report"} <= set(run["stages"])
    assert {"decode/render", "orientation", "deskew", "model load", "detection", "recognition",
            "classification", "database writes"} <= set(reader["stages"])
    assert reader["stages"]["classification"]["calls"] == 1  # one page read
    assert reader["peak_rss_mb"] > 200  # the ONNX sessions were loaded in it
