"""The distributed mode against real services: Celery workers on Redis, PostgreSQL, a shared
blob store. Workers and the submitter are separate processes with separate working folders
(devtools/localcluster.py). Every run must give the report the embedded mode gives for the same batch,
whatever happens to workers, messages or Redis on the way.
"""
from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from devtools.localcluster import CASEFILE, ROOT, LocalCluster
from devtools.postgres_service import find_or_start_postgres
from devtools.redis_service import find_or_start_redis

pytestmark = pytest.mark.slow

SAMPLE = ROOT / "fixtures" / "sample"
# Two veterans' evidence, 12 pages in 8 files: single pages, a 5-page PDF, a folder.
BATCH_FILES = [
    "CCF20201129_00032.pdf",
    "CCF20201129_00036.pdf",
    "CCF20201129_00038.pdf",
    "doc_011.pdf",
    "doc_014.pdf",
    "doc_016.pdf",
    "download (28).pdf",
    "新建文件夹/doc_013.pdf",
]
ROSTER = SAMPLE / "roster.csv"

# Short limits so that lost work comes back within a test's patience, in the order the settings
# demand: soft < hard < visibility timeout < stale.
FAST_LIMITS = {
    "CASEFILE_PAGE_SOFT_TIME_LIMIT": "15",
    "CASEFILE_PAGE_TIME_LIMIT": "20",
    "CASEFILE_VISIBILITY_TIMEOUT": "25",
    "CASEFILE_STALE_AFTER": "40",
    "CASEFILE_SWEEP_EVERY": "5",
    "CASEFILE_MAX_ATTEMPTS": "3",
}


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    """The machine's Redis and PostgreSQL if they run, else our own. CASEFILE_TEST_PRIVATE_SERVICES=1
    always starts our own, to check the suite on a machine that has none running."""
    private = os.environ.get("CASEFILE_TEST_PRIVATE_SERVICES") == "1"
    base = tmp_path_factory.mktemp("services")
    redis_server = find_or_start_redis(private=private, base_dir=base)
    postgres = find_or_start_postgres(base_dir=base, private=private)
    yield redis_server, postgres
    redis_server.stop()
    postgres.stop()


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("batch") / "两名退役士兵"
    for name in BATCH_FILES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLE / "batch" / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def embedded_report(batch, tmp_path_factory) -> dict:
    """The same batch in the embedded mode: SQLite, local files, in-process pool, no broker."""
    work = tmp_path_factory.mktemp("embedded")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFILE_")}
    env["CASEFILE_WORKSPACE"] = str(work / "workspace")
    run = subprocess.run(
        [*CASEFILE, "run", str(batch), "--roster", str(ROSTER), "--report-json", str(work / "report.json"), "--no-summary"],
        env=env, capture_output=True, timeout=900,
    )
    assert run.returncode == 0, run.stderr.decode()[-3000:]
    return json.loads((work / "report.json").read_text(encoding="utf-8"))


@pytest.fixture
def cluster(services, tmp_path):
    redis_server, postgres = services
    c = LocalCluster(redis_server, postgres, tmp_path, FAST_LIMITS)
    yield c
    c.close()


def assert_each_page_once(c: LocalCluster, report: dict) -> None:
    """One recorded result per page, one finalisation per file, one close, no duplicate rows."""
    assert c.sql("SELECT count(*) FROM records_page WHERE status NOT IN ('done', 'failed')") == [(0,)]
    # pages_done is bumped only by the conditional UPDATE that records a page: a page recorded
    # twice would push it past pages_total.
    assert c.sql("SELECT first_name FROM records_sourcefile WHERE pages_done <> pages_total") == []
    recorded = c.sql(
        "SELECT page_id, count(*) FROM records_taskevent WHERE task = 'page' AND event = 'finished' "
        "AND outcome IN ('done', 'failed') GROUP BY page_id HAVING count(*) > 1"
    )
    assert recorded == [], "a page was recorded by two tasks"
    claims = c.sql(
        "SELECT file_id, count(*) FROM records_taskevent WHERE task = 'finalize' AND outcome LIKE 'claimed%%' "
        "GROUP BY file_id"
    )
    assert sorted(n for _, n in claims) == [1] * len(BATCH_FILES)
    assert c.sql("SELECT count(*) FROM records_taskevent WHERE task = 'close_batch' AND outcome = 'closed'") == [(1,)]
    assert c.sql("SELECT count(*) FROM records_document") == [(len(report["documents"]),)]
    fields = sum(len(d["fields"]) for d in report["documents"])
    assert c.sql("SELECT count(*) FROM records_field") == [(fields,)]


def wait_for(condition, timeout: float, what: str, c: LocalCluster):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}\n{c.logs()}")


