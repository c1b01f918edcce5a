"""The embedded pool is kept across batches (issue #12, item 5): the page processes that read one
call's pages, with the OCR models they loaded, read the next call's too (`casefile serve`'s page
loop calls LocalDispatcher.pages per 64 pages); close() stops them, and a pool stopped after a
time-out is replaced by a fresh one. The deadline and crash tests (test_page_deadline.py,
test_crash_resume.py) run the same pool."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import cv2
import numpy as np

from devtools.localcluster import ROOT
from tests.born_digital import certificate_pdf

TWO_BATCHES = """
import json, os, sys
from pathlib import Path
from config.bootstrap import setup
cfg = setup(Path(sys.argv[1]) / "ws")
from config.options import pipeline_options
from pipeline.ingest_batch import ingest_batch
from records.models import Page
from workers.local import LocalDispatcher

options = pipeline_options(cfg)
dispatcher = LocalDispatcher(options, 1, cfg.max_attempts, settings=cfg)
pools = []
for folder in sys.argv[2:]:
    dispatcher.pages(ingest_batch([Path(folder)], options.ingest).new_page_ids)
    pools.append(id(dispatcher._pool))
    pools.append(sorted(p.pid for p in dispatcher._pool._pool))
dispatcher.close()
print(json.dumps({"pools": pools, "closed": dispatcher._pool is None,
                  "pages": sorted(Page.objects.values_list("status", flat=True))}))
"""


def _scan(folder, words: str) -> None:
    folder.mkdir()
    page = np.full((700, 560, 3), 255, np.uint8)
    cv2.putText(page, words, (30, 200), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
    cv2.imwrite(str(folder / "scan.png"), page)


def test_one_pool_process_reads_every_batch_and_loads_its_models_once(tmp_path):
    _scan(tmp_path / "first", "first batch 2026")
    _scan(tmp_path / "second", "second batch 2026")
    second_pdf = tmp_path / "third"
    second_pdf.mkdir()
    (second_pdf / "cert.pdf").write_bytes(certificate_pdf(1))  # a text-layer page between the scans
    timings = tmp_path / "stages"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFILE_")}
    env |= {"CASEFILE_STAGE_TIMES": str(timings), "PYTHONPATH": str(ROOT), "OMP_THREAD_LIMIT": "1"}

    proc = subprocess.run(
        [sys.executable, "-c", TWO_BATCHES, str(tmp_path), str(tmp_path / "first"), str(second_pdf),
         str(tmp_path / "second")],
        env=env, capture_output=True, text=True, timeout=300, cwd=ROOT,
    )

    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["pages"] == ["done", "done", "done"] and out["closed"]
    first_pool, first_pids, *rest = out["pools"]
    assert rest == [first_pool, first_pids, first_pool, first_pids]  # the same pool and process every time
    readers = [json.loads(p.read_text()) for p in timings.glob("*.json")]
    readers = [r for r in readers if r["role"] == "page process"]
    assert [r["pid"] for r in readers] == first_pids
    (reader,) = readers
    assert reader["stages"]["classification"]["calls"] == 3
    # RapidOCR was created once: its object and its three ONNX sessions, plus the page model's
    # (cached) look-up once per page
    assert reader["stages"]["model load"]["calls"] == 1 + 3 + 3
