"""CeleryDispatcher: the next step of the pipeline becomes a task message carrying one id."""
from __future__ import annotations

from django.utils import timezone
from kombu.exceptions import ChannelError

from records.models import Page
from workers import events  # noqa: F401  (log every message this process sends)
from workers.celery_app import OCR_QUEUE, app


class CeleryDispatcher:
    def split(self, file_ids: list[int]) -> None:
        if not file_ids:
            return
        with app.producer_or_acquire() as producer:
            for file_id in file_ids:
                self.send("casefile.split", file_id, producer)

    def pages(self, page_ids: list[int]) -> None:
        if not page_ids:
            return
        # queued_at lets the sweeper tell a lost message from one waiting in a long queue.
        Page.objects.filter(pk__in=page_ids).update(queued_at=timezone.now())
        with app.producer_or_acquire() as producer:
            for page_id in page_ids:
                self.send("casefile.page", page_id, producer)

    def finalize(self, file_id: int) -> None:
        self.send("casefile.finalize", file_id)

    def close_batch(self, batch_id: int) -> None:
        self.send("casefile.close_batch", batch_id)

    def send(self, task: str, object_id: int, producer=None) -> None:
        app.send_task(task, args=[object_id], producer=producer)


def queue_depth(queue: str = OCR_QUEUE) -> int:
    """Messages waiting in a queue (not those reserved by workers)."""
    with app.connection_for_read() as conn:
        try:
            return conn.default_channel.queue_declare(queue=queue, passive=True).message_count
        except ChannelError:  # the queue was never declared: nothing waits in it
            return 0
