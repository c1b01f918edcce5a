"""Browser tests: Debian's chromium, driven by Playwright (sync API), against `casefile serve`
started once per session in a fresh workspace (embedded mode: gunicorn plus the page loop).

No browser is ever downloaded: Playwright launches /usr/bin/chromium (scripts/install-system-packages.sh
installs it). Each test leaves a screenshot of its last screen in tests/browser/artifacts/, and the
server's log goes there too.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.born_digital import certificate_pdf
from tests.browser.helpers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, PASSWORD, ROOT, ROSTER, SAMPLE, USERS, VIEWPORT, guard

CASEFILE = ROOT / ".venv" / "bin" / "casefile"


def _casefile_executable() -> str:
    return str(CASEFILE) if CASEFILE.exists() else shutil.which("casefile") or "casefile"


def _python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(workspace: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFILE_")}
    env["CASEFILE_WORKSPACE"] = str(workspace)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _wait_until_up(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"casefile serve exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"casefile serve did not answer {url} within {timeout:.0f} s:\n{log.read_text(errors='replace')[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to `casefile serve` (it stops its page loop and gunicorn), then SIGKILL to whatever
    of its process group is left."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the group's id is the leader's pid (start_new_session)
    except ProcessLookupError:
        pass
    if proc.poll() is None:
        proc.wait(10)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def workspace_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("browser-ws")


@pytest.fixture(scope="session")
def server(workspace_dir, artifacts, tmp_path_factory):
    """`casefile serve` on a free port with accounts and a roster; yields its base URL."""
    env = clean_env(workspace_dir)
    for name, role in USERS.items():
        subprocess.run(
            [_casefile_executable(), "createuser", name, "--role", role, "--password", PASSWORD, "--workspace", str(workspace_dir)],
            env=env, check=True, capture_output=True, timeout=120,
        )
    # No roster command in the CLI: import it through Django, as `casefile run --roster` would.
    roster = tmp_path_factory.mktemp("roster") / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    subprocess.run(
        [_python(), "-c",
         "import django; from pathlib import Path; django.setup(); "
         "from pipeline.linking import import_roster; import sys; import_roster(Path(sys.argv[1]))",
         str(roster)],
        env=dict(env, DJANGO_SETTINGS_MODULE="casefile.settings"), cwd=ROOT, check=True, capture_output=True, timeout=120,
    )

    port = _free_port()
    log = artifacts / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [_casefile_executable(), "serve", "--host", "127.0.0.1", "--port", str(port), "--workspace", str(workspace_dir)],
            env=env, cwd=workspace_dir, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/accounts/login/", proc, log)
        yield base
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} missing: apt-get install chromium (scripts/install-system-packages.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, server, artifacts, request):
    """Make pages (one browser context each, 1280x800 unless told, zh-CN); at the end the last page
    opened is saved as artifacts/<test name>.png.

    Every test fails on a request to any host but the server (bureau machines have no internet:
    every asset must be casefile's own; such a request is aborted and recorded) and on any
    Content-Security-Policy violation the browser reports."""
    contexts = []
    foreign: list[str] = []
    refused: list[str] = []

    def make(viewport: dict | None = None):
        context = browser.new_context(base_url=server, viewport=viewport or VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        guard(context, page, server, foreign, refused)
        return page

    yield make
    if contexts and contexts[-1].pages:
        try:
            contexts[-1].pages[-1].screenshot(path=str(artifacts / f"{request.node.name}.png"))
        except Exception as exc:  # a crashed page must not hide the test's own failure
            print(f"no screenshot for {request.node.name}: {exc}")
    for context in contexts:
        context.close()
    assert not foreign, f"requests to hosts other than the server: {foreign}"
    assert not refused, f"Content-Security-Policy violations: {refused}"


@pytest.fixture(scope="session")
def shared() -> dict:
    """State one test leaves for the next (the batch uploaded by the clerk)."""
    return {}


@pytest.fixture(scope="session")
def small_batch(tmp_path_factory) -> list[Path]:
    """The clerk's batch: a born-digital certificate for 周立新, two born-digital sample files, one
    scanned ID card (the only page that needs OCR), an exact copy of the certificate and a junk
    notes.pdf."""
    folder = tmp_path_factory.mktemp("small-batch")
    cert = folder / "周立新-无犯罪记录证明.pdf"
    cert.write_bytes(certificate_pdf(pages=1))
    files = [cert]
    for name in ("download (27).pdf", "download (28).pdf", "IMG_20201129_0011.jpg"):
        shutil.copyfile(SAMPLE / name, folder / name)
        files.append(folder / name)
    copy = folder / "证明-复印件.pdf"
    copy.write_bytes(cert.read_bytes())
    junk = folder / "notes.pdf"
    junk.write_bytes(b"meeting notes, typed on the counter's PC; not a PDF at all\n")
    return files + [copy, junk]
