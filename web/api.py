"""The JSON API at /api/: the operations of the web pages for programs (a scanner station, the
bureau's case system), with the same role checks, calling the same pipeline functions. A program
signs in with a token (`Authorization: Bearer <secret>`, see web.models.ApiToken), never a session.
The OpenAPI schema is at /api/openapi.json, its documentation at /api/docs.

This module is also the URLconf casefile/urls.py includes at api/."""
from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, NinjaAPI, UploadedFile
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from casework import review
from casework.progress import batch_progress
from casework.queue import review_queue
from core.errors import UserError
from core.labels import FIELD_ZH
from pipeline.ingest_batch import create_batch
from records.models import Batch, Case, Document, Field, Flag
from web import uploads
from web.api_shapes import (
    BatchCreated, BatchIn, BatchOut, CaseOut, CaseSummary, DecisionIn, DocTypeIn, DocumentListItem, DocumentOut,
    FieldIn, FieldOut, FlagOut, QueueItemOut, SealOut, UploadOut,
)
from web.context import options
from web.models import ApiToken, hash_secret
from web.roles import CLERK, REVIEWER, ROLE_ZH, has_role
from web.views.cases import filter_cases

LAST_USED_STEP = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = ApiToken.objects.select_related("user").filter(
            key=hash_secret(token), revoked=False, user__is_active=True
        ).first()
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_STEP:
            # Not a write per request: on SQLite every write waits for the page workers' writes.
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user  # has_role and the audit trail see the token's user
        return found


# The schema and Swagger UI (served from ninja's own static files) need a logged-in session: they
# describe the bureau's system, which is no one else's business.
api = NinjaAPI(title="casefile API", version="1", urls_namespace="api", auth=TokenAuth(), docs_decorator=login_required)


def need(request, role: str) -> None:
    """The role check of the pages (web.roles), as an API error."""
    if not has_role(request.user, role):
        raise HttpError(403, f"需要“{ROLE_ZH[role]}”权限")


# Errors a client reads, in Chinese like everything else: {"detail": "..."}.
def _error(status: int, message: str | None = None):
    return lambda request, exc: api.create_response(request, {"detail": message or str(exc)}, status=status)


api.add_exception_handler(AuthenticationError, _error(401, "需要有效的接口令牌（Authorization: Bearer …）"))
api.add_exception_handler(Http404, _error(404, "未找到"))
api.add_exception_handler(PermissionDenied, _error(403))  # raised by the page's batch ownership rule
# The user error family (core/errors.py): the change cannot be made, and the message says why.
api.add_exception_handler(UserError, _error(422))


def _invalid(request, exc: ValidationError):
    """A request the schema refuses: said in Chinese, the field named in words (core.labels)."""
    details = []
    for error in exc.errors:
        names = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload", "query", "path", "form")]
        shown = "、".join(API_NAME_ZH.get(n, FIELD_ZH.get(n, n)) for n in names) or "请求"
        details.append({"loc": list(error.get("loc", ())), "msg": f"{shown}：{_VALIDATION_ZH.get(error.get('type', ''), '格式不正确')}"})
    return api.create_response(request, {"detail": details}, status=422)


# Names of the API's own request fields (the others are extracted fields: core.labels.FIELD_ZH).
API_NAME_ZH = {"value": "字段值", "doc_type": "材料类型", "status": "处理方式", "note": "处理说明", "label": "批次说明",
               "file": "文件", "path": "文件路径", "target": "目标阶段", "reason": "原因", "q": "查询条件", "case": "案卷编号"}
_VALIDATION_ZH = {"missing": "缺少此项", "string_type": "应为文字", "int_parsing": "应为整数", "int_type": "应为整数",
                  "float_parsing": "应为数字", "json_invalid": "请求内容不是有效的 JSON", "model_attributes_type": "格式不正确"}
api.add_exception_handler(ValidationError, _invalid)


# ---- batches (clerks) -------------------------------------------------------------------------


@api.post("/batches", response=BatchCreated, tags=["batches"])
def start_batch(request, payload: BatchIn):
    """Start a batch; add files to it one request each, then seal it."""
    need(request, CLERK)
    return {"batch_id": create_batch(label=payload.label[:200], uploaded_by=request.user.username).pk}


@api.post("/batches/{batch_id}/files", response=UploadOut, tags=["batches"])
def add_batch_file(request, batch_id: int, file: UploadedFile = File(...), path: str = Form("")):
    """Add one file (PDF, TIFF, JPEG, PNG or a ZIP of them) to a batch you created (reviewers: any
    receiving batch). `path` is its name in the folder it came from. Repeating a request that did
    arrive is answered as the first time; bytes seen before are reported as a duplicate."""
    need(request, CLERK)
    batch = uploads.own_receiving_batch(request.user, batch_id)
    return {"files": uploads.receive_file(batch, path or file.name, file.read())}


@api.post("/batches/{batch_id}/seal", response=SealOut, tags=["batches"])
def seal(request, batch_id: int):
    """No more files will come: the batch is processed and closed once its files are read."""
    need(request, CLERK)
    batch = uploads.own_receiving_batch(request.user, batch_id)
    uploads.seal(batch)
    batch.refresh_from_db()
    return {"batch_id": batch.pk, "status": batch.status}


@api.get("/batches/{batch_id}", response=BatchOut, tags=["batches"])
def get_batch(request, batch_id: int):
    """Where a batch stands: pages read and failed, and every file's state."""
    need(request, CLERK)
    get_object_or_404(Batch, pk=batch_id)
    return batch_progress(batch_id)


