"""The shapes of the JSON API (web/api.py): what each operation takes and answers. Progress is
derived from the casework dataclasses the CLI and the pages show (shape_of); the rest resolves
from the models, with the same labels and policy as the pages."""
from __future__ import annotations

import dataclasses
from typing import get_type_hints

from ninja import Schema
from pydantic import Field as Described
from pydantic import create_model

from casework.progress import BatchProgress, FileState
from casework.queue import QueueItem, priority_marks
from core.labels import DOC_TYPE_SHORT, FIELD_ZH, FLAG_ZH
from core.types import DOC_TYPES, EvidenceRef
from records.models import Case, Document, Flag
from web.context import options


def label_in(table: dict[str, str], attr: str) -> staticmethod:
    """A resolver: the object's `attr` (a code) in the words of a core.labels table."""
    return staticmethod(lambda obj: table.get(getattr(obj, attr), getattr(obj, attr)))


def _marks(case: Case) -> list[str]:
    return priority_marks(case, options().priority)


def _type_confidence(doc: Document) -> float:
    return doc.doc_type_conf


class BatchIn(Schema):
    label: str = ""


class BatchCreated(Schema):
    batch_id: int


class UploadState(Schema):
    source: str
    status: str = Described(description="accepted, duplicate or refused")
    message: str


class UploadOut(Schema):
    files: list[UploadState] = Described(description="one per file received; a ZIP gives one per entry")


class SealOut(Schema):
    batch_id: int
    status: str


def shape_of(value_type, name: str, base: type[Schema] = Schema, leave_out: tuple[str, ...] = (), **more) -> type[Schema]:
    """The API shape of a dataclass the pages and the CLI show (casework progress and queue, core
    values): `base`'s fields, then its own but `leave_out`, every one required, then `more`, so the
    API says what they show, declared once."""
    hints = get_type_hints(value_type)
    fields = {f.name: (hints[f.name], ...) for f in dataclasses.fields(value_type) if f.name not in (*more, *leave_out)}
    return create_model(name, __base__=base, **fields, **more)  # `more` last, as the API always listed them


FileProgress = shape_of(FileState, "FileProgress")
BatchOut = shape_of(BatchProgress, "BatchOut", finished=(bool, ...), files=(list[FileProgress], ...))
EvidenceOut = shape_of(EvidenceRef, "EvidenceOut")  # a flag's evidence: document (public id) and field


class FieldOut(Schema):
    id: int
    name: str
    label: str
    value: str
    confidence: float
    page: int
    bbox: list[float] = Described(description="x0, y0, x1, y1 in page pixels; empty for a value a reviewer typed")
    source: str = Described(description="ocr, text_layer or reviewer")
    reviewed_by: str

    resolve_label = label_in(FIELD_ZH, "name")


class CaseRef(Schema):
    id: int
    id_number: str
    name: str


class _DocumentHead(Schema):
    """What the document list and a document's own answer both say of it."""

    id: int
    public_id: str
    doc_type: str
    doc_type_label: str
    confidence: float = Described(description="of the document type")
    pages: list[int]
    review_status: str
    case: CaseRef | None

    resolve_doc_type_label = label_in(DOC_TYPE_SHORT, "doc_type")
    resolve_confidence = staticmethod(_type_confidence)


class DocumentOut(_DocumentHead):
    fields: list[FieldOut]

    @staticmethod
    def resolve_fields(doc: Document):
        return doc.fields.order_by("id")


class FieldIn(Schema):
    value: str = Described(description="as written on the paper, e.g. 2019年9月 or 男")


class DocTypeIn(Schema):
    doc_type: str = Described(description="one of: " + ", ".join(DOC_TYPES))


class DocumentBrief(Schema):
    id: int
    public_id: str
    doc_type: str
    pages: list[int]
    review_status: str


class FlagOut(Schema):
    id: int
    code: str
    label: str
    severity: str
    status: str
    message: str
    evidence: list[EvidenceOut]
    provisional: dict | None = Described(
        None, description="set while an unconfirmed, uncertain page may cause the flag: documents and pages"
    )
    note: str
    resolved_by: str

    resolve_label = label_in(FLAG_ZH, "code")

    @staticmethod
    def resolve_evidence(flag: Flag):
        return flag.evidence_refs


class CaseSummary(Schema):
    id: int
    id_number: str
    name: str
    stage: str
    marks: list[str]
    open_flags: int
    documents: int

    resolve_marks = staticmethod(_marks)

    @staticmethod
    def resolve_documents(case: Case) -> int:
        return case.documents_n


class CaseOut(Schema):
    id: int
    id_number: str
    name: str
    attributes: dict = Described(description="the roster's other columns")
    stage: str
    marks: list[str]
    derived: dict = Described(description="dates and periods worked out from the evidence, as the report's "
                                          "`derived` (cases/derived.py CaseDerived); empty until the case is evaluated")
    documents: list[DocumentBrief]
    flags: list[FlagOut]

    resolve_marks = staticmethod(_marks)

    @staticmethod
    def resolve_derived(case: Case) -> dict:
        derived = case.derived_values
        return derived.to_dict() if derived else {}

    @staticmethod
    def resolve_documents(case: Case):
        return case.evidence().order_by("doc_type", "id")

    @staticmethod
    def resolve_flags(case: Case):
        return case.flags.order_by("status", "severity", "id")


class DecisionIn(Schema):
    status: str = Described(description="resolved or waived")
    note: str = Described(description="why; required")


class _QueueDocument(Schema):
    """What the review queue says of an item's document; the rest is casework.queue.QueueItem's."""

    document_id: int
    public_id: str
    doc_type: str
    case: CaseRef | None

    @staticmethod
    def resolve_document_id(item) -> int:
        return item.document.pk

    @staticmethod
    def resolve_public_id(item) -> str:
        return item.document.public_id

    @staticmethod
    def resolve_doc_type(item) -> str:
        return item.document.doc_type

    @staticmethod
    def resolve_case(item):
        return item.document.case


QueueItemOut = shape_of(
    QueueItem, "QueueItemOut", base=_QueueDocument, leave_out=("document", "low_below"),
    type_uncertain=(bool, Described(description="类型待确认: type confidence below the policy threshold, unconfirmed; listed first")),
)


class DocumentListItem(_DocumentHead):
    batch_id: int | None = Described(None, description="the batch that first uploaded its file")
