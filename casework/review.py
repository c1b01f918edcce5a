"""What a reviewer does to the evidence. Every change is an audit event (who, when, before, after)
and re-links and re-evaluates the cases it touches at once. A reviewer's decision is a fact: a
field a reviewer confirmed or entered is never replaced by re-extraction (extract_again) or by
linking (linking.adopt_row).
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from config.options import PipelineOptions
from core.errors import UserError
from core.types import DOC_TYPES
from extract import EXTRACTOR_VERSION
from extract.reviewed import normalize_entry
from pipeline.documents import decided, extract_again
from pipeline.linking import KEYED, REVIEWER_LINK, casework_lock, evaluate_cases, link_around
from records.models import AuditEvent, Case, Document, Field, Flag, LinkKey, RowLink


class ReviewError(UserError):
    """A change the reviewer asked for that cannot be made; the message (Chinese) says why."""

    code = "review_refused"


def audit(actor: str, action: str, obj, before, after) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor, action=action, object_type=type(obj).__name__, object_id=str(obj.pk), before=before, after=after
    )


def field_state(field: Field | None) -> dict | None:
    if field is None:
        return None
    return {"value": field.value, "source": field.source, "confidence": field.confidence, "reviewed_by": field.reviewed_by}


def confirm_field(field_id: int, actor: str, options: PipelineOptions) -> Field:
    field = Field.objects.select_related("document").get(pk=field_id)
    before = field_state(field)
    field.reviewed_by, field.reviewed_at = actor, timezone.now()
    field.save(update_fields=["reviewed_by", "reviewed_at"])
    audit(actor, "confirm_field", field, before, field_state(field))
    refresh([field.document], options)
    return field


def correct_field(document_id: int, name: str, text: str, actor: str, options: PipelineOptions) -> Field:
    """Set a field to what the paper says (also one the extractor missed)."""
    doc = Document.objects.get(pk=document_id)
    try:
        value = normalize_entry(name, text)
    except ValueError as exc:
        raise ReviewError(str(exc)) from exc
    with transaction.atomic():
        field = Field.objects.filter(document=doc, name=name).first()
        before = field_state(field)
        if field is None:
            field = Field(document=doc, name=name, page=doc.pages[0], bbox=[], raw="")
        field.value, field.confidence, field.source = value, 1.0, Field.Source.REVIEWER
        field.reviewed_by, field.reviewed_at = actor, timezone.now()
        field.extractor_version = EXTRACTOR_VERSION
        field.save()
        audit(actor, "correct_field", field, before, field_state(field))
    refresh([doc], options)
    return field


def confirm_document(document_id: int, actor: str, options: PipelineOptions) -> Document:
    """Every field as it stands, and the type, are right."""
    doc = Document.objects.get(pk=document_id)
    with transaction.atomic():
        now = timezone.now()
        doc.fields.filter(reviewed_at__isnull=True).update(reviewed_by=actor, reviewed_at=now)
        _set_review_status(doc, Document.Review.CONFIRMED, actor, "confirm_document")
    refresh([doc], options)
    return doc


def change_doc_type(document_id: int, doc_type: str, actor: str, options: PipelineOptions) -> Document:
    if doc_type not in DOC_TYPES:
        raise ReviewError(f"未知材料类型：{doc_type}")
    doc = Document.objects.get(pk=document_id)
    before = {"doc_type": doc.doc_type, "doc_type_conf": doc.doc_type_conf}
    with transaction.atomic():
        doc.doc_type, doc.doc_type_conf = doc_type, 1.0
        doc.save(update_fields=["doc_type", "doc_type_conf"])
        extract_again(doc)
        audit(actor, "change_doc_type", doc, before, {"doc_type": doc_type, "doc_type_conf": 1.0})
    refresh([doc], options)
    return doc


def split_document(document_id: int, first_page_of_second: int, actor: str, options: PipelineOptions) -> Document:
    """Pages [a..b] become [a..n-1] and [n..b] of the same type; returns the new second document."""
    doc = Document.objects.get(pk=document_id)
    if first_page_of_second not in doc.pages[1:]:
        raise ReviewError(f"第 {first_page_of_second} 页不能作为拆分点（本材料为第 {doc.pages[0]}–{doc.pages[-1]} 页）")
    cut = doc.pages.index(first_page_of_second)
    with transaction.atomic():
        before = {"pages": doc.pages}
        index = Document.objects.filter(file_id=doc.file_id).aggregate(m=Max("index"))["m"] + 1
        second = Document.objects.create(
            file_id=doc.file_id, index=index, pages=doc.pages[cut:], doc_type=doc.doc_type, doc_type_conf=doc.doc_type_conf
        )
        doc.pages = doc.pages[:cut]
        doc.save(update_fields=["pages"])
        decided(doc.fields.filter(page__in=second.pages)).update(document=second)
        extract_again(doc)
        extract_again(second)
        audit(actor, "split_document", doc, before, {"pages": doc.pages, "new_document": second.pk, "new_pages": second.pages})
    refresh([doc, second], options)
    return second


def merge_documents(document_id: int, other_id: int, actor: str, options: PipelineOptions) -> Document:
    """Two documents of one file that are really one: the pages of both, the first one's type."""
    doc, other = Document.objects.get(pk=document_id), Document.objects.get(pk=other_id)
    if doc.file_id != other.file_id or doc.pk == other.pk:
        raise ReviewError("只能合并同一文件中的两份材料")
    with transaction.atomic():
        before = {"pages": doc.pages, "merged": other.pk, "merged_pages": other.pages}
        doc.pages = sorted(set(doc.pages) | set(other.pages))
        doc.save(update_fields=["pages"])
        for field in decided(other.fields.all()):
            if not doc.fields.filter(name=field.name).exists():
                field.document = doc
                field.save(update_fields=["document"])
        old_case = other.case
        row_cases = list(RowLink.objects.filter(document=other).values_list("case__id_number", flat=True))
        # what the merged-away document could reach is the merged document's to re-link around
        LinkKey.objects.filter(document=other).exclude(key=KEYED).update(document=doc)
        other.delete()
        extract_again(doc)
        audit(actor, "merge_documents", doc, before, {"pages": doc.pages})
    refresh([doc], options, extra_cases=([old_case.id_number] if old_case else []) + row_cases)
    return doc


