"""Uncertainty routes, never misleads (issue #10), through the database and the web pages: an
uncertain type heads the review queue as 类型待确认, a flag it may cause is provisional until the
page is confirmed, and an excluding document that matched no case is listed on the dashboard with
the roster's closest candidates and can be attached to one of them (reviewers only, CSRF)."""
from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from config.options import PipelineOptions
from pipeline.linking import evaluate_cases, link_all_documents
from report.contract import validate_report
from tests.conftest import VETERAN_ID
from web.roles import CLERK, REVIEWER, create_user

pytestmark = pytest.mark.django_db

LI_ID = "110101199003071233"


def _doc(src, index, doc_type, conf, case, pages, **values):
    from records.models import Document, Field

    doc = Document.objects.create(file=src, index=index, pages=pages, doc_type=doc_type, doc_type_conf=conf, case=case)
    for name, value in values.items():
        Field.objects.create(document=doc, name=name, value=value, raw=value, confidence=0.95, page=pages[0], bbox=[0, 0, 9, 9])
    return doc


@pytest.fixture
def bureau(workspace):
    """周立新's file lacks the placement letter, and page 5 of his scan is a page of uncertain type;
    王建军 (低保) has one certain document; an unmatched 除名 decision names 周立心, which sounds
    like 周立新 (a name alone that is exactly his would link it to him, provisionally)."""
    from records.models import Batch, BatchFile, Case, SourceFile

    zhou = Case.objects.create(id_number=VETERAN_ID, name="周立新", attributes={"工作单位": "青河县化肥厂"})
    li = Case.objects.create(id_number=LI_ID, name="王建军", attributes={"低保": "是"})
    scan = SourceFile.objects.create(sha256="a" * 64, kind="pdf", size=1, storage_key="a", first_name="周立新.pdf", status="done")
    other_scan = SourceFile.objects.create(sha256="b" * 64, kind="pdf", size=1, storage_key="b", first_name="王建军.pdf", status="done")
    loose = SourceFile.objects.create(sha256="c" * 64, kind="jpeg", size=1, storage_key="c", first_name="决定.jpg", status="done")
    who = {"name": "周立新", "id_number": VETERAN_ID}
    _doc(scan, 1, "enlistment", 0.97, zhou, [1], enlistment_date="1993-12", **who)
    _doc(scan, 2, "discharge", 0.97, zhou, [2], enlistment_date="1993-12", discharge_date="1996-12", **who)
    _doc(scan, 3, "termination", 0.97, zhou, [3], employer="青河县化肥厂", termination_date="2003-06-30",
         termination_reason="bankruptcy", **who)
    _doc(scan, 4, "id_card", 0.97, zhou, [4], birth_date="1975-03-14", gender="男", **who)
    uncertain = _doc(scan, 5, "other", 0.42, zhou, [5], **who)
    marked = _doc(other_scan, 1, "discharge", 0.96, li, [1], name="王建军", id_number=LI_ID, discharge_date="2000-12")
    removal = _doc(loose, 1, "termination", 0.93, None, [1], name="周立心", termination_date="2004-05-10",
                   termination_reason="removal")
    link_all_documents()
    evaluate_cases([VETERAN_ID, LI_ID], PipelineOptions().cases)
    # uploaded by the clerk account of these tests (clerks see their own batches: casework/visibility.py)
    batch = Batch.objects.create(label="t", uploaded_by="u_clerk", roster_cases=[VETERAN_ID, LI_ID], status="closed")
    for f in (scan, other_scan, loose):
        BatchFile.objects.create(batch=batch, source=f.first_name, file=f)
    return {"zhou": zhou, "li": li, "uncertain": uncertain, "marked": marked, "removal": removal, "batch": batch.pk}


@pytest.fixture
def users():
    return {role: create_user(f"u_{role}", role, "Zhou-Lixin-2019!") for role in (CLERK, REVIEWER)}


def login(users, role, **kw) -> Client:
    client = Client(**kw)
    client.force_login(users[role], backend="django.contrib.auth.backends.ModelBackend")
    return client


def placement_flag(case):
    return case.flags.get(code="missing_document", doc_type="placement")


def test_an_uncertain_type_heads_the_queue_before_priority_marks(bureau):
    from casework.queue import review_queue

    items = review_queue(PipelineOptions())
    assert items[0].document == bureau["uncertain"] and items[0].type_uncertain
    assert items[1].document == bureau["marked"] and items[1].marks and not items[1].type_uncertain
    assert sum(i.type_uncertain for i in items) == 1  # the removal decision (0.93) is certain enough


def test_the_queue_and_the_document_page_say_类型待确认_in_chinese(bureau, users):
    client = login(users, REVIEWER)
    html = client.get(reverse("review_queue")).content.decode()
    assert "类型待确认" in html and "其中 1 份类型待确认" in html
    assert ">other<" not in html and ">discharge<" not in html and "其他材料" in html and "退出现役材料" in html
    page = client.get(reverse("document", args=[bureau["uncertain"].pk])).content.decode()
    assert "类型待确认" in page and "确认类型为“其他材料”" in page
    certain = client.get(reverse("document", args=[bureau["marked"].pk])).content.decode()
    assert "类型待确认" not in certain


