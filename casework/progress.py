"""Where a batch stands, read from the database: what `casefile status`, `casefile submit --wait`
and the web pages show a clerk. Counts come from page rows, never from task results."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from records.models import Batch, BatchFile, Page, SourceFile


@dataclass(frozen=True)
class FileState:
    source: str  # the name it was uploaded under
    status: str  # pending (received, not yet split) / processing / finalizing / done / failed, "refused", or "duplicate"
    status_label: str  # the same in Chinese, for clerks
    pages_total: int = 0
    pages_done: int = 0
    pages_failed: int = 0
    message: str = ""  # why it was refused or failed, or which upload it repeats


@dataclass(frozen=True)
class BatchProgress:
    batch_id: int
    label: str
    status: str
    status_label: str
    created_at: str
    pages_total: int
    pages_done: int  # recorded, whether read or failed
    pages_failed: int
    files: list[FileState] = field(default_factory=list)
    files_total: int = 0  # files received (refused and repeated ones not counted)
    files_split: int = 0  # of them, split into pages: their pages are counted above

    @property
    def receiving(self) -> bool:
        """Files are still being split into pages: pages_total will grow."""
        return self.files_split < self.files_total

    @property
    def finished(self) -> bool:
        return self.status == Batch.Status.CLOSED


def batch_progress(batch_id: int, with_files: bool = True) -> BatchProgress:
    batch = Batch.objects.get(pk=batch_id)
    uploads = list(BatchFile.objects.filter(batch=batch).select_related("file", "duplicate_of"))
    file_ids = {u.file_id for u in uploads if u.file_id}
    counts = {
        row["file_id"]: row
        for row in Page.objects.filter(file_id__in=file_ids)
        .values("file_id")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status__in=[Page.Status.DONE, Page.Status.FAILED])),
            failed=Count("id", filter=Q(status=Page.Status.FAILED)),
        )
    }
    files = [_file_state(u, counts.get(u.file_id, {})) for u in uploads] if with_files else []
    distinct = {u.file_id: u.file for u in uploads if u.file_id}
    return BatchProgress(
        batch_id=batch.pk,
        label=batch.label,
        status=batch.status,
        status_label=batch.get_status_display(),
        created_at=timezone.localtime(batch.created_at).strftime("%Y-%m-%d %H:%M"),
        pages_total=sum(c["total"] for c in counts.values()),
        pages_done=sum(c["done"] for c in counts.values()),
        pages_failed=sum(c["failed"] for c in counts.values()),
        files=files,
        files_total=len(distinct),
        files_split=sum(f.status != SourceFile.Status.PENDING for f in distinct.values()),
    )


def _file_state(upload: BatchFile, counts: dict) -> FileState:
    if upload.file is None:
        return FileState(upload.source, "refused", "未受理", message=upload.error)
    pages = {"pages_total": counts.get("total", 0), "pages_done": counts.get("done", 0), "pages_failed": counts.get("failed", 0)}
    if upload.duplicate_of is not None:
        return FileState(upload.source, "duplicate", "重复上传", message=f"与“{upload.duplicate_of.source}”相同", **pages)
    file = upload.file
    return FileState(upload.source, file.status, file.get_status_display(), message=file.error, **pages)


def recent_batches(limit: int = 20) -> list[BatchProgress]:
    ids = Batch.objects.order_by("-id").values_list("pk", flat=True)[:limit]
    return [batch_progress(pk, with_files=False) for pk in ids]