def attach_document(document_id: int, case_id: int, actor: str, options: PipelineOptions) -> Document:
    """A reviewer says whose document this is (e.g. an excluding decision the linker could not
    match): it belongs to that case from now on, whatever linking finds later."""
    doc = Document.objects.select_related("case").get(pk=document_id)
    try:
        case = Case.objects.get(pk=case_id)
    except Case.DoesNotExist as exc:
        raise ReviewError("未找到该案卷") from exc
    old_case = doc.case
    with transaction.atomic():
        # Ids only, never names or ID numbers: the audit log is read by operators too.
        before = {"case": old_case.pk if old_case else None, "link_method": doc.link_method}
        doc.case, doc.link_method, doc.link_reason = case, REVIEWER_LINK, "复核人指定"
        doc.save(update_fields=["case", "link_method", "link_reason"])
        RowLink.objects.filter(document=doc).delete()
        audit(actor, "attach_document", doc, before, {"case": case.pk, "link_method": REVIEWER_LINK})
    refresh([doc], options, extra_cases=[old_case.id_number] if old_case else [])
    return doc


def detach_document(document_id: int, actor: str, options: PipelineOptions) -> Document:
    """A reviewer says the document belongs to no case it is attached to: it stays unattached,
    whatever linking finds later, until a reviewer attaches it again."""
    doc = Document.objects.select_related("case").get(pk=document_id)
    old_case = doc.case
    if old_case is None:
        raise ReviewError(f"材料 {doc.public_id} 未归入任何案卷")
    with transaction.atomic():
        before = {"case": old_case.pk, "link_method": doc.link_method}
        doc.case, doc.link_method, doc.link_reason = None, REVIEWER_LINK, "复核人移出案卷"
        doc.save(update_fields=["case", "link_method", "link_reason"])
        RowLink.objects.filter(document=doc).delete()
        audit(actor, "detach_document", doc, before, {"case": None, "link_method": REVIEWER_LINK})
    refresh([doc], options, extra_cases=[old_case.id_number])
    return doc