# ---- documents and review (reading: clerks; changing: reviewers) ------------------------------


@api.get("/documents", response=list[DocumentListItem], tags=["review"])
def list_documents(request, q: str = "", doc_type: str = "", state: str = "", batch: str = "", case: str = "",
                   sort: str = "-id", limit: int = 50, offset: int = 0):
    """Documents you may see, as the 文件 list has them: `q` searches the text read from the pages,
    the field values and the file names (every blank-separated term must occur; two-character names
    and ID number fragments work); `state` is pending, confirmed, unmatched or uncertain; `sort` one
    of -id, id, confidence, -confidence, type, case, batch. At most 200 per request."""
    from django.http import QueryDict

    from web.views.documents import filtered

    need(request, CLERK)
    params = QueryDict(mutable=True)
    params.update({"q": q, "type": doc_type, "state": state, "batch": batch, "case": case, "sort": sort})
    start = max(offset, 0)
    return list(filtered(request, params)[start:start + max(1, min(limit, 200))])


@api.get("/documents/{document_id}", response=DocumentOut, tags=["review"])
def get_document(request, document_id: int):
    """A document: its type, pages, case and every extracted field with where it was found."""
    need(request, CLERK)
    return get_object_or_404(Document.objects.select_related("case"), pk=document_id)


@api.put("/documents/{document_id}/fields/{name}", response=FieldOut, tags=["review"])
def correct_field(request, document_id: int, name: str, payload: FieldIn):
    """Set a field to what the paper says (also one the extractor missed). The case is checked
    again at once; a value that cannot be read (e.g. no date) is refused with the reason (422)."""
    need(request, REVIEWER)
    doc = get_object_or_404(Document, pk=document_id)
    return review.correct_field(doc.pk, name, payload.value.strip(), request.user.username, options())


@api.post("/fields/{field_id}/confirm", response=FieldOut, tags=["review"])
def confirm_field(request, field_id: int):
    """The field's value is right as extracted."""
    need(request, REVIEWER)
    field = get_object_or_404(Field, pk=field_id)
    return review.confirm_field(field.pk, request.user.username, options())


@api.post("/documents/{document_id}/confirm", response=DocumentOut, tags=["review"])
def confirm_document(request, document_id: int):
    """The document's type and every field as it stands are right."""
    need(request, REVIEWER)
    doc = get_object_or_404(Document, pk=document_id)
    return review.confirm_document(doc.pk, request.user.username, options())


@api.put("/documents/{document_id}/type", response=DocumentOut, tags=["review"])
def change_type(request, document_id: int, payload: DocTypeIn):
    """Change the document type; fields are extracted again for it, keeping reviewed ones."""
    need(request, REVIEWER)
    doc = get_object_or_404(Document, pk=document_id)
    return review.change_doc_type(doc.pk, payload.doc_type, request.user.username, options())


@api.get("/review-queue", response=list[QueueItemOut], tags=["review"])
def get_review_queue(request):
    """Documents waiting for a reviewer, most needed first (priority marks, open errors, least certain)."""
    need(request, REVIEWER)
    return review_queue(options(), 300)


# ---- cases ------------------------------------------------------------------------------------


@api.get("/cases", response=list[CaseSummary], tags=["cases"])
def list_cases(request, response: HttpResponse, stage: str = "", flag: str = "", q: str = "", limit: int = 50, offset: int = 0):
    """Cases you may see, a page at a time (`limit`, at most 500, from `offset`; the header
    `X-Total-Count` gives how many match), ordered by id, optionally those at a stage, with an open
    flag of a code, or whose name or ID number contains `q` (find a veteran's case id this way: ID
    numbers never go in a URL path, which ends up in server logs). The same filters as the 案卷 page."""
    need(request, CLERK)
    cases = filter_cases(request.user, q, stage, flag)
    response["X-Total-Count"] = str(cases.count())
    start = max(offset, 0)
    return list(cases.with_counts()[start:start + max(1, min(limit, 500))])


@api.get("/cases/{case_id}", response=CaseOut, tags=["cases"])
def get_case(request, case_id: int):
    """One veteran's case: identity, roster attributes, stage, what was worked out, documents, flags."""
    need(request, CLERK)
    return get_object_or_404(Case, pk=case_id)


@api.post("/flags/{flag_id}/decide", response=FlagOut, tags=["cases"])
def decide_flag(request, flag_id: int, payload: DecisionIn):
    """Resolve or waive a flag, with a note saying why."""
    need(request, REVIEWER)
    flag = get_object_or_404(Flag, pk=flag_id)
    return review.decide_flag(flag.pk, payload.status, payload.note, request.user.username)


# ---- URLconf ----------------------------------------------------------------------------------


def _without_login_redirect(urls):
    """LoginRequiredMiddleware would send token clients to the login page. ninja 1.7 builds its own
    view functions (PathView.get_view, openapi/urls.py) and has no way to mark them
    (vitalik/django-ninja#1461), so each URL's view is marked here: the token is the API's login."""
    patterns, _app_name, _namespace = urls
    for pattern in patterns:
        login_not_required(pattern.callback)
    return patterns


urlpatterns = _without_login_redirect(api.urls)
app_name = api.urls_namespace  # the namespace ninja reverses its own URLs in ("api:openapi-json")
