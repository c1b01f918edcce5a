"""The web application through Django's test client: who may do what (every role against every
action), upload with duplicates and refusals, reviewing a field and seeing the case change, flag
decisions, accounts (argon2, login throttling, CSRF). Born-digital evidence, so no OCR runs."""
from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from config.options import PipelineOptions
from tests.born_digital import certificate_pdf
from tests.conftest import VETERAN_ID
from web.roles import ADMIN, CLERK, REVIEWER, create_user
from workers.local import LocalDispatcher

pytestmark = pytest.mark.django_db

PASSWORD = "Zhou-Lixin-2019!"


@pytest.fixture
def users():
    return {role: create_user(f"u_{role}", role, PASSWORD) for role in (CLERK, REVIEWER, ADMIN)}


def client_for(users, role: str | None) -> Client:
    client = Client()
    if role:
        client.force_login(users[role], backend="django.contrib.auth.backends.ModelBackend")
    return client


def actions(evidence):
    """(method, url, data, lowest role allowed)."""
    doc, case = evidence["doc"], evidence["case"]
    flag = case.flags.first()
    page = doc.file.pages.first()
    return [
        ("get", reverse("dashboard"), None, CLERK),
        ("get", reverse("upload"), None, CLERK),
        ("get", reverse("batches"), None, CLERK),
        ("get", reverse("batch", args=[evidence["batch"]]), None, CLERK),
        ("get", reverse("batch_progress", args=[evidence["batch"]]), None, CLERK),
        ("get", reverse("cases"), None, CLERK),
        ("get", reverse("case", args=[case.pk]), None, CLERK),
        ("get", reverse("case_print", args=[case.pk]), None, CLERK),
        ("get", reverse("export_cases"), None, CLERK),
        ("get", reverse("document", args=[doc.pk]), None, CLERK),
        ("get", reverse("page_image", args=[page.pk]), None, CLERK),
        ("post", reverse("batch_create"), {"label": "x"}, CLERK),
        ("get", reverse("review_queue"), None, REVIEWER),
        ("post", reverse("save_field", args=[doc.pk, "name"]), {"value": "周立新"}, REVIEWER),
        ("post", reverse("change_type", args=[doc.pk]), {"doc_type": doc.doc_type}, REVIEWER),
        ("post", reverse("split", args=[doc.pk]), {"page": "99"}, REVIEWER),
        ("post", reverse("merge", args=[doc.pk]), {"other": "0"}, REVIEWER),
        ("post", reverse("decide_flag", args=[flag.pk]), {"status": "waived", "note": "原件已核"}, REVIEWER),
        ("post", reverse("confirm_document", args=[doc.pk]), {}, REVIEWER),
        ("get", reverse("roster_import"), None, ADMIN),
    ]


RANK = {None: 0, CLERK: 1, REVIEWER: 2, ADMIN: 3, "clerk2": 1}


@pytest.mark.parametrize("role", [None, CLERK, REVIEWER, ADMIN])
def test_every_role_against_every_action(users, evidence, role):
    client = client_for(users, role)
    for method, url, data, lowest in actions(evidence):
        response = getattr(client, method)(url, data or {})
        where = f"{role or 'anonymous'} {method.upper()} {url}"
        if role is None:
            assert response.status_code == 302 and response["Location"].startswith(reverse("login")), where
        elif RANK[role] < RANK[lowest]:
            assert response.status_code == 403, where
            assert "无权限" in response.content.decode(), where
        else:
            assert response.status_code in (200, 302), where


