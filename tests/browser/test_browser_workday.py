"""A working day in the browser (issue #13, part 2): the page viewer's zoom and rotation, stage
moves in the case history, the printout on one A4 page, every page at phone and wide-screen
widths without horizontal overflow and with the scan visible, no internal code in any page's
visible text, phone capture of several photos into one document, and the guard that fails any
test whose page asks a host other than the server.

The tests share the clerk's batch of test_browser_review_flow.py (uploaded here when that module
did not run first)."""
from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import VETERAN_ID, guard, login, readme_screenshot, upload, wait_for_batch

LABEL = "11月29日窗口收件"
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1400, "height": 900}
NARROWEST = {"width": 360, "height": 740}


@pytest.fixture
def evidence(shared, small_batch, new_page):
    if "batch" not in shared:
        page = new_page()
        login(page, "clerk")
        shared["batch"] = upload(page, LABEL, small_batch)
        wait_for_batch(page, shared["batch"])
    return shared


def case_url(page) -> str:
    page.goto(f"/cases/?q={VETERAN_ID}")
    page.locator("table a[href^='/cases/']").first.click()
    expect(page).to_have_url(re.compile(r"/cases/\d+/$"))
    return page.url


def document_url(page) -> str:
    """The first document of 周立新's case (the certificate), from the case's checklist."""
    case_url(page)
    page.locator("#checklist a[href^='/documents/']").first.click()
    expect(page).to_have_url(re.compile(r"/documents/\d+/$"))
    return page.url


def scan_loaded(page) -> None:
    page.wait_for_function(
        "() => { const p = [...document.querySelectorAll('.page')];"
        " return p.length > 0 && p.every(d => Number(d.dataset.loaded) > 0); }"
    )


def test_zoom_and_rotate_the_scan(new_page, evidence):
    page = new_page()
    login(page, "reviewer")
    url = document_url(page)
    scan_loaded(page)
    first = page.locator(".page").first
    svg = first.locator("svg.scan")
    width = svg.bounding_box()["width"]

    page.click("#zoom-in")
    expect(page.locator("#zoom-level")).to_have_text("125%")
    assert svg.bounding_box()["width"] == pytest.approx(width * 1.25, rel=0.03)
    page.click("#zoom-out")
    page.click("#zoom-out")
    expect(page.locator("#zoom-level")).to_have_text("75%")
    assert svg.bounding_box()["width"] == pytest.approx(width * 0.75, rel=0.03)
    page.click("#zoom-fit")
    assert svg.bounding_box()["width"] == pytest.approx(width, rel=0.03)

    w, h = int(first.get_attribute("data-width")), int(first.get_attribute("data-height"))
    page.click("#rotate-right")
    expect(first).to_have_attribute("data-saved", "90")
    assert svg.get_attribute("viewBox") == f"0 0 {h} {w}"
    box = svg.bounding_box()
    assert box["height"] == pytest.approx(box["width"] * w / h, rel=0.03)  # turned: the page lies on its side
    # the field's box turned with the scan: it stays inside the turned page
    name = page.locator("rect#box-name").bounding_box()
    assert box["x"] - 1 <= name["x"] and name["x"] + name["width"] <= box["x"] + box["width"] + 1
    assert box["y"] - 1 <= name["y"] and name["y"] + name["height"] <= box["y"] + box["height"] + 1

    page.goto(url)  # remembered for the page, on the server
    scan_loaded(page)
    expect(page.locator(".page").first).to_have_attribute("data-rotation", "90")
    page.click("#rotate-left")
    expect(page.locator(".page").first).to_have_attribute("data-saved", "0")
    page.goto(url)
    expect(page.locator(".page").first).to_have_attribute("data-rotation", "0")

    # the original, exactly as uploaded, for a user who may see it
    with page.expect_download() as download:
        page.click("#download-original")
    assert download.value.suggested_filename.endswith(".pdf")


