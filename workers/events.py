"""The durable task log (records.TaskEvent), filled from Celery's signals for operators:
queued → started (with the wait) → finished or failed (with the run time and outcome).

Writing an event must never break the task it describes, so every handler swallows its own
errors (logged with ids only).
"""
from __future__ import annotations

import logging
import time

from celery.signals import before_task_publish, task_failure, task_postrun, task_prerun
from django.utils import timezone

from records.models import TaskEvent

log = logging.getLogger("casefile.events")

# Which id a task's single argument is.
SUBJECT = {"casefile.split": "file_id", "casefile.page": "page_id", "casefile.finalize": "file_id", "casefile.close_batch": "batch_id"}
_started: dict[str, float] = {}  # task id → monotonic start, in the process running it


def _record(task: str, task_id: str, event: str, args=(), **values) -> None:
    if not task.startswith("casefile."):
        return
    subject = SUBJECT.get(task)
    if subject and args:
        values[subject] = args[0]
    try:
        TaskEvent.objects.create(task=task.removeprefix("casefile."), task_id=task_id, event=event, **values)
    except Exception as exc:
        log.warning("task=%s event=%s not recorded: %s", task_id, event, type(exc).__name__)


@before_task_publish.connect
def _on_publish(sender=None, headers=None, body=None, **_) -> None:
    args = body[0] if isinstance(body, (list, tuple)) and body else ()
    _record(sender or "", (headers or {}).get("id", ""), TaskEvent.Event.QUEUED, args)


@task_prerun.connect
def _on_prerun(task_id=None, task=None, args=(), **_) -> None:
    _started[task_id] = time.monotonic()
    queued = TaskEvent.objects.filter(task_id=task_id, event=TaskEvent.Event.QUEUED).order_by("-id").first()
    wait = (timezone.now() - queued.at).total_seconds() if queued else None
    _record(task.name, task_id, TaskEvent.Event.STARTED, args, worker=task.request.hostname or "", wait_seconds=wait)


@task_postrun.connect
def _on_postrun(task_id=None, task=None, args=(), retval=None, state=None, **_) -> None:
    run = time.monotonic() - _started.pop(task_id, time.monotonic())
    if state != "SUCCESS":
        return  # task_failure recorded it
    _record(
        task.name, task_id, TaskEvent.Event.FINISHED, args,
        worker=task.request.hostname or "", run_seconds=round(run, 3), outcome=str(retval)[:80],
    )


@task_failure.connect
def _on_failure(task_id=None, exception=None, args=(), sender=None, **_) -> None:
    # The exception type only: its text may quote what was read from a page.
    _record(
        sender.name, task_id, TaskEvent.Event.FAILED, args,
        worker=getattr(sender.request, "hostname", "") or "", error=type(exception).__name__,
        run_seconds=round(time.monotonic() - _started.get(task_id, time.monotonic()), 3),
    )
