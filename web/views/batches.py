"""Upload (one request per file, so hundreds of files survive a flaky network) and batch progress."""
from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from casework.progress import batch_progress, recent_batches
from core.errors import FormError
from core.labels import DOC_TYPE_SHORT
from pipeline.ingest_batch import create_batch
from records.models import Batch, BatchFile, Document
from web.context import options
from web.photos import photos_pdf
from web.roles import CLERK, REVIEWER, has_role, role_required
from web.uploads import duplicates, own_receiving_batch, receive_file, seal
from web.visibility import scope_of


@role_required(CLERK)
def upload(request):
    return render(request, "web/upload.html", {"max_mb": options().ingest.max_file_bytes // 1048576})


@role_required(CLERK)
def batches(request):
    # Clerks: their own batches (web/visibility.py); reviewers and admins: every batch.
    ids = scope_of(request.user).batches().order_by("-id").values_list("pk", flat=True)[:50]
    return render(request, "web/batches.html", {"batches": [batch_progress(pk, with_files=False) for pk in ids]})


def _progress_context(request, batch_id: int) -> dict:
    progress = batch_progress(batch_id)
    context = {"b": progress, "duplicates": duplicates(batch_id), "can_review": has_role(request.user, REVIEWER)}
    if progress.finished:
        context["summary"] = batch_summary(batch_id)
        context["summary_totals"] = {
            "documents": sum(len(s["documents"]) for s in context["summary"] if not s["repeat"]),
            "cases": len({c.pk for s in context["summary"] for c in s["cases"]}),
        }
    return context


def batch_summary(batch_id: int) -> list[dict]:
    """Per uploaded file: the documents read from it and the cases they belong to, with links."""
    uploads = list(BatchFile.objects.filter(batch_id=batch_id).select_related("file", "duplicate_of").order_by("id"))
    docs = {}
    for d in Document.objects.filter(file_id__in=[u.file_id for u in uploads if u.file_id]).select_related("case").order_by("file_id", "index"):
        docs.setdefault(d.file_id, []).append(d)
    out = []
    for u in uploads:
        found = docs.get(u.file_id, []) if u.file_id else []
        cases = {d.case.pk: d.case for d in found if d.case}
        note = "未受理" if u.file_id is None else f"与“{u.duplicate_of.source}”相同，见该文件" if u.duplicate_of else "未分出材料"
        out.append({
            "source": u.source,
            "file_id": u.file_id,
            "repeat": u.duplicate_of_id is not None,
            "documents": [] if u.duplicate_of_id else [
                {"pk": d.pk, "public_id": d.public_id, "type_zh": DOC_TYPE_SHORT.get(d.doc_type, "其他材料"), "pages": d.pages,
                 "confirmed": d.review_status == Document.Review.CONFIRMED}
                for d in found
            ],
            "cases": [] if u.duplicate_of_id else list(cases.values()),
            "note": note,
        })
    return out


@role_required(CLERK)
def batch_detail(request, batch_id: int):
    get_object_or_404(Batch, pk=batch_id)
    return render(request, "web/batch.html", _progress_context(request, batch_id))


@role_required(CLERK)
def batch_progress_partial(request, batch_id: int):
    get_object_or_404(Batch, pk=batch_id)
    return render(request, "web/_batch_progress.html", _progress_context(request, batch_id))


@require_POST
@role_required(CLERK)
def batch_create(request):
    batch = create_batch(label=request.POST.get("label", "")[:200], uploaded_by=request.user.username)
    return JsonResponse({"batch_id": batch.pk})


@require_POST
@role_required(CLERK)
def batch_add_file(request, batch_id: int):
    batch = own_receiving_batch(request.user, batch_id)
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"error": "请求中没有文件"}, status=400)
    return JsonResponse({"files": receive_file(batch, request.POST.get("path") or upload.name, upload.read())})


@require_POST
@role_required(CLERK)
def batch_add_photos(request, batch_id: int):
    """Photos taken with a phone, several pages of one paper: one PDF, received as one file."""
    batch = own_receiving_batch(request.user, batch_id)
    photos = request.FILES.getlist("photo")
    name = (request.POST.get("path") or "手机拍照.pdf").strip()[:200]
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    ingest = options().ingest
    try:
        if sum(p.size for p in photos) > ingest.max_file_bytes:
            raise FormError(f"照片合计超过 {ingest.max_file_bytes // 1048576} MB")
        data = photos_pdf([(p.name, p.read()) for p in photos], ingest.max_pixels, ingest.dpi)
    except FormError as exc:
        return JsonResponse({"files": [{"source": name, "status": "refused", "message": exc.message}]})
    return JsonResponse({"files": receive_file(batch, name, data)})


@require_POST
@role_required(CLERK)
def batch_seal(request, batch_id: int):
    batch = own_receiving_batch(request.user, batch_id)
    seal(batch)
    return JsonResponse({"batch_id": batch.pk, "url": f"/batches/{batch.pk}/"})
