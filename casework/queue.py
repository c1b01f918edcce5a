"""The review queue: documents waiting for a reviewer, most needed first.

Order: documents whose type is uncertain (类型待确认: type confidence below the policy's
RuleOptions.type_confidence_threshold, default 0.8, and no reviewer has confirmed them) first, since
a wrong type can hide or invent a missing document; then cases carrying a priority mark the bureau
uses (临近退休 near retirement, 低保 low income, 自谋职业 self-employed); then documents whose case
has open error flags; then the least certain documents (lowest field or type confidence).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Case as DbCase
from django.db.models import Count, Exists, Q, FloatField, IntegerField, Min, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from cases.priority import PriorityOptions
from cases.priority import priority_marks as marks_for
from cases.rules import RuleOptions
from core.codes import Severity
from config.options import PipelineOptions
from records.models import Case, Document, Field, Flag

TYPE_UNCERTAIN_ZH = "类型待确认"


def type_uncertain(doc: Document, rules: RuleOptions) -> bool:
    """No reviewer has confirmed the document and its type confidence is below the policy's
    threshold ([cases.rules] type_confidence_threshold). A type a reviewer set (change_doc_type)
    has confidence 1.0; a confirmed document never is."""
    return doc.review_status != Document.Review.CONFIRMED and doc.doc_type_conf < rules.type_confidence_threshold


def field_uncertain(field, rules: RuleOptions) -> bool:
    """A field read below the field threshold that no reviewer has confirmed or entered."""
    decided = field.reviewed_at is not None or field.source == "reviewer"
    return not decided and field.confidence < rules.field_confidence_threshold


def priority_marks(case: Case | None, options: PriorityOptions) -> list[str]:
    """The case's marks, under the bureau's policy ([priority])."""
    if case is None:
        return []
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


def review_queue(options: PipelineOptions, limit: int | None = None) -> list[QueueItem]:
    """The waiting documents in queue order, at most `limit`. The database orders and limits
    them (indexes on Document.review_status, on a field's document and on a case's open flags);
    what ranks a case (its priority marks, which read the roster columns, and its open errors) is
    worked out once per case with waiting documents and handed to the query."""
    rules = options.cases.rules
    ranks: dict[int, tuple[int, int]] = {}
    docs = ordered_queue(options, ranks)
    if limit:
        docs = docs[:limit]
    # the JSON the queue never shows stays in the database
    docs = list(docs.select_related("case", "file").defer("rows", "contributions", "case__derived"))
    marks = _marks_of({d.case for d in docs if d.case is not None}, options.priority)
    flags = dict(
        Flag.objects.filter(case_id__in={d.case_id for d in docs if d.case_id}, status=Flag.Status.OPEN)
        .values_list("case_id").annotate(n=Count("id")).order_by()
    )
    return [
        QueueItem(
            document=d,
            marks=marks.get(d.case_id, []),
            open_errors=ranks.get(d.case_id, (0, 0))[1],
            open_flags=flags.get(d.case_id, 0),
            min_confidence=d.min_confidence,
            type_uncertain=bool(d.type_uncertain),
            low_below=rules.field_confidence_threshold,
        )
        for d in docs
    ]


RANK_STEP = 1_000_000  # a case's rank: marks * RANK_STEP + open errors (never a million errors)


def ordered_queue(options: PipelineOptions, ranks: dict | None = None):
    """Waiting documents annotated with what orders them (type_uncertain, case_rank,
    min_confidence) and ordered so: 类型待确认 first, then more priority marks, then more open
    errors, then the least certain read, then the oldest. `ranks` (if given) receives each
    ranked case's (marks, open errors)."""
    rules = options.cases.rules
    lowest_field = (
        Field.objects.filter(document_id=OuterRef("pk")).order_by().values("document_id").annotate(m=Min("confidence")).values("m")
    )
    found = _case_ranks(options.priority)
    if ranks is not None:
        ranks.update(found)
    by_rank: dict[int, list[int]] = {}
    for case_id, (marks_n, errors) in found.items():
        by_rank.setdefault(marks_n * RANK_STEP + errors, []).append(case_id)
    case_rank = (
        DbCase(*(When(case_id__in=ids, then=Value(rank)) for rank, ids in sorted(by_rank.items(), reverse=True)),
               default=Value(0), output_field=IntegerField())
        if by_rank else Value(0, output_field=IntegerField())
    )
    return (
        Document.objects.filter(review_status=Document.Review.PENDING)
        .annotate(
            # a document without fields counts as 0.0, as it always has
            min_confidence=Least("doc_type_conf", Coalesce(Subquery(lowest_field, output_field=FloatField()), Value(0.0))),
            type_uncertain=DbCase(When(doc_type_conf__lt=rules.type_confidence_threshold, then=Value(1)),
                                  default=Value(0), output_field=IntegerField()),
            case_rank=case_rank,
        )
        .order_by("-type_uncertain", "-case_rank", "min_confidence", "pk")
    )


def _marks_of(cases, options: PriorityOptions) -> dict[int, list[str]]:
    today = timezone.localdate()
    return {c.pk: _marks(c.id_number, c.attributes, today, options) for c in cases}


def _marks(id_number: str, attributes: dict, today, options: PriorityOptions) -> list[str]:
    """priority_marks, remembered: the queue asks for every case's on every visit."""
    return list(_remembered_marks(id_number, tuple((k, str(v)) for k, v in attributes.items()), today, options))


@lru_cache(maxsize=50_000)
def _remembered_marks(id_number: str, attributes: tuple, today, options: PriorityOptions) -> tuple[str, ...]:
    return tuple(marks_for(id_number, dict(attributes), today, options))


def _case_ranks(options: PriorityOptions) -> dict[int, tuple[int, int]]:
    """(priority marks, open errors) of every case with waiting documents and either: one query
    reading the ID number and roster columns the marks come from, one counting open errors."""
    today = timezone.localdate()
    waiting = Document.objects.filter(review_status=Document.Review.PENDING, case_id=OuterRef("pk"))
    errors = dict(
        Flag.objects.filter(status=Flag.Status.OPEN, severity=Severity.ERROR, case__in=Case.objects.filter(Exists(waiting)))
        .values_list("case_id").annotate(n=Count("id")).order_by()
    )
    out: dict[int, tuple[int, int]] = {}
    for pk, number, attributes in Case.objects.filter(Exists(waiting)).values_list("pk", "id_number", "attributes"):
        n = len(_marks(number, attributes, today, options))
        if n or errors.get(pk):
            out[pk] = (n, errors.get(pk, 0))
    return out


def queue_size() -> int:
    """How many documents wait for a reviewer (one query; the dashboard needs no ordering)."""
    return Document.objects.filter(review_status=Document.Review.PENDING).count()


def queue_counts(rules: RuleOptions) -> tuple[int, int]:
    """(waiting documents, of which 类型待确认), in one query, for the queue's heading."""
    found = Document.objects.filter(review_status=Document.Review.PENDING).aggregate(
        total=Count("id"), uncertain=Count("id", filter=Q(doc_type_conf__lt=rules.type_confidence_threshold))
    )
    return found["total"], found["uncertain"]


def next_in_queue(after_document_id: int, options: PipelineOptions) -> Document | None:
    """The document a reviewer should see after this one."""
    return ordered_queue(options).exclude(pk=after_document_id).select_related("case", "file").first()
