"""A clerk uploads a small batch and watches it finish; a reviewer corrects a field on the review
screen and sees the case's flags change at once; a clerk may look but not review.

The three tests share one server and, in this order, one batch (the clerk's upload); run alone,
the reviewer's and the refused clerk's tests upload it themselves."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DONE, VETERAN_ID, login, readme_screenshot, upload, upload_rows, wait_for_batch

LABEL = "11月29日窗口收件"


@pytest.fixture
def evidence(shared, small_batch, new_page):
    """The clerk's batch, processed: uploaded by the first test or, when it did not run, here."""
    if "batch" not in shared:
        page = new_page()
        login(page, "clerk")
        shared["batch"] = upload(page, LABEL, small_batch)
        wait_for_batch(page, shared["batch"])
    return shared


def test_clerk_uploads_a_batch_and_watches_it_finish(new_page, small_batch, shared):
    page = new_page()
    login(page, "clerk")
    batch_id = upload(page, LABEL, small_batch)

    rows = upload_rows(page)
    names = [p.name for p in small_batch]
    assert sorted(r["name"] for r in rows) == sorted(names)
    by_name = {r["name"]: r for r in rows}
    assert all(r["status"] in DONE and r["message"].strip() for r in rows), rows
    refused = [r for r in rows if r["status"] == "refused"]
    assert [r["name"] for r in refused] == ["notes.pdf"], rows
    assert "notes.pdf" in refused[0]["message"], refused
    duplicate = by_name["证明-复印件.pdf"]
    assert duplicate["status"] == "duplicate" and "周立新-无犯罪记录证明.pdf" in duplicate["message"], duplicate
    assert sum(r["status"] == "accepted" for r in rows) == 4, rows
    expect(page.locator("#summary")).to_contain_text(f"查看批次 {batch_id} 的识别进度")
    readme_screenshot(page, "upload")

    page.click(f"#summary a:has-text('查看批次 {batch_id} 的识别进度')")
    expect(page).to_have_url(re.compile(rf"/batches/{batch_id}/$"))
    expect(page.locator("h1")).to_contain_text(LABEL)
    wait_for_batch(page, batch_id)  # the page polls itself every 2 s: no reload here
    expect(page.locator("#batch-progress")).to_contain_text("重复上传")
    shared["batch"] = batch_id


def test_reviewer_corrects_a_field_and_sees_the_flag_change(new_page, evidence):
    page = new_page()
    login(page, "reviewer")
    page.goto("/review/")
    row = page.locator("tbody tr", has=page.locator("a", has_text="周立新"))
    expect(row.first).to_be_visible()
    row.first.locator("a[href^='/documents/']").click()
    expect(page).to_have_url(re.compile(r"/documents/\d+/$"))
    evidence["document_url"] = page.url

    # The scan (the rendered page) is there, with the name's box drawn over it.
    page.wait_for_function(
        "() => { const p = [...document.querySelectorAll('.page')];"
        " return p.length > 0 && p.every(d => Number(d.dataset.loaded) > 0); }"
    )
    expect(page.locator("rect#box-name")).to_have_count(1)
    flags = page.locator("#flags-panel li[data-code=name_mismatch]")
    expect(flags).to_have_count(0)

    page.evaluate("() => { window.__samePage = true; }")  # gone if the page reloads
    field = page.locator("input#value-name")
    expect(field).to_have_value("周立新")
    field.focus()
    field.select_text()
    page.keyboard.type("张三丰")
    page.keyboard.press("Enter")

    expect(flags).to_have_count(1)
    expect(flags).to_have_attribute("data-status", "open")
    expect(flags).to_contain_text("张三丰")
    expect(page.locator("input#value-name")).to_have_value("张三丰")
    expect(page.locator("tr#row-name")).to_have_class(re.compile(r"\bdecided\b"))
    assert page.evaluate("() => window.__samePage === true"), "the page was reloaded"
    readme_screenshot(page, "review")

    open_case(page, VETERAN_ID)
    expect(page.locator("h1")).to_contain_text("周立新")
    expect(page.locator("#case-flags li[data-code=name_mismatch]")).to_have_count(1)
    readme_screenshot(page, "case")


def test_clerk_is_refused_the_review_action(new_page, evidence):
    page = new_page()
    login(page, "clerk")
    response = page.goto("/review/")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("无权限")

    # The clerk finds the document through the case file and sees it read-only.
    open_case(page, VETERAN_ID)
    page.locator("#checklist a[href^='/documents/']").first.click()
    expect(page).to_have_url(re.compile(r"/documents/\d+/$"))
    document_url = page.url
    expect(page.locator("tr#row-name")).to_be_visible()
    expect(page.locator("input#value-name")).to_have_count(0)
    expect(page.locator("#confirm-document")).to_have_count(0)
    shown = page.locator("tr#row-name td").nth(1).inner_text().strip()

    # Posting the field by hand, with a valid CSRF token, is refused too.
    token = page.evaluate("() => JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken']")
    document_id = int(re.search(r"/documents/(\d+)/$", document_url).group(1))
    refused = page.request.post(
        f"/documents/{document_id}/fields/name", form={"value": "李四"}, headers={"X-CSRFToken": token, "HX-Request": "true"}
    )
    assert refused.status == 403, refused.status
    assert "无权限" in refused.text() and "需要“复核人”权限" in refused.text()  # the role check, not the CSRF check
    no_token = page.request.post(f"/documents/{document_id}/fields/name", form={"value": "李四"})
    assert no_token.status == 403 and "需要“复核人”权限" not in no_token.text()  # the CSRF check's own page

    page.reload()
    expect(page.locator("tr#row-name td").nth(1)).to_have_text(shown)
    assert "李四" not in shown


def open_case(page, id_number: str) -> None:
    """Through the case search, as a clerk would: case URLs carry ids, never ID numbers."""
    page.goto(f"/cases/?q={id_number}")
    page.locator("table a[href^='/cases/']").first.click()
    expect(page).to_have_url(re.compile(r"/cases/\d+/$"))
