"""The document list (文件) in the browser: a two-character name found by the full-text search,
filters and a saved view, a bulk confirm of 20 documents and a bulk attach (each document's change
in the audit log), and an unmatched 除名 certificate attached to the candidate the review screen
suggests, the exclusion flag appearing without a reload.

The clerk uploads the papers once (born-digital PDFs: no OCR): 20 receipts of this file's own
wording, a certificate for 夏新, and a termination certificate that names 周立鑫 — a misprint of
the rostered 周立新, so linking leaves it unmatched."""
from __future__ import annotations

import io
import re
import sqlite3

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login, readme_screenshot, upload, wait_for_batch

RECEIPTS = 20
XIA_ID = "360896197803145351"  # 夏新, on the browser tests' roster


def _pdf(lines: list[str], title: str) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "zenhei" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("zenhei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(420, 298), invariant=1)
    c.setFont("zenhei", 14)
    c.drawString(100, 260, title)
    c.setFont("zenhei", 9)
    for i, text in enumerate(lines):
        c.drawString(30, 230 - 18 * i, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def receipt(n: int) -> bytes:
    return _pdf([f"复印件收讫回执 第{n:03d}号", f"青河县退役军人事务局窗口收讫复印件 {n + 3} 页，登记号 HZ-{n:05d}。",
                 "本回执只证明收到复印件，不作为身份或服役证明。"], "复印件收讫回执")


def xia_certificate() -> bytes:
    return _pdf([f"兹证明 夏新（男，公民身份号码：{XIA_ID}）", "经查询，截至2021年6月1日，未发现其有犯罪记录。",
                 "青河县公安局东岭派出所  2021年6月1日"], "无犯罪记录证明")


def removal_certificate() -> bytes:
    return _pdf(["用人单位：青河县农机修造厂", "职工姓名：周立鑫    性别：男    出生年月：1975年3月",
                 "该职工于1998年5月到我单位工作。", "解除原因：除名", "解除日期：2004年5月10日",
                 "青河县农机修造厂（盖章）  2004年5月10日"], "解除劳动合同证明书")


@pytest.fixture(scope="module")
def papers(browser, server, tmp_path_factory):
    """Uploaded by the clerk through the upload page, processed; {"batch": id}."""
    folder = tmp_path_factory.mktemp("documents-batch")
    paths = []
    for n in range(1, RECEIPTS + 1):
        paths.append(folder / f"回执{n:03d}.pdf")
        paths[-1].write_bytes(receipt(n))
    for name, data in (("夏新-无犯罪记录证明.pdf", xia_certificate()), ("解除证明-农机厂.pdf", removal_certificate())):
        paths.append(folder / name)
        paths[-1].write_bytes(data)
    context = browser.new_context(base_url=server, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    page = context.new_page()
    login(page, "clerk")
    batch = upload(page, "文件列表测试", paths, timeout_ms=120_000)
    wait_for_batch(page, batch, timeout_ms=240_000)
    context.close()
    return {"batch": batch}


def audit_rows(workspace_dir, action: str) -> list[tuple[str, str]]:
    """(actor, object id) of the audit events of one action, read from the server's database."""
    with sqlite3.connect(workspace_dir / "casefile.sqlite3") as db:
        return db.execute("SELECT actor, object_id FROM records_auditevent WHERE action = ?", [action]).fetchall()


def listed(page) -> list[str]:
    return page.eval_on_selector_all("#doc-table tbody tr[data-document]", "rows => rows.map(r => r.dataset.document)")


def test_a_two_character_name_finds_its_documents(new_page, papers):
    page = new_page()
    login(page, "clerk")
    page.click("nav a:has-text('文件')")
    expect(page.locator("h1")).to_contain_text("文件")
    page.fill("#doc-q", "夏新")
    page.click("#doc-search")
    expect(page).to_have_url(re.compile(r"q=%E5%A4%8F%E6%96%B0"))
    rows = page.locator("#doc-table tbody tr[data-document]")
    expect(rows).not_to_have_count(0)
    for i in range(rows.count()):
        row = rows.nth(i)
        assert "夏新" in row.inner_text(), row.inner_text()  # its case, or the read text around the hit
    expect(page.locator("#doc-table")).to_contain_text("政审/无犯罪记录证明")  # the type in words
    expect(page.locator("#doc-table")).not_to_contain_text("复印件收讫回执")
    readme_screenshot(page, "documents")


def test_filters_and_a_saved_view(new_page, papers):
    page = new_page()
    login(page, "reviewer")
    page.goto("/documents/")
    page.fill("#doc-q", "收讫回执")
    page.select_option("#doc-state", "pending")
    page.fill("#doc-batch", str(papers["batch"]))
    page.click("#doc-search")
    expect(page.locator("h1")).to_have_text(f"文件（共 {RECEIPTS} 份）")
    first = listed(page)
    page.select_option("#doc-sort", "id")
    page.click("#doc-search")
    expect(page.locator("#doc-table tbody tr[data-document]").first).to_have_attribute("data-document", first[-1])
    page.fill("#view-name", "本批回执")
    page.click("#save-view button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("已保存视图“本批回执”")

    page.goto("/documents/")  # no conditions: everything
    expect(page.locator("h1")).not_to_have_text(f"文件（共 {RECEIPTS} 份）")
    page.click("#saved-views a[data-view='本批回执']")
    expect(page.locator("h1")).to_have_text(f"文件（共 {RECEIPTS} 份）")
    expect(page.locator("#doc-q")).to_have_value("收讫回执")
    expect(page.locator("#doc-state")).to_have_value("pending")
    expect(page.locator("#doc-sort")).to_have_value("id")
    assert listed(page) == sorted(first, key=int)

    other = new_page()  # a saved view is its owner's
    login(other, "clerk")
    other.goto("/documents/")
    expect(other.locator("#saved-views")).not_to_contain_text("本批回执")


def test_bulk_confirm_of_twenty_and_a_bulk_attach_are_audited(new_page, papers, workspace_dir):
    page = new_page()
    login(page, "reviewer")
    page.on("dialog", lambda dialog: dialog.accept())  # the "对选中的 N 份材料执行…？" question
    page.goto(f"/documents/?q=收讫回执&batch={papers['batch']}")
    ids = listed(page)
    assert len(ids) == RECEIPTS
    page.check("#select-all")
    expect(page.locator("#selected-count")).to_have_text(str(RECEIPTS))
    page.select_option("#bulk-action", "confirm")
    page.click("#bulk-apply")
    expect(page.locator(".messages")).to_contain_text(f"已对 {RECEIPTS} 份材料执行“确认”")
    states = page.locator("#doc-table tbody td.states")
    for i in range(states.count()):
        expect(states.nth(i)).to_contain_text("已确认")
    confirmed = audit_rows(workspace_dir, "confirm_document")
    assert sorted(i for actor, i in confirmed if actor == "reviewer") == sorted(ids)

    # Two of them go to 魏德国's case: picked one by one, the case typed by name.
    page.check(f"input.pick[value='{ids[0]}']")
    page.check(f"input.pick[value='{ids[1]}']")
    expect(page.locator("#selected-count")).to_have_text("2")
    page.select_option("#bulk-action", "attach")
    expect(page.locator("#bulk-case")).to_be_visible()
    page.fill("#bulk-case", "魏德国")
    page.click("#bulk-apply")
    expect(page.locator(".messages")).to_contain_text("已对 2 份材料执行“归入案卷”")
    attached = audit_rows(workspace_dir, "attach_document")
    assert sorted(i for actor, i in attached if actor == "reviewer") == sorted(ids[:2])
    row = page.locator(f"#doc-table tr[data-document='{ids[0]}']")
    expect(row).to_contain_text("魏德国")
    row.locator("a:has-text('魏德国')").click()
    expect(page.locator("main")).to_contain_text("指定所属案卷")  # the case history shows each attach


def test_an_unmatched_exclusion_is_attached_to_the_suggested_case_without_a_reload(new_page, papers):
    page = new_page()
    login(page, "reviewer")
    page.goto("/documents/?state=unmatched&q=除名")
    rows = page.locator("#doc-table tbody tr[data-document]")
    expect(rows).to_have_count(1)
    rows.first.locator("a[href^='/documents/']").first.click()
    expect(page).to_have_url(re.compile(r"/documents/\d+/$"))
    panel = page.locator("#case-panel")
    expect(panel).to_contain_text("未归入任何案卷")
    candidate = panel.locator("li.candidate").first
    expect(candidate).to_contain_text("周立新")
    expect(page.locator("#flags-panel li[data-code=disqualifying_termination]")).to_have_count(0)

    page.evaluate("() => { window.__samePage = true; }")  # gone if the page reloads
    candidate.locator("button.attach-candidate").click()
    expect(page.locator("#case-panel")).to_contain_text("已归入 周立新 的案卷")
    flag = page.locator("#flags-panel li[data-code=disqualifying_termination]")
    expect(flag).to_have_count(1)
    expect(flag).to_contain_text("除名")
    assert page.evaluate("() => window.__samePage === true"), "the page reloaded"


def test_another_clerk_sees_none_of_it(new_page, papers, workspace_dir):
    """The visibility policy in the browser: a second clerk finds none of the first clerk's papers,
    and their batch, documents and cases answer 未找到; the reviewer sees them."""
    import subprocess

    from tests.browser.conftest import _casefile_executable, clean_env
    from tests.browser.helpers import PASSWORD

    subprocess.run([_casefile_executable(), "createuser", "clerk2", "--role", "clerk", "--password", PASSWORD,
                    "--workspace", str(workspace_dir)], env=clean_env(workspace_dir), check=True, capture_output=True, timeout=120)
    reviewer = new_page()
    login(reviewer, "reviewer")
    reviewer.goto(f"/documents/?q=夏新&batch={papers['batch']}")
    doc_url = reviewer.locator("#doc-table tbody tr a[href^='/documents/']").first.get_attribute("href")
    case_url = reviewer.locator("#doc-table tbody tr a[href^='/cases/']").first.get_attribute("href")
    urls = [doc_url, case_url, f"/batches/{papers['batch']}/"]

    page = new_page()
    login(page, "clerk2")
    page.goto("/documents/?q=夏新")
    expect(page.locator("#doc-table")).to_contain_text("没有符合条件的材料")
    page.goto("/batches/")
    expect(page.locator("main")).not_to_contain_text("文件列表测试")
    for url in urls:
        response = page.goto(url)
        assert response.status == 404, url
        expect(page.locator("h1")).to_have_text("未找到")
    clerk = new_page()  # the clerk who uploaded them does see them
    login(clerk, "clerk")
    for url in urls:
        assert clerk.goto(url).status == 200, url
