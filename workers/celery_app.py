"""The Celery app of the distributed mode (CASEFILE_BROKER_URL=redis://…).

Every setting that protects a page is here, with the reason (docs/flow.md#celery-settings):
JSON messages carrying ids only; a message is acknowledged after its task ran (acks_late) and
given back if the process running it died (reject_on_worker_lost), bounded by the attempt counter
on the page row; one message reserved per process (prefetch 1); soft and hard time limits below
Redis's visibility timeout, which is set in all three places Celery reads it because setting it in
one place is silently ignored elsewhere. OCR runs on its own queue.

Operators can point Celery's own tools at it: `celery -A workers.celery_app inspect active`.
"""
from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casefile.settings")

from celery import Celery  # noqa: E402

from config.bootstrap import setup  # noqa: E402
from config.settings import Settings  # noqa: E402

OCR_QUEUE = "ocr"
DEFAULT_QUEUE = "default"
QUEUES = (OCR_QUEUE, DEFAULT_QUEUE)


def make_app(cfg: Settings) -> Celery:
    app = Celery("casefile")
    transport = {"visibility_timeout": cfg.visibility_timeout}
    app.conf.update(
        broker_url=cfg.broker_url,
        broker_connection_retry_on_startup=True,
        broker_transport_options=transport,
        result_backend_transport_options=transport,
        visibility_timeout=cfg.visibility_timeout,
        # Progress lives in the database (pages_done / pages_total), not in task results.
        task_ignore_result=True,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=DEFAULT_QUEUE,
        # Splitting a file renders the pages OCR will read: the same heavy work, the same queue.
        task_routes={"casefile.page": {"queue": OCR_QUEUE}, "casefile.split": {"queue": OCR_QUEUE}},
        task_soft_time_limit=cfg.page_soft_time_limit,
        task_time_limit=cfg.page_time_limit,
        # Ride out a Redis restart when a worker sends the next step (about 90 s of retries).
        task_publish_retry_policy={"max_retries": 20, "interval_start": 0.5, "interval_step": 1, "interval_max": 5},
        # A new pool process loads the OCR models before it reports up (workers/tasks.py); on a busy
        # machine that takes longer than Celery's default 4 s, after which the process is killed
        # and replaced, forever.
        worker_proc_alive_timeout=120,
        # Contain leaks in long-lived OCR processes (ONNX runtime, OpenCV buffers).
        worker_max_tasks_per_child=500,
        worker_max_memory_per_child=2_000_000,  # KiB
        # Events for Flower and `celery events`.
        worker_send_task_events=True,
        task_send_sent_event=True,
        beat_schedule={"sweep": {"task": "casefile.sweep", "schedule": float(cfg.sweep_every)}},
        beat_schedule_filename=str(cfg.workspace / "celerybeat-schedule"),
        worker_hijack_root_logger=False,
        # Imported by each worker at start; publishers send tasks by name and need neither.
        imports=("workers.tasks", "workers.events"),
    )
    return app


# Django ready before the tasks import models; the settings `casefile worker` chose (or, under
# Celery's own command line, the environment's), kept for the tasks (workers/tasks.py)
settings = setup(migrate=False)
app = make_app(settings)