def test_a_stage_move_shows_in_the_case_history(new_page, evidence):
    page = new_page()
    login(page, "reviewer")
    url = case_url(page)
    before = page.locator("#history tr[data-kind=move_stage]").count()
    stage = page.locator("#stage").inner_text()
    move = page.locator("#stage-panel form.move:has(button:enabled)").first
    target = move.locator("button").inner_text()
    if move.locator("input[name=reason]").count():
        move.locator("input[name=reason]").fill("材料待补正")
    move.locator("button").click()
    expect(page).to_have_url(url)
    rows = page.locator("#history tr[data-kind=move_stage]")
    expect(rows).to_have_count(before + 1)
    newest = rows.first.inner_text()
    assert "reviewer" in newest and "变更阶段" in newest and f"阶段：{stage} →" in newest, newest
    assert page.locator("#stage").inner_text() != stage, target
    # a blocked move is a disabled button that looks disabled
    blocked = page.locator("#stage-panel form.move button:disabled")
    if blocked.count():
        colour = blocked.first.evaluate("b => getComputedStyle(b).backgroundColor")
        assert colour != page.locator("#stage-panel form.move button:enabled").first.evaluate("b => getComputedStyle(b).backgroundColor")


# A case as full as a real one gets: every required document and more, every key date, every month
# set, six roster columns, a dozen flags (some decided, with notes), long file names.
FULL_CASE = r"""
import django, sys
django.setup()
from records.models import Case, Document, Field, Flag, SourceFile
from core.labels import PERIOD_ZH
case = Case.objects.create(id_number="360896196912045517", name="刘国强", stage="first_review", attributes={
    "安置方式": "安排工作", "低保": "是", "临近退休": "是", "联系电话": "13907981234", "现住址": "青河县城关镇解放路118号3栋2单元",
    "原安置单位": "青河县国营农机修造厂（后改制为青河县农机有限责任公司）", "性别": "男"})
src = SourceFile.objects.create(sha256="f" * 64, kind="pdf", size=1, storage_key="k",
    first_name="2020年11月窗口收件/刘国强（城关镇）/刘国强全部材料扫描件（入伍、退伍、安置、解除、身份证、缴费）.pdf")
types = ["enlistment", "discharge", "placement", "placement", "termination", "id_card", "contribution", "contribution",
         "subsidy_voucher", "political_review", "other", "other"]
docs = [Document.objects.create(file=src, index=i, pages=[2 * i + 1, 2 * i + 2], doc_type=t, case=case,
                                review_status="confirmed" if i % 2 else "pending") for i, t in enumerate(types)]
for d in docs:
    for n, v in (("name", "刘国强"), ("id_number", "360896196912045517"), ("gender", "male"), ("stated_service", "P4Y6M")):
        Field.objects.create(document=d, name=n, value=v, page=d.pages[0], confidence=0.93)
def date(f, v, d):
    return {"field": f, "month": v[:7], "value": v, "document": d.public_id}
case.derived = {
    "service_months": 54, "pending_placement_months": 11,
    "pending_period": {"start": "1993-01", "end": "1993-11", "start_rule": "after_discharge_month", "end_rule": "letter_month",
                       "start_evidence": {"document": docs[1].public_id, "field": "discharge_date"},
                       "end_evidence": {"document": docs[2].public_id, "field": "placement_date"}},
    "dates": {"enlistment": date("enlistment_date", "1988年12月", docs[0]), "discharge": date("discharge_date", "1992年12月", docs[1]),
              "placement": date("placement_date", "1993年11月20日", docs[2]), "termination": date("termination_date", "2003年6月30日", docs[4])},
    "periods": {**{k: {"months": 12 + i, "ranges": [["1993-12", "1996-06"], ["1998-01", "2003-06"], ["2004-01", "2004-12"]]}
                   for i, k in enumerate(PERIOD_ZH)}, "contribution_record": True},
}
case.save()
messages = [
    ("unit_mismatch", "error", "安置介绍信所列安置单位“青河县国营农机修造厂”与解除劳动合同证明的用人单位“青河县农机有限责任公司”不一致"),
    ("date_order", "error", "退出现役时间（1992年12月）晚于安置介绍信开具时间？请核对 D000003 与 D000002"),
    ("birth_date_mismatch", "warning", "D000006 的出生年月（1969年11月）与公民身份号码所载（1969年12月）不一致"),
    ("service_length", "warning", "兵龄4年6个月与入伍、退出现役时间推算的服役时间（4年）不符"),
    ("pending_long", "info", "待安置11个月，超过6个月"),
    ("contribution_overlap", "warning", "2001-03 至 2001-08 养老保险由两个单位缴费（青河县农机有限责任公司、青河县城关镇劳动服务站）"),
    ("contribution_after_termination", "warning", "解除劳动合同后（2003-07 至 2003-12）原单位仍有缴费记录"),
    ("payroll_months", "warning", "生活补助发放月份（1992-12 至 1993-12）超出待安置期间"),
    ("name_mismatch", "warning", "D000011 的姓名“刘国庆”与花名册“刘国强”不一致（同音）"),
    ("resignation", "warning", "解除原因“个人原因辞职”须复核"),
    ("fact_evidence", "info", "安置介绍信开具时间依据存根（原介绍信遗失）"),
    ("contribution_before_service", "info", "入伍前（1987-06 至 1988-11）已参保"),
]
for i, (code, severity, message) in enumerate(messages):
    Flag.objects.create(case=case, code=code, severity=severity, message=message,
                        status="waived" if i % 3 == 2 else "open", note="经办人已核对原件，单位名称系改制前后名称" if i % 3 == 2 else "",
                        resolved_by="王股长" if i % 3 == 2 else "")
print(case.pk)
"""


