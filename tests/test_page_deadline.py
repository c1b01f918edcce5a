"""A page deadline in the embedded mode: a page that hangs is stopped at the page time limits
(CASEFILE_PAGE_SOFT_TIME_LIMIT, CASEFILE_PAGE_TIME_LIMIT, the distributed mode's settings), failed
as 识别超时 with its one attempt counted, and the rest of the batch finishes. One hang yields to
the soft limit's interruption; the other blocks it, as a native OCR call does, and only killing
its process at the hard limit ends it (tests/faults.py). A page that kills its own process is
tried again until it has used its attempts, as in the distributed mode."""
from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import time

from devtools.localcluster import CASEFILE, ROOT
from tests.born_digital import certificate_pdf

LIMITS = {
    "CASEFILE_PAGE_SOFT_TIME_LIMIT": "3",
    "CASEFILE_PAGE_TIME_LIMIT": "6",
    "CASEFILE_VISIBILITY_TIMEOUT": "7",
    "CASEFILE_STALE_AFTER": "8",
}


def poison_pdf(word: str) -> bytes:
    """A born-digital page showing `word` among enough words to be read from its text layer."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("zenhei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("zenhei", 14)
    c.drawString(72, 760, f"{word} 这一页的识别永远不会结束，用于检验单页处理时限")
    c.drawString(72, 730, "青河县退役军人事务局 测试页面 第一页")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_hung_pages_fail_as_timed_out_and_the_batch_finishes(tmp_path):
    batch = tmp_path / "scans"
    batch.mkdir()
    (batch / "cert.pdf").write_bytes(certificate_pdf(2))
    (batch / "hang.pdf").write_bytes(poison_pdf("POISONHANG"))
    (batch / "stuck.pdf").write_bytes(poison_pdf("POISONSTUCK"))
    (batch / "crash.pdf").write_bytes(poison_pdf("POISONCRASH"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFILE_")}
    env |= LIMITS | {"CASEFILE_WORKSPACE": str(tmp_path / "ws"), "CASEFILE_PLUGINS": "tests.faults", "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    proc = subprocess.run(
        [*CASEFILE, "run", str(batch), "--report-json", str(tmp_path / "report.json"), "--workers", "1", "--no-summary"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    errors = {e["source"]: e["message"] for e in report["errors"]}
    assert set(errors) == {"hang.pdf", "stuck.pdf", "crash.pdf"}, errors
    for name in ("hang.pdf", "stuck.pdf"):
        assert "第 1 页：识别超时（超过单页时限），已停止" in errors[name], errors
    # A page that kills its process is given back and tried again, up to CASEFILE_MAX_ATTEMPTS.
    assert "第 1 页：已尝试 3 次均未完成（处理进程崩溃或超时），已放弃" in errors["crash.pdf"], errors
    assert {d["source"] for d in report["documents"]} == {"cert.pdf"}
    with sqlite3.connect(tmp_path / "ws" / "casefile.sqlite3") as db:
        pages = db.execute(
            "SELECT f.first_name, p.status, p.attempts FROM records_page p JOIN records_sourcefile f ON f.id = p.file_id"
        ).fetchall()
        files = dict(db.execute("SELECT first_name, status FROM records_sourcefile"))
        ran = dict(db.execute(
            "SELECT f.first_name, p.seconds FROM records_page p JOIN records_sourcefile f ON f.id = p.file_id"
        ))
    assert sorted(pages) == [
        ("cert.pdf", "done", 1), ("cert.pdf", "done", 1),
        ("crash.pdf", "failed", 3), ("hang.pdf", "failed", 1), ("stuck.pdf", "failed", 1),
    ]
    assert files == {"cert.pdf": "done", "crash.pdf": "failed", "hang.pdf": "failed", "stuck.pdf": "failed"}
    # The hang yielded at the soft limit (3 s); the stuck page held on until the hard limit (6 s).
    assert 3 <= ran["hang.pdf"] < 6 and 6 <= ran["stuck.pdf"] < 15, ran
    # One process for every page: the stuck page's was killed at 6 s and replaced; never the 24 h
    # the hangs would last.
    assert elapsed < 90, elapsed


SERVE_LOOP = """
import sys, threading
from pathlib import Path
from config.bootstrap import setup
cfg = setup(Path(sys.argv[1]) / "ws")
from datetime import timedelta
from config.options import pipeline_options
from pipeline.ingest_batch import create_batch, add_file, seal_batch
from records.models import Page
from web.context import dispatcher as web_dispatcher
from workers.local import LocalDispatcher, run_page_loop

options = pipeline_options(cfg)
batch = create_batch(label="网页上传")
for name in ("cert.pdf", "stuck.pdf"):
    web_dispatcher().pages(add_file(batch, name, (Path(sys.argv[1]) / name).read_bytes(), options.ingest).new_page_ids)
seal_batch(batch.pk)
stop = threading.Event()

def watch():
    while Page.objects.exclude(status__in=["done", "failed"]).exists():
        stop.wait(0.5)
    stop.set()

threading.Thread(target=watch, daemon=True).start()
run_page_loop(LocalDispatcher(options, 1, cfg.max_attempts, settings=cfg), stop, cfg.sweep_every, timedelta(seconds=cfg.stale_after), 0.2)
print(sorted(Page.objects.values_list("status", "error")))
"""


def test_the_page_loop_of_casefile_serve_stops_a_stuck_page_too(tmp_path):
    """`casefile serve` in the embedded mode reads uploaded pages with the same pool (run_page_loop)."""
    (tmp_path / "cert.pdf").write_bytes(certificate_pdf(1))
    (tmp_path / "stuck.pdf").write_bytes(poison_pdf("POISONSTUCK"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFILE_")}
    env |= LIMITS | {"CASEFILE_PLUGINS": "tests.faults", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", SERVE_LOOP, str(tmp_path)], env=env, capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip().splitlines()[-1] == str(
        [("done", ""), ("failed", "第 1 页：识别超时（超过单页时限），已停止")]
    )
