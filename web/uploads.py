"""The upload rules the page and the API share: whose batch one may add to, receiving one file
(a retried request is answered as the first time), sealing, and what a clerk is told per file."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pipeline.flow import batch_ready, split_and_follow
from pipeline.ingest_batch import add_file, seal_batch
from pipeline.storage import sha256
from records.models import Batch, BatchFile, Page
from web.context import dispatcher, options
from web.roles import REVIEWER, has_role


def own_receiving_batch(user, batch_id: int) -> Batch:
    """A batch this user may add to: their own (reviewers: anyone's), still receiving files."""
    batch = get_object_or_404(Batch, pk=batch_id)
    if batch.uploaded_by != user.username and not has_role(user, REVIEWER):
        raise PermissionDenied("只能向自己创建的批次上传文件")
    if batch.status != Batch.Status.RECEIVING:
        raise PermissionDenied("该批次已提交，不能再添加文件；请新建批次")
    return batch


def receive_file(batch: Batch, source: str, data: bytes) -> list[dict]:
    """Store one uploaded file (a ZIP: its entries) and queue its new pages; the state of each."""
    source = source.lstrip("/")  # stored whole: the column has no length limit
    # A retried request whose first try did arrive: answer as the first time, record nothing twice.
    earlier = BatchFile.objects.filter(batch=batch, source=source, file__sha256=sha256(data)).first()
    if earlier is not None:
        _finish(earlier)
        return [upload_state(earlier)]
    result = add_file(batch, source, data, options().ingest)
    dispatcher().pages(result.new_page_ids)
    return [upload_state(u) for u in result.uploads]


def _finish(upload: BatchFile) -> None:
    """The first try may have died after recording the file (its web process killed mid-request):
    the file left unsplit, or its pages never queued. The retry does the rest now instead of
    leaving the batch waiting for the sweeper; for a first try that completed, nothing changes."""
    if upload.file_id is None:
        return
    send = dispatcher()
    split_and_follow(upload.file_id, options(), send)  # a file already split is left as it is
    stranded = Page.objects.filter(file_id=upload.file_id, status=Page.Status.PENDING, queued_at__isnull=True)
    send.pages(list(stranded.values_list("pk", flat=True)))
    upload.refresh_from_db()


def seal(batch: Batch) -> None:
    seal_batch(batch.pk)
    if batch_ready(batch.pk):
        dispatcher().close_batch(batch.pk)


def upload_state(upload: BatchFile) -> dict:
    if upload.file_id is None:
        return {"source": upload.source, "status": "refused", "message": upload.error}
    if upload.duplicate_of_id is not None:
        earlier = upload.duplicate_of
        day = timezone.localtime(earlier.batch.created_at)
        return {
            "source": upload.source,
            "status": "duplicate",
            "message": f"与批次 {earlier.batch_id} 中的“{earlier.source}”内容相同（{day:%Y-%m-%d} 上传），不重复处理",
        }
    # Pages that could not even be decoded failed at ingest: the clerk is told now, with the reason.
    failed = [p.error for p in upload.file.pages.filter(status="failed", image_key="")]
    message = f"已接收，共 {upload.file.pages_total} 页"
    if failed:
        message += f"，其中 {len(failed)} 页无法读取：" + "；".join(failed)
    return {"source": upload.source, "status": "accepted", "message": message}


def duplicates(batch_id: int) -> list[dict]:
    uploads = BatchFile.objects.filter(batch_id=batch_id, duplicate_of__isnull=False).select_related("duplicate_of__batch")
    return [upload_state(u) for u in uploads]
