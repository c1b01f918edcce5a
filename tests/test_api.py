"""The JSON API (web/api.py) through Django's test client and the real middleware: tokens, who may
do what (every role against every endpoint), a correction that changes the case, upload with
duplicates and refusals, and the OpenAPI document. Born-digital evidence, so no OCR runs."""
from __future__ import annotations

import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from config.options import PipelineOptions
from pipeline.ingest_batch import create_batch
from tests.born_digital import certificate_pdf
from web.models import ApiToken, issue_token
from web.roles import ADMIN, CLERK, REVIEWER, create_user
from workers.local import LocalDispatcher

pytestmark = pytest.mark.django_db

from tests.conftest import VETERAN_ID
RANK = {None: 0, CLERK: 1, REVIEWER: 2, ADMIN: 3}


@pytest.fixture
def tokens():
    return {role: issue_token(create_user(f"u_{role}", role, "Zhou-Lixin-2019!"), f"{role} 脚本") for role in (CLERK, REVIEWER, ADMIN)}


def case_pk() -> int:
    from records.models import Case

    return Case.objects.get(id_number=VETERAN_ID).pk


def client(secret: str | None = None) -> Client:
    # A program has no CSRF cookie: the checks stay on to show a token needs none.
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {secret}"} if secret else {})


def call(c: Client, method: str, url: str, body: dict | None = None):
    if body and "file" in body:
        return c.post(url, body)  # multipart
    if method == "get":
        return c.get(url)
    return getattr(c, method)(url, json.dumps(body or {}), content_type="application/json")


def endpoints(evidence):
    """(method, url, body, lowest role allowed), in an order every role can run through."""
    doc, case = evidence["doc"], evidence["case"]
    field, flag = doc.fields.get(name="name"), case.flags.first()
    receiving = create_batch(label="窗口收件", uploaded_by="u_clerk").pk
    return [
        ("post", "/api/batches", {"label": "扫描站"}, CLERK),
        ("post", f"/api/batches/{receiving}/files", {"file": SimpleUploadedFile("junk.pdf", b"junk")}, CLERK),
        ("get", f"/api/batches/{receiving}", None, CLERK),
        ("post", f"/api/batches/{receiving}/seal", {}, CLERK),
        ("get", f"/api/documents/{doc.pk}", None, CLERK),
        ("get", "/api/cases", None, CLERK),
        ("get", f"/api/cases/{case.pk}", None, CLERK),
        ("get", "/api/review-queue", None, REVIEWER),
        ("put", f"/api/documents/{doc.pk}/fields/name", {"value": "周立新"}, REVIEWER),
        ("post", f"/api/fields/{field.pk}/confirm", {}, REVIEWER),
        ("put", f"/api/documents/{doc.pk}/type", {"doc_type": doc.doc_type}, REVIEWER),
        ("post", f"/api/flags/{flag.pk}/decide", {"status": "waived", "note": "原件已核"}, REVIEWER),
        ("post", f"/api/documents/{doc.pk}/confirm", {}, REVIEWER),
    ]


@pytest.mark.parametrize("role", [None, CLERK, REVIEWER, ADMIN])
def test_every_role_against_every_endpoint(tokens, evidence, role):
    c = client(tokens.get(role))
    for method, url, body, lowest in endpoints(evidence):
        response = call(c, method, url, body)
        where = f"{role or 'no token'} {method.upper()} {url}: {response.content[:200]!r}"
        if role is None:  # the token is the login: no redirect to the login page
            assert response.status_code == 401 and "令牌" in response.json()["detail"], where
        elif RANK[role] < RANK[lowest]:
            assert response.status_code == 403 and response.json()["detail"] == "需要“复核人”权限", where
        else:
            assert 200 <= response.status_code < 300, where


def test_a_correction_changes_the_field_is_audited_and_flags_the_case(tokens, evidence):
    from records.models import AuditEvent

    doc, case = evidence["doc"], evidence["case"]
    assert not case.flags.filter(code="name_mismatch").exists()
    response = call(client(tokens[REVIEWER]), "put", f"/api/documents/{doc.pk}/fields/name", {"value": "张三丰"})
    assert response.status_code == 200
    body = response.json()
    assert (body["value"], body["source"], body["reviewed_by"]) == ("张三丰", "reviewer", "u_reviewer")
    field = doc.fields.get(name="name")
    assert (field.value, field.source, field.reviewed_by) == ("张三丰", "reviewer", "u_reviewer")
    event = AuditEvent.objects.get(action="correct_field")
    assert event.actor == "u_reviewer" and event.before["value"] == "周立新" and event.after["value"] == "张三丰"
    flags = call(client(tokens[CLERK]), "get", f"/api/cases/{case_pk()}").json()["flags"]
    assert any(f["code"] == "name_mismatch" and f["status"] == "open" for f in flags)