@pytest.fixture
def full_case(server, workspace_dir) -> int:
    import subprocess

    from tests.browser.conftest import _python, clean_env
    from tests.browser.helpers import ROOT

    done = subprocess.run([_python(), "-c", FULL_CASE], env=dict(clean_env(workspace_dir), DJANGO_SETTINGS_MODULE="casefile.settings"),
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return int(done.stdout.split()[-1])


def test_the_printout_is_one_a4_page(new_page, evidence, full_case, artifacts):
    """Every case of the batch, and a case as full as a real one (twelve documents, twelve flags)."""
    import pypdfium2

    page = new_page()
    login(page, "reviewer")  # the full case comes from no clerk's batch
    url = case_url(page)
    page.click("#print-link")
    expect(page.locator("h1")).to_have_text("退役士兵社会保险接续材料核查表")
    expect(page.locator("#print-button")).to_be_visible()
    expect(page.locator("#back-link")).to_have_attribute("href", re.sub(r"^https?://[^/]+", "", url))
    page.click("#back-link")
    expect(page).to_have_url(url)

    page.goto("/cases/")
    cases = page.eval_on_selector_all("table a[href^='/cases/']", "links => links.map(a => [a.textContent, a.getAttribute('href')])")
    assert len(cases) >= 3, cases
    sizes = {}
    for name, href in cases:
        page.goto(href + "print")
        assert page.locator("td.label", has_text=re.compile("^性别$")).count() == 1, name
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        (artifacts / f"case-print-{href.strip('/').split('/')[-1]}.pdf").write_bytes(pdf)
        document = pypdfium2.PdfDocument(pdf)
        width, height = document[0].get_size()
        assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297), name  # A4, in mm
        sizes[name] = (len(document), page.locator("tr").count())
    assert all(pages == 1 for pages, _ in sizes.values()), f"pages (and table rows) per printout: {sizes}"


def walk(page) -> list[str]:
    """The pages a reviewer works on, from the batch to the case and its printout."""
    urls = ["/", "/upload/", "/batches/", "/documents/", "/review/", "/cases/"]
    urls.append(case_url(page).replace(page.url.split("/cases/")[0], ""))
    urls.append(document_url(page).replace(page.url.split("/documents/")[0], ""))
    urls.append(urls[-2] + "print")
    page.goto("/batches/")
    urls.append(page.locator("table a[href^='/batches/']").first.get_attribute("href"))
    return urls