def send_to_review(document_id: int, actor: str, options: PipelineOptions) -> Document:
    """A confirmed document goes back to the review queue (its reviewed fields stay reviewed)."""
    doc = Document.objects.get(pk=document_id)
    if doc.review_status == Document.Review.PENDING:
        return doc  # already waiting: nothing changes, nothing to audit
    with transaction.atomic():
        _set_review_status(doc, Document.Review.PENDING, actor, "send_to_review")
    refresh([doc], options)
    return doc


def _set_review_status(doc: Document, status: str, actor: str, action: str) -> None:
    before = {"review_status": doc.review_status}
    doc.review_status = status
    doc.save(update_fields=["review_status"])
    audit(actor, action, doc, before, {"review_status": doc.review_status})


def decide_flag(flag_id: int, status: str, note: str, actor: str) -> Flag:
    """Resolve or waive a flag; the note saying why is required."""
    if status not in (Flag.Status.RESOLVED, Flag.Status.WAIVED):
        raise ReviewError(f"未知处理方式：{status}")
    if not (note or "").strip():
        raise ReviewError("请填写处理说明")
    flag = Flag.objects.get(pk=flag_id)
    before = {"status": flag.status, "note": flag.note}
    flag.status, flag.note, flag.resolved_by = status, note.strip(), actor
    flag.save(update_fields=["status", "note", "resolved_by"])
    audit(actor, "decide_flag", flag, before, {"status": flag.status, "note": flag.note})
    return flag


def _cases_of(document_ids: list[int]) -> set[str]:
    """The cases these documents speak for, whole or by a row of a list."""
    whole = Document.objects.filter(pk__in=document_ids, case__isnull=False).values_list("case__id_number", flat=True)
    rows = RowLink.objects.filter(document_id__in=document_ids).values_list("case__id_number", flat=True)
    return set(whole) | set(rows)


_deferred: ContextVar[dict | None] = ContextVar("casefile_review_deferred", default=None)


@contextmanager
def one_refresh(options: PipelineOptions):
    """Several review actions (a bulk action on the document list), each audited as it would be
    alone, then one re-link and one evaluation of every case they touched, instead of one each."""
    if _deferred.get() is not None:  # already inside one: the outer one refreshes
        yield
        return
    pending: dict = {"docs": {}, "cases": set()}
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
        if pending["docs"] or pending["cases"]:
            refresh(list(pending["docs"].values()), options, sorted(pending["cases"]))


def refresh(docs: list[Document], options: PipelineOptions, extra_cases: list[str] = ()) -> None:
    """Link again what these documents' change can affect (linking.link_around: the documents
    and cases reachable from them, not the workspace) and evaluate every case these documents
    belonged to or now belong to, and every case whose documents the linking changed."""
    ids = [d.pk for d in docs]
    pending = _deferred.get()
    if pending is not None:  # inside one_refresh: remember the cases as they stand now
        pending["docs"].update({d.pk: d for d in docs})
        pending["cases"] |= set(extra_cases) | _cases_of(ids)
        return
    touched = set(extra_cases) | _cases_of(ids)
    with transaction.atomic():
        casework_lock()
        seed_cases = Case.objects.filter(id_number__in=sorted(touched)).values_list("pk", flat=True)
        touched |= link_around(documents=ids, cases=list(seed_cases))
        touched |= _cases_of(ids)
        evaluate_cases(sorted(touched), options.cases)