def test_distributed_mode_gives_the_embedded_report(cluster, batch, embedded_report):
    cluster.start_worker("host-a", concurrency=2)
    cluster.wait_ready()
    report = cluster.finish(cluster.submit([batch], ROSTER))
    assert_same_report(report, embedded_report)
    assert_each_page_once(cluster, report)
    waits = cluster.sql("SELECT count(*) FROM records_taskevent WHERE task = 'page' AND wait_seconds IS NOT NULL")
    assert waits[0][0] >= 12  # operators see how long each page waited

    status = cluster.cli("status", str(cluster.batch_id), "--json")
    assert status.returncode == 0, status.stderr
    (batch_state,) = json.loads(status.stdout)
    assert (batch_state["status"], batch_state["pages_done"], batch_state["pages_total"]) == ("closed", 12, 12)
    assert sorted(f["source"] for f in batch_state["files"]) == sorted(BATCH_FILES)
    health = cluster.cli("health", "--json")
    assert health.returncode == 0, health.stderr
    state = json.loads(health.stdout)
    assert state["broker"] == "ok" and state["workers"] == [next(w for w in state["workers"] if w.startswith("host-a@"))]
    assert state["queues"] == {"ocr": 0, "default": 0} and state["database"]["pages"]["done"] == 12


def test_health_says_so_when_no_worker_answers(cluster):
    health = cluster.cli("health", "--json", "--timeout", "1")
    assert health.returncode == 1
    assert json.loads(health.stdout)["workers"] == []


def test_a_worker_killed_mid_page_loses_nothing(cluster, batch, embedded_report):
    """Two worker hosts; one is SIGKILLed while it holds a page. Its unacknowledged message comes
    back after the visibility timeout and the other host finishes the batch."""
    cluster.start_worker("host-a", concurrency=1, beat=False)
    cluster.start_worker("host-b", concurrency=1)
    cluster.wait_ready()
    submitter = cluster.submit([batch], ROSTER)
    in_flight = (
        "SELECT e.page_id FROM records_taskevent e JOIN records_page p ON p.id = e.page_id "
        "WHERE e.task = 'page' AND e.event = 'started' AND e.worker LIKE 'host-a@%%' AND p.status = 'running'"
    )
    # Past the first page, so that host-a is mid-page in steady state.
    wait_for(lambda: cluster.sql("SELECT count(*) FROM records_page WHERE status = 'done'")[0][0] >= 2, 300, "first pages", cluster)
    killed_page = wait_for(lambda: cluster.sql(in_flight), 300, "a page in flight on host-a", cluster)[0][0]
    cluster.kill_worker("host-a")
    report = cluster.finish(submitter)
    assert_same_report(report, embedded_report)
    assert_each_page_once(cluster, report)
    status, attempts = cluster.sql("SELECT status, attempts FROM records_page WHERE id = %s", killed_page)[0]
    assert status == "done" and attempts >= 2


def test_redis_restarted_mid_batch_loses_nothing(services, batch, embedded_report, tmp_path):
    """A Redis of our own (with its append-only file, as a production broker should run) is shut
    down and started again while pages are queued and running."""
    _, postgres = services
    redis_server = find_or_start_redis(private=True, base_dir=tmp_path / "redis")
    c = LocalCluster(redis_server, postgres, tmp_path, FAST_LIMITS)
    try:
        c.start_worker("host-a", concurrency=2)
        c.wait_ready()
        submitter = c.submit([batch], ROSTER)
        wait_for(lambda: c.sql("SELECT count(*) FROM records_page WHERE status = 'done'")[0][0] >= 3, 300, "3 pages", c)
        redis_server.restart(down_for=5)
        report = c.finish(submitter)
        assert_same_report(report, embedded_report)
        assert_each_page_once(c, report)
    finally:
        c.close()
        redis_server.stop()


def poison_page(path: Path, word: str) -> None:
    """A scan that shows only `word`, in letters big enough for any engine."""
    image = Image.new("RGB", (1240, 1754), "white")
    font = ImageFont.truetype(str(next(Path("/usr/share/fonts").rglob("*.tt[fc]"))), 120)
    ImageDraw.Draw(image).text((120, 700), word, fill="black", font=font)
    image.save(path)


def test_poisonous_pages_fail_alone_with_their_reasons(cluster, tmp_path):
    """A page that kills its process every time is tried max_attempts times, then failed; a page
    that hangs is stopped at the soft time limit. The rest of the batch completes."""
    folder = tmp_path / "poisoned"
    folder.mkdir()
    poison_page(folder / "crash.png", "POISONCRASH")
    poison_page(folder / "hang.png", "POISONHANG")
    for name in ("doc_011.pdf", "doc_014.pdf"):
        shutil.copy(SAMPLE / "batch" / name, folder / name)
    faults = {"CASEFILE_PLUGINS": "tests.faults", "CASEFILE_OCR_ENGINE": "fault"}
    cluster.env.update(faults)
    cluster.start_worker("host-a", concurrency=2)
    cluster.wait_ready()
    report = cluster.finish(cluster.submit([folder]))

    errors = {e["source"]: e["message"] for e in report["errors"]}
    assert set(errors) == {"crash.png", "hang.png"}, errors
    assert "已尝试 3 次均未完成" in errors["crash.png"]
    assert "识别超时" in errors["hang.png"]
    assert {d["source"] for d in report["documents"]} == {"doc_011.pdf", "doc_014.pdf"}
    attempts = dict(cluster.sql("SELECT f.first_name, p.attempts FROM records_page p JOIN records_sourcefile f ON f.id = p.file_id"))
    assert attempts["crash.png"] == 3 and attempts["hang.png"] == 1
    statuses = dict(cluster.sql("SELECT first_name, status FROM records_sourcefile"))
    assert statuses == {"crash.png": "failed", "hang.png": "failed", "doc_011.pdf": "done", "doc_014.pdf": "done"}