@pytest.mark.parametrize("viewport", [NARROWEST, PHONE, WIDE], ids=["360px", "390px", "1400px"])
def test_every_page_fits_the_screen_and_shows_the_scan(new_page, evidence, viewport, artifacts):
    page = new_page(viewport)
    login(page, "reviewer")
    for url in walk(page):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        slug = re.sub(r"[^a-z0-9]+", "-", url).strip("-") or "dashboard"
        page.screenshot(path=str(artifacts / "widths" / f"{viewport['width']}-{slug}.png"), full_page=True)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} at {viewport['width']} px: {overflow} px wider than the window"
        if url.startswith("/documents/") and url.rstrip("/") != "/documents":
            scan_loaded(page)
            scan = page.locator(".page svg.scan").first.bounding_box()
            assert scan and scan["width"] >= 0.6 * min(viewport["width"], 900) and scan["height"] > 200, (url, scan)
            fields = page.locator("#fields").bounding_box()
            if viewport["width"] < 900:  # stacked on a phone: the scan above the fields, both full width
                assert fields["y"] >= scan["y"] + scan["height"] - 1 and fields["width"] >= 0.8 * (viewport["width"] - 30)
            else:
                assert fields["x"] >= scan["x"] + scan["width"] - 1  # side by side
    if viewport is PHONE:
        page.goto(walk(page)[7])
        scan_loaded(page)
        page.evaluate("() => window.scrollTo(0, 0)")
        readme_screenshot(page, "phone-review")


CODE_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def test_no_internal_code_in_any_page(new_page, evidence):
    from core.labels import CODE_PATTERNS, CODE_VOCABULARIES

    codes = {code: kind for kind, vocabulary in CODE_VOCABULARIES.items() for code in vocabulary}
    for name in ("clerk", "reviewer"):
        page = new_page()
        login(page, name)
        urls = walk(page) if name == "reviewer" else [u for u in walk_clerk(page)]
        for url in urls:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            text = page.evaluate("() => document.body.innerText")
            # the user names of this test's accounts are words too (reviewer), not codes
            text = re.sub(r"\b(clerk|reviewer)\b", "", text)
            leaked = sorted({f"{w} ({codes[w]})" for w in CODE_WORD.findall(text) if w in codes})
            assert not leaked, f"{name} {url} shows codes: {leaked}"
            for kind, pattern in CODE_PATTERNS.items():
                assert not re.search(pattern, text), f"{name} {url} shows {kind}: {re.search(pattern, text).group(0)}"


def walk_clerk(page) -> list[str]:
    urls = ["/", "/upload/", "/batches/", "/documents/", "/cases/"]
    urls.append(case_url(page).replace(page.url.split("/cases/")[0], ""))
    urls.append(document_url(page).replace(page.url.split("/documents/")[0], ""))
    urls.append(urls[-2] + "print")
    page.goto("/batches/")
    urls.append(page.locator("table a[href^='/batches/']").first.get_attribute("href"))
    return urls


def test_a_clerk_is_offered_no_review_link_and_the_favicon_is_there(new_page, evidence):
    page = new_page()
    login(page, "clerk")
    expect(page.locator("header nav a[href='/review/']")).to_have_count(0)
    page.goto(f"/batches/{evidence['batch']}/")
    expect(page.locator("#batch-progress")).not_to_contain_text("去复核")
    summary = page.locator("#batch-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("a[href^='/documents/']").first).to_be_visible()
    expect(summary.locator("a[href^='/cases/']").first).to_be_visible()
    assert page.request.get("/favicon.ico").status == 200
    # a disabled button looks disabled: 开始上传 before any file is picked
    page.goto("/upload/")
    start = page.locator("#start")
    expect(start).to_be_disabled()
    looks = start.evaluate("b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).cursor]")
    enabled = page.locator("label.button.secondary").first.evaluate("b => getComputedStyle(b).backgroundColor")
    accent = page.evaluate("() => { const b = document.createElement('button'); document.body.append(b);"
                           " const c = getComputedStyle(b).backgroundColor; b.remove(); return c; }")
    assert looks[1] == "not-allowed" and looks[0] not in (accent, enabled), (looks, accent, enabled)


def test_a_refused_value_keeps_the_focus_on_its_field(new_page, evidence):
    page = new_page()
    login(page, "reviewer")
    document_url(page)
    scan_loaded(page)
    rows = page.locator("#fields tr[data-field]:has(input[name=value])")
    target = None
    for i in range(rows.count()):
        if "date" in (rows.nth(i).get_attribute("data-field") or ""):
            target = rows.nth(i).get_attribute("data-field")
            break
    assert target, "no date field on the certificate"
    field = page.locator(f"input#value-{target}")
    field.click()
    field.fill("不是日期")
    field.press("Enter")
    expect(page.locator(f"tr#row-{target} [role=alert]")).to_be_visible()
    page.wait_for_function(f"() => document.activeElement && document.activeElement.id === 'value-{target}'")


def test_a_box_takes_its_new_colour_when_its_field_is_saved(new_page, evidence):
    page = new_page()
    login(page, "reviewer")
    document_url(page)
    scan_loaded(page)
    names = page.eval_on_selector_all(
        "#fields tr[data-field]", "rows => rows.filter(r => r.dataset.state !== 'reviewer').map(r => r.dataset.field)")
    name = next(n for n in names if page.locator(f"rect#box-{n}").count())
    box = page.locator(f"rect#box-{name}")
    assert "reviewer" not in (box.get_attribute("class") or "")
    page.locator(f"input#value-{name}").click()
    page.locator(f"input#value-{name}").press("Enter")  # unchanged text: confirms the field
    expect(page.locator(f"tr#row-{name}")).to_have_attribute("data-state", "reviewer")
    expect(box).to_have_class(re.compile(r"\breviewer\b"))  # green now, without a reload


def photo(text: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (900, 1200), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 40, index=0)
    draw.text((80, 100), text, fill="black", font=font)
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=85)
    return buf.getvalue()