def test_a_value_that_is_no_date_is_refused_with_the_reason(tokens, evidence):
    doc = evidence["doc"]
    response = call(client(tokens[REVIEWER]), "put", f"/api/documents/{doc.pk}/fields/issue_date", {"value": "去年春天"})
    assert response.status_code == 422 and "不是可识别的日期" in response.json()["detail"]
    assert not doc.fields.filter(name="issue_date", source="reviewer").exists()


def test_a_flag_needs_a_note_to_be_waived(tokens, evidence):
    flag = evidence["case"].flags.filter(status="open").first()
    c = client(tokens[REVIEWER])
    refused = call(c, "post", f"/api/flags/{flag.pk}/decide", {"status": "waived", "note": "  "})
    assert refused.status_code == 422 and refused.json()["detail"] == "请填写处理说明"
    done = call(c, "post", f"/api/flags/{flag.pk}/decide", {"status": "waived", "note": "档案馆出具证明，原件已核"})
    assert done.status_code == 200 and (done.json()["status"], done.json()["resolved_by"]) == ("waived", "u_reviewer")


def test_documents_cases_and_the_queue_read_as_on_the_pages(tokens, evidence):
    from records.models import Case

    doc = evidence["doc"]
    clerk = client(tokens[CLERK])
    body = call(clerk, "get", f"/api/documents/{doc.pk}").json()
    assert body["case"] == {"id": case_pk(), "id_number": VETERAN_ID, "name": "周立新"}
    name = next(f for f in body["fields"] if f["name"] == "name")
    assert (name["value"], name["source"], name["label"]) == ("周立新", "text_layer", "姓名") and len(name["bbox"]) == 4
    Case.objects.create(id_number="110101199001011237", name="李四")  # rostered, nothing evaluated yet
    assert len(call(client(tokens[REVIEWER]), "get", "/api/cases?stage=draft").json()) == 2
    assert len(call(clerk, "get", "/api/cases?stage=draft").json()) == 1  # 李四's case touches none of the clerk's batches
    assert call(clerk, "get", "/api/cases?stage=completed").json() == []
    assert [c["id_number"] for c in call(clerk, "get", "/api/cases?flag=missing_document").json()] == [VETERAN_ID]
    case = call(clerk, "get", f"/api/cases/{case_pk()}").json()
    assert case["attributes"] == {"低保": "是"} and case["marks"] == ["低保"] and doc.pk in [d["id"] for d in case["documents"]]
    queue = call(client(tokens[REVIEWER]), "get", "/api/review-queue").json()
    assert queue[0]["document_id"] == doc.pk and queue[0]["marks"] == ["低保"]
    assert call(clerk, "get", "/api/documents/999999").status_code == 404


def test_upload_with_duplicates_refusals_and_seal(tokens, workspace):
    from records.models import Batch, Page

    c = client(tokens[CLERK])
    batch_id = call(c, "post", "/api/batches", {"label": "窗口收件"}).json()["batch_id"]
    assert Batch.objects.get(pk=batch_id).uploaded_by == "u_clerk"

    def send(name, data):
        response = c.post(f"/api/batches/{batch_id}/files", {"file": SimpleUploadedFile(name, data), "path": f"folder/{name}"})
        assert response.status_code == 200, response.content
        return response.json()["files"]

    pdf = certificate_pdf()
    assert send("cert.pdf", pdf)[0]["status"] == "accepted"
    assert send("cert.pdf", pdf)[0]["status"] == "accepted"  # a retried request: answered the same, stored once
    copy = send("copy.pdf", pdf)[0]
    assert copy["status"] == "duplicate" and "folder/cert.pdf" in copy["message"]
    refused = send("notes.pdf", b"this is not a PDF at all")[0]
    assert refused["status"] == "refused" and "notes.pdf" in refused["message"]
    assert Page.objects.count() == 2

    sealed = call(c, "post", f"/api/batches/{batch_id}/seal")
    assert sealed.status_code == 200 and sealed.json()["status"] == "open"
    LocalDispatcher(PipelineOptions()).pages(list(Page.objects.values_list("pk", flat=True)))
    progress = call(c, "get", f"/api/batches/{batch_id}").json()
    assert progress["finished"] and progress["pages_done"] == 2
    assert [f["status"] for f in progress["files"]] == ["done", "duplicate", "refused"]
    late = c.post(f"/api/batches/{batch_id}/files", {"file": SimpleUploadedFile("late.pdf", pdf)})
    assert late.status_code == 403 and "已提交" in late.json()["detail"]


