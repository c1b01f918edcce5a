"""Upload (one request per file, so hundreds of files survive a flaky network) and batch progress."""
from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pipeline.flow import batch_ready
from pipeline.ingest_batch import add_file, create_batch, seal_batch
from pipeline.progress import batch_progress, recent_batches
from records.models import Batch, BatchFile
from web.context import dispatcher, options
from web.roles import CLERK, REVIEWER, has_role, role_required


@role_required(CLERK)
def upload(request):
    return render(request, "web/upload.html", {"max_mb": options().ingest.max_file_bytes // 1048576})


@role_required(CLERK)
def batches(request):
    return render(request, "web/batches.html", {"batches": recent_batches(50)})


@role_required(CLERK)
def batch_detail(request, batch_id: int):
    get_object_or_404(Batch, pk=batch_id)
    return render(request, "web/batch.html", {"b": batch_progress(batch_id), "duplicates": _duplicates(batch_id)})


@role_required(CLERK)
def batch_progress_partial(request, batch_id: int):
    get_object_or_404(Batch, pk=batch_id)
    return render(request, "web/_batch_progress.html", {"b": batch_progress(batch_id), "duplicates": _duplicates(batch_id)})


@require_POST
@role_required(CLERK)
def batch_create(request):
    batch = create_batch(label=request.POST.get("label", "")[:200], uploaded_by=request.user.username)
    return JsonResponse({"batch_id": batch.pk})


@require_POST
@role_required(CLERK)
def batch_add_file(request, batch_id: int):
    batch = _own_receiving_batch(request, batch_id)
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"error": "请求中没有文件"}, status=400)
    source = (request.POST.get("path") or upload.name).lstrip("/")[:500]
    data = upload.read()
    # A retried request whose first try did arrive: answer as the first time, record nothing twice.
    earlier = BatchFile.objects.filter(batch=batch, source=source, file__sha256=hashlib.sha256(data).hexdigest()).first()
    uploads = [earlier] if earlier else None
    if uploads is None:
        result = add_file(batch, source, data, options().ingest)
        dispatcher().pages(result.new_page_ids)
        uploads = result.uploads
    return JsonResponse({"files": [_upload_state(u) for u in uploads]})


@require_POST
@role_required(CLERK)
def batch_seal(request, batch_id: int):
    batch = _own_receiving_batch(request, batch_id)
    seal_batch(batch.pk)
    if batch_ready(batch.pk):
        dispatcher().close_batch(batch.pk)
    return JsonResponse({"batch_id": batch.pk, "url": f"/batches/{batch.pk}/"})


def _own_receiving_batch(request, batch_id: int) -> Batch:
    batch = get_object_or_404(Batch, pk=batch_id)
    if batch.uploaded_by != request.user.username and not has_role(request.user, REVIEWER):
        raise PermissionDenied("只能向自己创建的批次上传文件")
    if batch.status != Batch.Status.RECEIVING:
        raise PermissionDenied("该批次已提交，不能再添加文件；请新建批次")
    return batch


def _upload_state(upload: BatchFile) -> dict:
    if upload.file_id is None:
        return {"source": upload.source, "status": "refused", "message": upload.error}
    if upload.duplicate_of_id is not None:
        earlier = upload.duplicate_of
        return {
            "source": upload.source,
            "status": "duplicate",
            "message": f"与批次 {earlier.batch_id} 中的“{earlier.source}”内容相同（{timezone.localtime(earlier.batch.created_at):%Y-%m-%d} 上传），不重复处理",
        }
    return {"source": upload.source, "status": "accepted", "message": f"已接收，共 {upload.file.pages_total} 页"}


def _duplicates(batch_id: int) -> list[dict]:
    uploads = BatchFile.objects.filter(batch_id=batch_id, duplicate_of__isnull=False).select_related("duplicate_of__batch")
    return [_upload_state(u) for u in uploads]