def test_every_message_delivered_twice_changes_nothing(cluster, batch, embedded_report):
    twice = {"CASEFILE_PLUGINS": "tests.faults", "CASEFILE_TEST_DELIVER_TWICE": "1"}
    cluster.env.update(twice)
    cluster.start_worker("host-a", concurrency=2)
    cluster.wait_ready()
    report = cluster.finish(cluster.submit([batch], ROSTER))
    assert_same_report(report, embedded_report)
    assert_each_page_once(cluster, report)
    deliveries = cluster.sql("SELECT count(*) FROM records_taskevent WHERE task = 'page' AND event = 'started'")[0][0]
    assert deliveries >= 2 * 12  # every page message really arrived twice


def essence(report: dict) -> dict:
    """A report with document ids replaced by what they stand for (file and pages), also inside
    messages, so that two runs that created documents in a different order compare equal."""
    names = {d["id"]: f"{d['source']}#{','.join(map(str, d['pages']))}" for d in report["documents"]}
    text = json.dumps(report, ensure_ascii=False, sort_keys=True)
    text = re.sub(r"D\d{6,}", lambda m: names.get(m.group(0), m.group(0)).replace('"', '\\"'), text)
    same = json.loads(text)
    same["documents"] = sorted(same["documents"], key=lambda d: d["id"])
    same["unmatched_documents"] = sorted(same["unmatched_documents"])
    for case in same["cases"]:
        case["documents"] = sorted(case["documents"])
        case["flags"] = sorted(case["flags"], key=lambda f: json.dumps(f, ensure_ascii=False, sort_keys=True))
    return same


def assert_same_report(got: dict, expected: dict) -> None:
    """Reports equal up to document ids; on failure, a line diff of the two."""
    a, b = (json.dumps(essence(r), ensure_ascii=False, indent=1, sort_keys=True).splitlines() for r in (got, expected))
    diff = list(difflib.unified_diff(b, a, "embedded", "distributed", lineterm="", n=2))
    assert not diff, "\n".join(diff[:120])


def test_the_web_application_in_the_distributed_mode(cluster, batch):
    """`casefile serve` against the cluster: an upload through the REST API is read by the Celery
    worker, and the batch closes."""
    import urllib.request

    from devtools.services import free_port

    assert cluster.cli("createuser", "clerk1", "--role", "clerk", "--password", "Wang-Clerk-2026!").returncode == 0
    token = cluster.cli("token", "clerk1").stdout.strip()
    port = free_port()
    cluster.start("web", ["serve", "--port", str(port), "--web-workers", "1"])
    cluster.start_worker("host-a", concurrency=2)
    cluster.wait_ready()
    base = f"http://127.0.0.1:{port}/api"

    def call(method: str, path: str, body: bytes | None = None, content_type: str = "application/json") -> dict:
        request = urllib.request.Request(base + path, data=body, method=method)
        request.add_header("Authorization", f"Bearer {token}")
        request.add_header("Content-Type", content_type)
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    wait_for(lambda: _answers(f"http://127.0.0.1:{port}/accounts/login/"), 60, "the web server", cluster)
    batch_id = call("POST", "/batches", json.dumps({"label": "网页上传"}).encode())["batch_id"]
    for name in ("doc_011.pdf", "CCF20201129_00032.pdf"):
        boundary = "casefile-boundary"
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode() + (batch / name).read_bytes() + f"\r\n--{boundary}--\r\n".encode()
        states = call("POST", f"/batches/{batch_id}/files", body, f"multipart/form-data; boundary={boundary}")["files"]
        assert states[0]["status"] == "accepted", states
    call("POST", f"/batches/{batch_id}/seal")
    state = wait_for(
        lambda: (s := call("GET", f"/batches/{batch_id}"))["status"] == "closed" and s, 180, "the batch to close", cluster
    )
    assert state["pages_done"] == state["pages_total"] == 2
    workers = cluster.sql("SELECT DISTINCT worker FROM records_taskevent WHERE task = 'page' AND event = 'finished'")
    assert [w for (w,) in workers if w.startswith("host-a@")], "the pages were read by the Celery worker"


def _answers(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False
