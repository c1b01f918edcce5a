"""Constants and steps the browser tests share (imported as tests.browser.helpers)."""
from __future__ import annotations

import io
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"  # git-ignored: screenshots, server.log
SCREENSHOTS = ROOT / "docs" / "screenshots"  # the README's pictures
SAMPLE = ROOT / "fixtures" / "sample" / "batch"

CHROMIUM = "/usr/bin/chromium"  # Debian's package; never a browser Playwright downloads
# Without the background-networking flags chromium keeps trying to reach Google's services,
# which on a closed network means a stream of refused connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}
PASSWORD = "Browser-Test-2024!"
USERS = {"clerk": "clerk", "reviewer": "reviewer"}  # login name -> role
VETERAN_ID = "360899197503141518"  # 周立新, on tests/born_digital.certificate_pdf()
# A roster row for 周立新 and for the veterans of the two born-digital sample files (truth.json).
ROSTER = (
    "姓名,公民身份号码,低保\n"
    f"周立新,{VETERAN_ID},是\n"
    "夏新,360896197803145351,否\n"
    "魏德国,360896196706245591,否\n"
)
DONE = ("accepted", "duplicate", "refused")
SCREENSHOT_MAX_BYTES = 250_000


def guard(context, page, server: str, foreign: list[str], refused: list[str]) -> None:
    """Record (and abort) every request of the context to a host other than the server, and every
    Content-Security-Policy violation the page reports: the new_page fixture fails a test on either."""
    origin = server.rstrip("/")

    def route(r):
        url = r.request.url
        if url == origin or url.startswith((origin + "/", "data:", "blob:", "about:")):
            r.continue_()
        else:
            foreign.append(url)
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)


def login(page, name: str) -> None:
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text("工作台")


def upload(page, label: str, paths: list[Path], timeout_ms: float = 60_000) -> int:
    """Pick the files on /upload/, start, wait until every file is answered and the batch sealed;
    returns the batch number."""
    from playwright.sync_api import expect

    page.goto("/upload/")
    page.fill("#label", label)
    page.set_input_files("#pick-files", [str(p) for p in paths])
    expect(page.locator("#files tbody tr")).to_have_count(len(paths))
    page.click("#start")
    page.wait_for_function("() => document.body.dataset.uploadedBatch !== undefined", timeout=timeout_ms)
    return int(page.evaluate("() => document.body.dataset.uploadedBatch"))


def upload_rows(page) -> list[dict]:
    return page.eval_on_selector_all(
        "#files tbody tr",
        "rows => rows.map(r => ({name: r.children[0].textContent, status: r.dataset.status, message: r.children[2].textContent}))",
    )


def wait_for_batch(page, batch_id: int, timeout_ms: float = 120_000) -> None:
    """On the batch page (it polls itself), wait until the batch is closed."""
    from playwright.sync_api import expect

    if not re.search(rf"/batches/{batch_id}/$", page.url):
        page.goto(f"/batches/{batch_id}/")
    try:
        expect(page.locator("#batch-status")).to_have_text("已完成", timeout=timeout_ms)
    except AssertionError as error:  # say what the page loop beside the web server said meanwhile
        raise AssertionError(f"{error}\n--- casefile serve, besides its access log:\n{server_messages()}") from None
    expect(page.locator("#batch-progress")).to_have_attribute("data-status", "closed")


ACCESS_LINE = re.compile(r'^\S+ \[[^]]+\] "[A-Z]+ ')  # gunicorn's access log (cli_web.serve's format)


def server_messages(last: int = 60) -> str:
    """The last lines of the server's log that are not requests: the page loop's warnings and
    errors, tracebacks, gunicorn's own messages."""
    log = ARTIFACTS / "server.log"
    if not log.exists():
        return "(no server.log)"
    lines = [line for line in log.read_text(errors="replace").splitlines() if not ACCESS_LINE.match(line)]
    return "\n".join(lines[-last:]) or "(nothing but requests)"


def readme_screenshot(page, name: str) -> Path:
    """The README's screenshot <name>.png of the viewport (1280x800): into docs/screenshots/ when
    CASEFILE_UPDATE_SCREENSHOTS=1 (so that `make test` leaves the committed ones alone), else
    into the artifacts folder. A shot over the size budget is reduced to a 256-colour palette,
    which keeps text sharp."""
    from PIL import Image

    folder = SCREENSHOTS if os.environ.get("CASEFILE_UPDATE_SCREENSHOTS") == "1" else ARTIFACTS / "readme"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    data = page.screenshot(type="png")
    if len(data) > SCREENSHOT_MAX_BYTES:
        image = Image.open(io.BytesIO(data)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        data = out.getvalue()
    path.write_bytes(data)
    return path


def numbered_pdf(number: int) -> bytes:
    """A small one-page born-digital PDF (a text layer with enough characters, so no OCR) that
    differs from every other number's."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "zenhei" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("zenhei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(420, 298), invariant=1)  # A6 landscape: a small page renders fast
    c.setFont("zenhei", 12)
    c.drawString(40, 240, f"收件登记单 第{number:04d}号")
    c.setFont("zenhei", 9)
    c.drawString(40, 210, f"青河县退役军人事务局窗口收件，登记编号 QH2020-{number:05d}。")
    c.drawString(40, 192, "本单据仅用于核对材料份数，不作为任何身份或服役证明。")
    c.showPage()
    c.save()
    return buf.getvalue()
