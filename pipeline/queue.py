"""The review queue: documents waiting for a reviewer, most needed first.

Order: cases carrying a priority mark the bureau uses (临近退休 near retirement, 低保 low income,
自谋职业 self-employed) first; then documents whose case has open error flags; then the least
certain documents (lowest field or type confidence).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.utils import timezone

from cases.priority import PriorityOptions
from cases.priority import priority_marks as marks_for
from pipeline.options import from_settings
from records.models import Case, Document, Flag

LOW_CONFIDENCE = 0.9


def priority_marks(case: Case | None, options: PriorityOptions | None = None) -> list[str]:
    """The case's marks; thresholds from the bureau's policy unless given."""
    if case is None:
        return []
    options = options or from_settings().priority
    return marks_for(case.id_number, case.attributes, timezone.localdate(), options)


@dataclass
class QueueItem:
    document: Document
    marks: list[str]
    open_errors: int
    open_flags: int
    min_confidence: float

    @property
    def uncertain(self) -> bool:
        return self.min_confidence < LOW_CONFIDENCE


def review_queue(limit: int | None = None) -> list[QueueItem]:
    docs = (
        Document.objects.filter(review_status=Document.Review.PENDING)
        .select_related("case", "file")
        .annotate(min_field_conf=Min("fields__confidence"))
    )
    flags = dict(
        Case.objects.annotate(n=Count("flags", filter=Q(flags__status=Flag.Status.OPEN))).values_list("pk", "n")
    )
    errors = dict(
        Case.objects.annotate(
            n=Count("flags", filter=Q(flags__status=Flag.Status.OPEN, flags__severity="error"))
        ).values_list("pk", "n")
    )
    items = [
        QueueItem(
            document=d,
            marks=priority_marks(d.case),
            open_errors=errors.get(d.case_id, 0),
            open_flags=flags.get(d.case_id, 0),
            min_confidence=min(d.doc_type_conf, d.min_field_conf if d.min_field_conf is not None else 0.0),
        )
        for d in docs
    ]
    items.sort(key=lambda i: (-len(i.marks), -i.open_errors, i.min_confidence, i.document.pk))
    return items[:limit] if limit else items


def queue_size() -> int:
    """How many documents wait for a reviewer (one query; the dashboard needs no ordering)."""
    return Document.objects.filter(review_status=Document.Review.PENDING).count()


def next_in_queue(after_document_id: int) -> Document | None:
    """The document a reviewer should see after this one."""
    for item in review_queue():
        if item.document.pk != after_document_id:
            return item.document
    return None