def test_another_clerks_batch_is_not_yours_to_fill(tokens):
    other = issue_token(create_user("u_clerk2", CLERK, "Zhou-Lixin-2019!"), "另一位经办人")
    batch_id = call(client(tokens[CLERK]), "post", "/api/batches", {}).json()["batch_id"]
    response = call(client(other), "post", f"/api/batches/{batch_id}/seal")
    assert response.status_code == 403 and response.json()["detail"] == "只能向自己创建的批次上传文件"
    assert call(client(tokens[REVIEWER]), "post", f"/api/batches/{batch_id}/seal").status_code == 200


def test_a_revoked_or_unknown_token_is_refused_and_use_is_recorded(tokens):
    token = ApiToken.objects.get(user__username="u_clerk")
    assert token.last_used_at is None
    assert call(client(tokens[CLERK]), "get", "/api/cases").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert call(client(tokens[CLERK] + "x"), "get", "/api/cases").status_code == 401
    token.revoked = True
    token.save()
    assert call(client(tokens[CLERK]), "get", "/api/cases").status_code == 401
    # A browser session is not a token: the API does not take it.
    session = Client()
    session.force_login(token.user, backend="django.contrib.auth.backends.ModelBackend")
    assert session.get("/api/cases").status_code == 401


def test_only_the_hash_of_the_secret_is_stored(tokens):
    from django.db import connection

    secret = tokens[REVIEWER]
    token = ApiToken.objects.get(user__username="u_reviewer")
    assert token.key == hashlib.sha256(secret.encode()).hexdigest() and token.prefix == secret[:8]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM web_apitoken")
        stored = repr(cursor.fetchall())
    assert secret not in stored and secret[8:20] not in stored


def test_the_openapi_document_is_served_and_valid(tokens):
    from openapi_spec_validator import validate

    from django.contrib.auth.models import User

    anonymous = client().get("/api/openapi.json")  # issue #13: the schema and docs need a login
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    signed_in = Client()
    signed_in.force_login(User.objects.get(username="u_clerk"), backend="django.contrib.auth.backends.ModelBackend")
    response = signed_in.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)
    assert spec["openapi"].startswith("3.") and spec["info"]["title"] == "casefile API"
    operations = {(method, path) for path, item in spec["paths"].items() for method in item}
    assert operations == {
        ("post", "/api/batches"), ("post", "/api/batches/{batch_id}/files"), ("post", "/api/batches/{batch_id}/seal"),
        ("get", "/api/batches/{batch_id}"), ("get", "/api/documents/{document_id}"),
        ("put", "/api/documents/{document_id}/fields/{name}"), ("post", "/api/fields/{field_id}/confirm"),
        ("post", "/api/documents/{document_id}/confirm"), ("put", "/api/documents/{document_id}/type"),
        ("get", "/api/cases"), ("get", "/api/cases/{case_id}"), ("post", "/api/flags/{flag_id}/decide"),
        ("get", "/api/review-queue"), ("get", "/api/documents"),
    }
    assert spec["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert "Set a field to what the paper says" in spec["paths"]["/api/documents/{document_id}/fields/{name}"]["put"]["description"]
    assert client().get("/api/docs").status_code == 302 and signed_in.get("/api/docs").status_code == 200


def test_admins_issue_tokens_in_the_django_admin_and_revoke_them(tokens):
    admin = Client()
    admin.force_login(ApiToken.objects.get(user__username="u_admin").user, backend="django.contrib.auth.backends.ModelBackend")
    clerk = ApiToken.objects.get(user__username="u_clerk").user
    page = admin.post("/admin/web/apitoken/add/", {"user": clerk.pk, "name": "扫描站"}, follow=True)
    secret = next(str(m).rsplit("：", 1)[1] for m in page.context["messages"])  # shown once, here
    assert call(client(secret), "get", "/api/cases").status_code == 200
    issued = ApiToken.objects.get(name="扫描站")
    admin.post("/admin/web/apitoken/", {"action": "revoke", "_selected_action": [issued.pk]})
    assert call(client(secret), "get", "/api/cases").status_code == 401
    assert call(client(tokens[CLERK]), "get", "/api/cases").status_code == 200  # the others still work
