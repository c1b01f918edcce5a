"""Upload (one request per file, so hundreds of files survive a flaky network) and batch progress."""
from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from pipeline.ingest_batch import create_batch
from pipeline.progress import batch_progress, recent_batches
from records.models import Batch
from web.context import options
from web.roles import CLERK, role_required
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


@role_required(CLERK)
def batch_detail(request, batch_id: int):
    get_object_or_404(Batch, pk=batch_id)
    return render(request, "web/batch.html", {"b": batch_progress(batch_id), "duplicates": duplicates(batch_id)})


@role_required(CLERK)
def batch_progress_partial(request, batch_id: int):
    get_object_or_404(Batch, pk=batch_id)
    return render(request, "web/_batch_progress.html", {"b": batch_progress(batch_id), "duplicates": duplicates(batch_id)})


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
def batch_seal(request, batch_id: int):
    batch = own_receiving_batch(request.user, batch_id)
    seal(batch)
    return JsonResponse({"batch_id": batch.pk, "url": f"/batches/{batch.pk}/"})