def test_a_flag_the_uncertain_page_may_cause_is_provisional_until_it_is_confirmed(bureau, users):
    zhou, uncertain = bureau["zhou"], bureau["uncertain"]
    flag = placement_flag(zhou)
    assert flag.provisional == {
        "documents": [uncertain.public_id],
        "pages": [{"document": uncertain.public_id, "page": 5, "cause": "doc_type"}],
    }
    assert f"（暂定：文件 {uncertain.public_id} 第 5 页类型未确认，确认后重新判断）" in flag.message
    client = login(users, REVIEWER)
    case_page = client.get(reverse("case", args=[zhou.pk])).content.decode()
    assert "暂定，待确认" in case_page and f"{uncertain.public_id} 第 5 页" in case_page
    assert "类型待确认" in case_page  # beside the document in the checklist
    review_page = client.get(reverse("document", args=[uncertain.pk])).content.decode()
    assert 'class="badge provisional"' in review_page

    response = client.post(reverse("confirm_document", args=[uncertain.pk]))
    assert response.status_code == 302
    flag = placement_flag(zhou)  # the same flag, re-judged: still missing, no longer provisional
    assert flag.provisional is None and "暂定" not in flag.message
    assert "暂定" not in client.get(reverse("case", args=[zhou.pk])).content.decode()
    from casework.queue import review_queue

    assert not any(i.type_uncertain for i in review_queue(PipelineOptions()))


def test_setting_the_type_also_ends_the_provisional_note(bureau, users):
    client = login(users, REVIEWER)
    client.post(reverse("change_type", args=[bureau["uncertain"].pk]), {"doc_type": "other"})
    assert placement_flag(bureau["zhou"]).provisional is None


def test_the_report_carries_provisional_flags_and_possible_exclusions(bureau):
    from pipeline.report import build_report

    report = build_report(bureau["batch"])
    validate_report(report)
    zhou = next(c for c in report["cases"] if c["id_number"] == VETERAN_ID)
    provisional = [f for f in zhou["flags"] if f.get("provisional")]
    assert [f["doc_type"] for f in provisional] == ["placement"]
    assert all("provisional" not in f for f in zhou["flags"] if f not in provisional)
    (entry,) = report["possible_exclusions"]
    assert entry["document"] == bureau["removal"].public_id and entry["reason"] == "removal"
    assert entry["candidates"][0]["id_number"] == VETERAN_ID and entry["candidates"][0]["name"] == "周立新"
    assert bureau["removal"].public_id in report["unmatched_documents"]


def test_the_dashboard_lists_the_unmatched_excluding_document_with_candidates(bureau, users):
    removal = bureau["removal"]
    clerk_page = login(users, CLERK).get(reverse("dashboard")).content.decode()
    assert "可能的排除情形" in clerk_page and removal.public_id in clerk_page and "除名" in clerk_page
    assert "周立新" in clerk_page and "1975-03-14" in clerk_page and "青河县化肥厂" in clerk_page
    assert "归入此案卷" not in clerk_page  # clerks see it, reviewers decide
    reviewer_page = login(users, REVIEWER).get(reverse("dashboard")).content.decode()
    assert reverse("attach_document", args=[removal.pk]) in reviewer_page and "归入此案卷" in reviewer_page


def test_attaching_needs_a_reviewer_and_a_csrf_token(bureau, users):
    from records.models import AuditEvent, Document

    removal, zhou = bureau["removal"], bureau["zhou"]
    url, data = reverse("attach_document", args=[removal.pk]), {"case": zhou.pk}
    anonymous = Client().post(url, data)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    assert login(users, CLERK).post(url, data).status_code == 403
    strict = login(users, REVIEWER, enforce_csrf_checks=True)
    assert strict.post(url, data).status_code == 403  # no token
    assert Document.objects.get(pk=removal.pk).case is None and not AuditEvent.objects.filter(action="attach_document")
    assert not zhou.flags.filter(code="disqualifying_termination").exists()

    strict.get(reverse("dashboard"))  # sets the CSRF cookie, as the page's form would
    response = strict.post(url, data | {"csrfmiddlewaretoken": strict.cookies["csrftoken"].value})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    removal.refresh_from_db()
    assert removal.case == zhou and removal.link_method == "reviewer"
    event = AuditEvent.objects.get(action="attach_document")
    assert event.actor == "u_reviewer" and event.before["case"] is None and event.after["case"] == zhou.pk
    assert zhou.flags.filter(code="disqualifying_termination").exists()  # the case was evaluated again
    link_all_documents()  # a reviewer's attachment survives linking again
    assert Document.objects.get(pk=removal.pk).case == zhou
    page = login(users, CLERK).get(reverse("dashboard")).content.decode()
    assert "可能的排除情形" not in page


def test_attaching_to_a_case_that_does_not_exist_is_refused(bureau, users):
    from records.models import Document

    client = login(users, REVIEWER)
    response = client.post(reverse("attach_document", args=[bureau["removal"].pk]), {"case": "999999"}, follow=True)
    assert "未找到该案卷" in response.content.decode()
    assert Document.objects.get(pk=bureau["removal"].pk).case is None


def test_the_api_says_类型待确认_and_provisional_too(bureau, users):
    from web.models import issue_token

    secret = issue_token(users[REVIEWER], "脚本")
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    queue = api.get("/api/review-queue").json()
    assert queue[0]["public_id"] == bureau["uncertain"].public_id and queue[0]["type_uncertain"] is True
    assert [q["type_uncertain"] for q in queue[1:]] == [False] * (len(queue) - 1)
    case = api.get(f"/api/cases/{bureau['zhou'].pk}").json()
    (flag,) = [f for f in case["flags"] if f["provisional"]]
    assert flag["code"] == "missing_document" and flag["provisional"]["documents"] == [bureau["uncertain"].public_id]