def test_a_phone_takes_several_photos_into_one_document(new_page, tmp_path):
    page = new_page(PHONE)
    login(page, "clerk")
    page.goto("/upload/")
    camera = page.locator("#pick-camera")
    assert camera.get_attribute("capture") == "environment" and camera.get_attribute("accept") == "image/*"
    shots = []
    for n in (1, 2):
        path = tmp_path / f"IMG_{n}.jpg"
        path.write_bytes(photo(f"收件登记单 第{n}页"))
        shots.append(path)
    camera.set_input_files([str(shots[0])])
    camera.set_input_files([str(shots[1])])  # a second photo, taken after the first
    expect(page.locator("#shots figure")).to_have_count(2)
    expect(page.locator("#shots-count")).to_have_text("已拍 2 页")
    page.click("#photos-done")
    expect(page.locator("#files tbody tr")).to_have_count(1)
    expect(page.locator("#files tbody tr").first).to_contain_text("（2 页）")
    expect(page.locator("#shots figure")).to_have_count(0)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.click("#start")
    page.wait_for_function("() => document.body.dataset.uploadedBatch !== undefined", timeout=60_000)
    row = page.locator("#files tbody tr").first
    expect(row).to_have_attribute("data-status", "accepted")
    expect(row).to_contain_text("共 2 页")
    readme_screenshot(page, "phone-upload")


def test_the_guard_catches_a_request_to_another_host(browser, server):
    """What makes every browser test fail on an external request: here on a page whose CSP is
    bypassed, so that the request really leaves (and is aborted by the guard)."""
    context = browser.new_context(base_url=server, bypass_csp=True)
    foreign, refused = [], []
    try:
        page = context.new_page()
        guard(context, page, server, foreign, refused)
        page.goto("/accounts/login/")
        page.evaluate("() => fetch('http://198.51.100.7/cdn/swagger-ui.css').catch(() => null)")
        page.wait_for_timeout(300)
    finally:
        context.close()
    assert foreign == ["http://198.51.100.7/cdn/swagger-ui.css"]
    # and with the CSP in force, the page itself refuses it (a violation the guard records too)
    context = browser.new_context(base_url=server)
    try:
        page = context.new_page()
        guard(context, page, server, foreign, refused)
        page.goto("/accounts/login/")
        page.evaluate("() => fetch('http://198.51.100.7/x').catch(() => null)")
        page.wait_for_timeout(300)
    finally:
        context.close()
    assert refused and "Content Security Policy" in refused[0]


def test_the_api_docs_work_offline_behind_the_login(new_page):
    page = new_page()
    response = page.goto("/api/docs")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/api/docs$"))  # anonymous: the login page
    assert response.ok
    login(page, "clerk")
    page.goto("/api/docs")
    # Swagger UI, from casefile's own static files, under the strict CSP (the fixture fails on a
    # violation or a request elsewhere), shows the schema it read from /api/openapi.json
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("casefile API", timeout=20_000)
    expect(page.locator(".opblock-tag").first).to_be_visible()
