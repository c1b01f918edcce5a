"""finalize_file: split a finished file's pages into documents and extract their fields, once."""
from __future__ import annotations

import logging

from dataclasses import asdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from classify import segment
from core.codes import DocType
from core.types import ExtractedField, PageClass
from extract import extract_fields, extract_rows
from extract.contributions import parse_contribution_record
from pipeline.learned import extractor_version, lexicon
from pipeline.pages import stored_page_text
from records.models import Document, Field, Page, SourceFile

log = logging.getLogger("casefile.documents")


def claim_file(file_id: int) -> bool:
    """Atomically move a file from processing to finalizing; only one caller ever wins."""
    return bool(
        SourceFile.objects.filter(pk=file_id, status=SourceFile.Status.PROCESSING).update(
            status=SourceFile.Status.FINALIZING, claimed_at=timezone.now()
        )
    )


def finalize_file(file_id: int) -> list[int] | None:
    """Create the file's documents and fields; returns their ids, or None if another caller
    claimed the file first. A finalisation that dies midway rolls back and leaves the file
    claimed; the sweeper gives it back (pipeline/sweep.py)."""
    if not claim_file(file_id):
        return None
    pages = list(Page.objects.filter(file_id=file_id).order_by("number"))
    done = [p for p in pages if p.status == Page.Status.DONE]
    classes = [(p.number, PageClass(p.doc_type, p.doc_type_conf, p.starts_document)) for p in done]
    texts = {p.number: stored_page_text(p) for p in done}
    sources = {p.number: ("text_layer" if p.has_text_layer else "ocr") for p in done}
    learned, version = lexicon(), extractor_version()
    with transaction.atomic():
        Document.objects.filter(file_id=file_id, review_status=Document.Review.PENDING).delete()
        created = []
        for index, span in enumerate(segment(classes), start=1):
            page_texts = [(n, texts[n]) for n in span.pages]
            doc = Document.objects.create(
                file_id=file_id,
                index=index,
                pages=span.pages,
                doc_type=span.doc_type,
                doc_type_conf=span.confidence,
                rows=[{k: field_dict(f) for k, f in row.items()}
                      for row in extract_rows(span.doc_type, page_texts, learned)],
                contributions=contribution_rows(span.doc_type, page_texts),
            )
            fields = extract_fields(span.doc_type, page_texts, learned=learned)
            Field.objects.bulk_create(
                field_row(doc, f, source=sources.get(f.page, "ocr"), version=version) for f in fields.values()
            )
            created.append(doc.pk)
        failed = [p for p in pages if p.status == Page.Status.FAILED]
        status = SourceFile.Status.FAILED if failed and not done else SourceFile.Status.DONE
        SourceFile.objects.filter(pk=file_id).update(
            status=status, error="；".join(p.error for p in failed)
        )
    log.info("file=%s finalized: %d documents, %d failed pages", file_id, len(created), len(failed))
    return created


def contribution_rows(doc_type: str, page_texts) -> list[dict]:
    """The period rows of a contribution record (stored for the month sets); none for other types."""
    if doc_type != DocType.CONTRIBUTION:
        return []
    return [asdict(p) for p in parse_contribution_record(page_texts).periods]


def field_row(doc: Document, f: ExtractedField, *, source: str, version: str) -> Field:
    """An extracted field as its (unsaved) row; extracted_field is the way back."""
    return Field(
        document=doc, name=f.name, value=f.value, raw=f.raw, confidence=f.confidence, page=f.page,
        bbox=list(f.bbox), doubtful=list(f.doubtful), source=source, extractor_version=version,
    )


def extracted_field(row: Field) -> ExtractedField:
    # A reviewer's value is what the paper says: no reading doubt is left in it.
    doubtful = () if row.source == Field.Source.REVIEWER or row.reviewed_at else tuple(row.doubtful or ())
    return ExtractedField(row.name, row.value, row.raw, row.confidence, row.page, tuple(row.bbox), doubtful)


def field_dict(f: ExtractedField) -> dict:
    """An extracted field as a list document stores it in a row (Document.rows); row_field is the way back."""
    return {"value": f.value, "raw": f.raw, "confidence": f.confidence, "page": f.page, "bbox": list(f.bbox)}


def row_field(name: str, stored: dict) -> ExtractedField:
    return ExtractedField(name, stored["value"], stored["raw"], stored["confidence"], stored["page"], tuple(stored["bbox"]))


def decided(queryset):
    """Fields a reviewer has decided: entered by one, or confirmed by one."""
    return queryset.filter(Q(source=Field.Source.REVIEWER) | Q(reviewed_at__isnull=False))


def extract_again(doc: Document) -> None:
    """Extract the document's fields anew for its type and pages, keeping every decided field."""
    pages = Page.objects.filter(file_id=doc.file_id, number__in=doc.pages, status=Page.Status.DONE).order_by("number")
    texts = [(p.number, stored_page_text(p)) for p in pages]
    sources = {p.number: ("text_layer" if p.has_text_layer else "ocr") for p in pages}
    keep = set(decided(doc.fields.all()).values_list("name", flat=True))
    doc.fields.exclude(name__in=keep).delete()
    learned, version = lexicon(), extractor_version()
    doc.rows = [{k: field_dict(f) for k, f in row.items()} for row in extract_rows(doc.doc_type, texts, learned)]
    doc.contributions = contribution_rows(doc.doc_type, texts)
    doc.save(update_fields=["rows", "contributions"])
    Field.objects.bulk_create(
        field_row(doc, f, source=sources.get(f.page, "ocr"), version=version)
        for f in extract_fields(doc.doc_type, texts, learned=learned).values()
        if f.name not in keep
    )
