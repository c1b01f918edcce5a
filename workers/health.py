"""Are workers alive and how deep are the queues: `casefile health` for operators."""
from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Min
from django.utils import timezone

from records.models import Batch, Page, SourceFile


def database_health() -> dict:
    pages = dict(Page.objects.values_list("status").annotate(n=Count("id")))
    oldest = Page.objects.filter(status=Page.Status.PENDING).aggregate(t=Min("queued_at"))["t"]
    return {
        "pages": {status: pages.get(status, 0) for status in Page.Status.values},
        "oldest_pending_seconds": round((timezone.now() - oldest).total_seconds()) if oldest else None,
        "files_finalizing": SourceFile.objects.filter(status=SourceFile.Status.FINALIZING).count(),
        "batches_open": Batch.objects.exclude(status=Batch.Status.CLOSED).count(),
        "failed_pages_last_day": Page.objects.filter(
            status=Page.Status.FAILED, updated_at__gte=timezone.now() - timedelta(days=1)
        ).count(),
    }


def broker_health(timeout: float = 2.0) -> dict:
    """Workers that answer a ping, and messages waiting per queue. Never raises: an unreachable
    broker is reported as such."""
    from workers.celery_app import QUEUES, app
    from workers.dispatch import queue_depth

    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
        replies = app.control.ping(timeout=timeout) or []
        queues = {q: queue_depth(q) for q in QUEUES}
    except Exception as exc:
        return {"broker": f"unreachable ({type(exc).__name__})", "workers": [], "queues": {}}
    workers = sorted(name for reply in replies for name in reply)
    return {"broker": "ok", "workers": workers, "queues": queues}
