"""The review queue: documents waiting for a reviewer, most needed first.

Order: documents whose type is uncertain (类型待确认: type confidence below the policy's
RuleOptions.type_confidence_threshold, default 0.8, and no reviewer has confirmed them) first, since
a wrong type can hide or invent a missing document; then cases carrying a priority mark the bureau
uses (临近退休 near retirement, 低保 low income, 自谋职业 self-employed); then documents whose case
has open error flags; then the least certain documents (lowest field or type confidence).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.utils import timezone

from cases.priority import PriorityOptions
from cases.priority import priority_marks as marks_for
from cases.rules import RuleOptions
from pipeline.options import from_settings
from records.models import Case, Document, Flag

TYPE_UNCERTAIN_ZH = "类型待确认"


def thresholds() -> RuleOptions:
    """The bureau's confidence thresholds (policy [cases.rules]: type_confidence_threshold,
    field_confidence_threshold), checked at start-up with the rest of the policy."""
    return from_settings().cases.rules


def type_uncertain(doc: Document, rules: RuleOptions | None = None) -> bool:
    """No reviewer has confirmed the document and its type confidence is below the threshold.
    A type a reviewer set (change_doc_type) has confidence 1.0; a confirmed document never is."""
    rules = rules or thresholds()
    return doc.review_status != Document.Review.CONFIRMED and doc.doc_type_conf < rules.type_confidence_threshold


def field_uncertain(field, rules: RuleOptions | None = None) -> bool:
    """A field read below the field threshold that no reviewer has confirmed or entered."""
    rules = rules or thresholds()
    decided = field.reviewed_at is not None or field.source == "reviewer"
    return not decided and field.confidence < rules.field_confidence_threshold


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
    type_uncertain: bool = False  # 类型待确认
    low_below: float = 0.9  # the field threshold in force

    @property
    def uncertain(self) -> bool:
        return self.min_confidence < self.low_below


def review_queue(limit: int | None = None) -> list[QueueItem]:
    rules = thresholds()
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
            type_uncertain=type_uncertain(d, rules),
            low_below=rules.field_confidence_threshold,
        )
        for d in docs
    ]
    items.sort(key=lambda i: (not i.type_uncertain, -len(i.marks), -i.open_errors, i.min_confidence, i.document.pk))
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
