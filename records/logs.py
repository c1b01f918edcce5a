"""The append-only logs beside the data model: the audit trail, the task log and what reviewers have
taught casefile. Their rows name the objects they speak of by id and point at no other row."""
from __future__ import annotations

from django.db import models


class AuditEvent(models.Model):
    """Append-only: who did what to which object, before and after."""

    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "审计记录"
        ordering = ["-at"]


class TaskEvent(models.Model):
    """Append-only log of background tasks for operators, filled from Celery signals: when each
    task was queued, started and finished, on which worker, how long it waited and ran, and how
    it ended. Errors hold the exception type and our own message only, never OCR'd text."""

    class Event(models.TextChoices):
        QUEUED = "queued", "已排队"
        STARTED = "started", "开始"
        FINISHED = "finished", "完成"
        FAILED = "failed", "出错"
        RETRIED = "retried", "重试"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    task_id = models.CharField(max_length=64, db_index=True)
    task = models.CharField(max_length=40)
    event = models.CharField(max_length=10, choices=Event.choices)
    page_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    file_id = models.BigIntegerField(null=True, blank=True)
    batch_id = models.BigIntegerField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True)
    wait_seconds = models.FloatField(null=True, blank=True)  # queued → started
    run_seconds = models.FloatField(null=True, blank=True)  # started → finished
    outcome = models.CharField(max_length=80, blank=True)  # e.g. done, failed, duplicate, claimed, skipped
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "后台任务记录"
        ordering = ["id"]


class LearnedState(models.Model):
    """What the workspace's reviewers have taught casefile (pipeline/learning.py): a page model
    refit on their confirmed document types, and the labels found beside the field values they
    confirmed or typed. Every `casefile learn` adds a version; the newest active one is used.
    Reset deactivates them all (the history stays)."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150, blank=True)
    documents = models.PositiveIntegerField("所依据的已复核材料数", default=0)
    pages = models.PositiveIntegerField("所依据的页数", default=0)
    model_key = models.CharField(max_length=200)  # the page model in the blob store
    labels = models.JSONField(default=list)  # [[concept, label], ...]
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = verbose_name_plural = "学习结果"
        ordering = ["-id"]

    @property
    def version(self) -> str:
        return f"learned/{self.pk}"