def test_only_admins_reach_the_django_admin(users):
    assert client_for(users, ADMIN).get("/admin/").status_code == 200
    for role in (CLERK, REVIEWER):
        response = client_for(users, role).get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_correcting_a_field_is_audited_and_changes_the_case_at_once(users, evidence):
    from records.models import AuditEvent, Field

    doc, case = evidence["doc"], evidence["case"]
    assert not case.flags.filter(code="name_mismatch").exists()
    client = client_for(users, REVIEWER)
    response = client.post(reverse("save_field", args=[doc.pk, "name"]), {"value": "张三丰"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="flags-panel"' in html and 'hx-swap-oob="true"' in html
    assert "张三丰" in html and "不一致" in html  # the flags panel the reviewer sees already says so
    field = Field.objects.get(document=doc, name="name")
    assert (field.value, field.source, field.reviewed_by) == ("张三丰", "reviewer", "u_reviewer")
    event = AuditEvent.objects.get(action="correct_field")
    assert event.actor == "u_reviewer" and event.before["value"] == "周立新" and event.after["value"] == "张三丰"


def test_a_value_that_is_no_date_is_refused_with_the_reason(users, evidence):
    doc = evidence["doc"]
    response = client_for(users, REVIEWER).post(
        reverse("save_field", args=[doc.pk, "issue_date"]), {"value": "去年春天"}, HTTP_HX_REQUEST="true"
    )
    assert "不是可识别的日期" in response.content.decode()
    assert not doc.fields.filter(name="issue_date", source="reviewer").exists()


def test_a_confirmed_value_survives_linking_again(users, evidence):
    from pipeline.linking import link_all_documents
    from records.models import Field

    doc = evidence["doc"]
    client_for(users, REVIEWER).post(reverse("save_field", args=[doc.pk, "id_number"]), {"value": VETERAN_ID})
    link_all_documents()
    field = Field.objects.get(document=doc, name="id_number")
    assert field.reviewed_by == "u_reviewer" and field.value == VETERAN_ID


def test_a_flag_needs_a_note_to_be_waived(users, evidence):
    flag = evidence["case"].flags.filter(status="open").first()
    client = client_for(users, REVIEWER)
    client.post(reverse("decide_flag", args=[flag.pk]), {"status": "waived", "note": "  "})
    flag.refresh_from_db()
    assert flag.status == "open"
    client.post(reverse("decide_flag", args=[flag.pk]), {"status": "waived", "note": "档案馆出具证明，原件已核"})
    flag.refresh_from_db()
    assert (flag.status, flag.resolved_by) == ("waived", "u_reviewer")
    page = client.get(reverse("case", args=[flag.case_id])).content.decode()
    assert "档案馆出具证明" in page
    assert "处理问题" in page and "状态：待处理 → 已豁免" in page  # the history, in words


def test_upload_one_file_per_request_with_duplicates_and_refusals(users, workspace):
    from records.models import Batch, Page

    client = client_for(users, CLERK)
    batch_id = client.post(reverse("batch_create"), {"label": "窗口收件"}).json()["batch_id"]
    url = reverse("batch_add_file", args=[batch_id])

    def send(name, data):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(url, {"file": SimpleUploadedFile(name, data), "path": f"folder/{name}"}).json()["files"]

    pdf = certificate_pdf()
    assert send("cert.pdf", pdf)[0]["status"] == "accepted"
    assert send("cert.pdf", pdf)[0]["status"] == "accepted"  # a retried request: answered the same, stored once
    copy = send("copy.pdf", pdf)[0]
    assert copy["status"] == "duplicate" and "folder/cert.pdf" in copy["message"]
    refused = send("notes.pdf", b"this is not a PDF at all")[0]
    assert refused["status"] == "refused" and "notes.pdf" in refused["message"]
    assert Page.objects.filter(queued_at__isnull=False).count() == 2  # waiting for the page loop

    assert client.post(reverse("batch_seal", args=[batch_id])).status_code == 200
    assert Batch.objects.get(pk=batch_id).status == "open"
    LocalDispatcher(PipelineOptions()).pages(list(Page.objects.values_list("pk", flat=True)))
    assert Batch.objects.get(pk=batch_id).status == "closed"
    page = client.get(reverse("batch", args=[batch_id])).content.decode()
    assert "已完成" in page and "重复上传" in page and "未受理" in page
    # A sealed batch takes no more files.
    from django.core.files.uploadedfile import SimpleUploadedFile

    late = client.post(url, {"file": SimpleUploadedFile("late.pdf", pdf)})
    assert late.status_code == 403


def test_a_retry_finishes_what_a_killed_first_try_left(users, workspace):
    """The first request recorded the file and its web process died before splitting it: the
    retry splits it and queues its pages, so the batch does not wait for the sweeper."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ingest import Upload
    from pipeline.ingest_batch import IngestResult, receive_file
    from records.models import Batch, Page

    client = client_for(users, CLERK)
    batch_id = client.post(reverse("batch_create"), {"label": "窗口收件"}).json()["batch_id"]
    pdf = certificate_pdf()
    receive_file(Batch.objects.get(pk=batch_id), Upload("folder/cert.pdf", pdf, "pdf"), IngestResult(batch_id))
    assert not Page.objects.exists()  # recorded, never split: what the killed request left

    url = reverse("batch_add_file", args=[batch_id])
    state = client.post(url, {"file": SimpleUploadedFile("cert.pdf", pdf), "path": "folder/cert.pdf"}).json()["files"]
    assert state[0]["status"] == "accepted" and "共 2 页" in state[0]["message"]
    assert Page.objects.filter(queued_at__isnull=False).count() == 2


def test_another_clerks_batch_is_not_yours_to_fill(users):
    users["clerk2"] = create_user("u_clerk2", CLERK, PASSWORD)
    batch_id = client_for(users, CLERK).post(reverse("batch_create")).json()["batch_id"]
    assert client_for(users, "clerk2").post(reverse("batch_seal", args=[batch_id])).status_code == 403


def test_passwords_are_argon2_and_logins_are_throttled(users):
    assert users[CLERK].password.startswith("argon2")
    client = Client()
    for _ in range(5):
        client.post(reverse("login"), {"username": "u_clerk", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "u_clerk", "password": PASSWORD})
    assert locked.status_code == 429 or "暂停登录" in locked.content.decode()
    fresh = Client()
    fresh.post(reverse("login"), {"username": "u_reviewer", "password": PASSWORD})
    assert fresh.get(reverse("dashboard")).status_code == 200


def test_forms_need_the_csrf_token(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[CLERK], backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(reverse("batch_create")).status_code == 403


def test_dashboard_counts_cases_per_stage_and_open_flags(users, evidence):
    html = client_for(users, CLERK).get(reverse("dashboard")).content.decode()
    for stage in ("暂存", "受理", "初审", "核查", "缴费", "办结"):
        assert stage in html
    assert "缺少材料" in html
    queue = client_for(users, REVIEWER).get(reverse("review_queue")).content.decode()
    assert "低保" in queue  # the priority mark comes from the roster attributes


def test_an_admin_imports_the_roster(users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from records.models import AuditEvent, Case

    roster = "姓名,公民身份号码,低保\n周立新,360899197503141518,是\n".encode("utf-8")
    response = client_for(users, ADMIN).post(reverse("roster_import"), {"roster": SimpleUploadedFile("名册.csv", roster)})
    assert response.status_code == 302
    case = Case.objects.get(id_number=VETERAN_ID)
    assert case.name == "周立新" and case.attributes["低保"] == "是"
    assert AuditEvent.objects.filter(action="import_roster", actor="u_admin").exists()
    bad = client_for(users, ADMIN).post(reverse("roster_import"), {"roster": SimpleUploadedFile("bad.csv", b"a,b\n1,2\n")})
    assert "bad.csv" in bad.content.decode()


def test_type_change_split_and_merge_keep_what_reviewers_decided(users, evidence):
    from records.models import AuditEvent, Document

    first = evidence["doc"]
    second = Document.objects.exclude(pk=first.pk).get(file_id=first.file_id)
    client = client_for(users, REVIEWER)
    client.post(reverse("save_field", args=[first.pk, "name"]), {"value": "周立新"})  # confirmed as read

    client.post(reverse("merge", args=[first.pk]), {"other": second.pk})
    first.refresh_from_db()
    assert first.pages == [1, 2] and not Document.objects.filter(pk=second.pk).exists()

    client.post(reverse("split", args=[first.pk]), {"page": "2"})
    first.refresh_from_db()
    new = Document.objects.exclude(pk=first.pk).get(file_id=first.file_id)
    assert (first.pages, new.pages) == ([1], [2])

    client.post(reverse("change_type", args=[first.pk]), {"doc_type": "other"})
    first.refresh_from_db()
    assert first.doc_type == "other" and first.doc_type_conf == 1.0
    kept = first.fields.get(name="name")
    assert kept.reviewed_by == "u_reviewer"  # a decided field survives re-extraction for the new type
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"confirm_field", "merge_documents", "split_document", "change_doc_type"} <= actions


def test_confirming_a_document_opens_the_next_in_the_queue(users, evidence):
    from records.models import Document

    doc = evidence["doc"]
    response = client_for(users, REVIEWER).post(reverse("confirm_document", args=[doc.pk]))
    doc.refresh_from_db()
    assert doc.review_status == "confirmed"
    assert all(f.reviewed_by == "u_reviewer" for f in doc.fields.all())
    following = Document.objects.filter(review_status="pending").first()
    assert response["Location"] == reverse("document", args=[following.pk])


def test_a_case_moves_through_its_stages_with_guards_and_an_audit_trail(users, evidence):
    from records.models import AuditEvent

    case = evidence["case"]
    client = client_for(users, REVIEWER)
    move = reverse("move_stage", args=[case.pk])
    client.post(move, {"target": "accepted"})
    client.post(move, {"target": "first_review"})
    page = client.post(move, {"target": "verification"}, follow=True).content.decode()
    case.refresh_from_db()
    assert case.stage == "first_review" and "材料不齐" in page  # missing documents keep it at 初审
    case.flags.update(status="waived", note="经办人核实")
    client.post(move, {"target": "verification"})
    for part in ("社保", "医保", "低保"):
        client.post(reverse("record_verification", args=[case.pk]), {"part": part, "note": "已核"})
    client.post(move, {"target": "payment"})
    case.refresh_from_db()
    assert case.stage == "payment" and sorted(case.verified) == sorted(["社保", "医保", "低保"])
    moves = list(AuditEvent.objects.filter(action="move_stage").order_by("id").values_list("after__stage", flat=True))
    assert moves == ["accepted", "first_review", "verification", "payment"]
    assert client_for(users, CLERK).post(move, {"target": "completed"}).status_code == 403
