"""Cases: import the roster, link documents to veterans, run the evidence rules."""
from __future__ import annotations

import logging
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from cases import CaseOptions, DocumentFacts, RosterEntry, evaluate_case, link_documents, load_roster
from core.types import ExtractedField
from extract import EXTRACTOR_VERSION
from pipeline.documents import extracted_field
from records.models import Case, Document, Field, Flag, RowLink

log = logging.getLogger("casefile.cases")

REVIEWER_LINK = "reviewer"  # Document.link_method of a document a reviewer attached by hand


def import_roster(path: Path, shown: str | None = None) -> list[str]:
    """Create or update a case per roster row; returns the roster's ID numbers in file order.
    ``shown``: the file's name as the user knows it (RosterError messages name it)."""
    entries = load_roster(path, shown)
    with transaction.atomic():
        for entry in entries:
            Case.objects.update_or_create(
                id_number=entry.id_number, defaults={"name": entry.name, "attributes": entry.attributes}
            )
    log.info("roster %s: %d cases", path.name, len(entries))
    return [e.id_number for e in entries]


def document_facts(doc: Document) -> DocumentFacts:
    fields = list(doc.fields.all())
    return DocumentFacts(
        id=doc.public_id,
        doc_type=doc.doc_type,
        fields={f.name: extracted_field(f) for f in fields},
        file=str(doc.file_id),
        rows=tuple(
            {name: ExtractedField(name, v["value"], v["raw"], v["confidence"], v["page"], tuple(v["bbox"])) for name, v in row.items()}
            for row in doc.rows
        ),
        contributions=tuple(doc.contributions),
        # for provisional flags (cases/rules/provisional.py); only the top type is stored
        pages=tuple(doc.pages),
        type_confidence=doc.doc_type_conf,
        confirmed=doc.review_status == Document.Review.CONFIRMED,
        reviewed_fields=frozenset(f.name for f in fields if f.reviewed_at or f.source == Field.Source.REVIEWER),
    )


def adopt_row(doc: Document, row: dict) -> None:
    """A payroll linked through one of its rows speaks for that veteran: its person fields
    become the row's. Fields a reviewer entered or confirmed are never replaced."""
    person_fields = {name for r in doc.rows for name in r}
    Field.objects.filter(document=doc, name__in=person_fields, reviewed_at__isnull=True).exclude(
        source=Field.Source.REVIEWER
    ).delete()
    reviewed = set(Field.objects.filter(document=doc, name__in=person_fields).values_list("name", flat=True))
    Field.objects.bulk_create(
        Field(
            document=doc, name=name, value=v["value"], raw=v["raw"], confidence=v["confidence"],
            page=v["page"], bbox=v["bbox"], extractor_version=EXTRACTOR_VERSION,
        )
        for name, v in row.items()
        if name not in reviewed
    )


def roster_entry(case: Case) -> RosterEntry:
    return RosterEntry(id_number=case.id_number, name=case.name, attributes=dict(case.attributes))


def link_all_documents() -> None:
    """(Re)link every document against every case; an unmatched document stays unattached. A list
    of several rostered veterans is attached to none of them; each linked row is (RowLink)."""
    docs = list(Document.objects.prefetch_related("fields"))
    cases = {c.id_number: c for c in Case.objects.all()}
    links = link_documents([document_facts(d) for d in docs], [roster_entry(c) for c in cases.values()])
    by_public = {d.public_id: d for d in docs}
    row_links = []
    with transaction.atomic():
        for link in links:
            doc = by_public[link.document_id]
            if doc.link_method == REVIEWER_LINK:
                continue  # a reviewer attached it to its case (pipeline/review.attach_document): theirs to keep
            case = cases.get(link.case_id_number) if link.case_id_number else None
            doc.case = case
            doc.link_method = link.method or ""
            doc.link_reason = link.reason[:200]
            if case is not None and link.row is not None:
                adopt_row(doc, doc.rows[link.row])
            if case is None:
                row_links += [
                    RowLink(document=doc, row=r.row, case=cases[r.case_id_number], method=r.method, reason=r.reason[:200])
                    for r in link.rows
                ]
        Document.objects.bulk_update(docs, ["case", "link_method", "link_reason"])
        RowLink.objects.all().delete()
        RowLink.objects.bulk_create(row_links)


def evaluate_cases(id_numbers: list[str], options: CaseOptions) -> None:
    for case in Case.objects.filter(id_number__in=id_numbers):
        docs = [document_facts(d) for d in case.documents.prefetch_related("fields")]
        rows = case.row_links.select_related("document").prefetch_related("document__fields")
        docs += [document_facts(r.document).for_row(r.row) for r in rows]
        result = evaluate_case(roster_entry(case), docs, options)
        with transaction.atomic():
            # Open flags are recomputed: one still found keeps its row (pages and forms refer to
            # it), one no longer found goes, a new one is added. Resolved or waived flags are a
            # reviewer's decision and stay.
            found = {_flag_key(f.code, f.doc_type, f.evidence): f for f in result.flags}
            for flag in case.flags.all():
                key = _flag_key(flag.code, flag.doc_type, flag.evidence)
                if flag.status != Flag.Status.OPEN:
                    found.pop(key, None)
                elif key in found:
                    new = found.pop(key)
                    if (flag.message, flag.severity, flag.provisional) != (new.message, new.severity, new.provisional):
                        flag.message, flag.severity, flag.provisional = new.message, new.severity, new.provisional
                        flag.save(update_fields=["message", "severity", "provisional"])
                else:
                    flag.delete()
            Flag.objects.bulk_create(
                Flag(
                    case=case,
                    code=f.code,
                    doc_type=f.doc_type,
                    severity=f.severity,
                    message=f.message,
                    evidence=[dict(e) for e in f.evidence],
                    provisional=f.provisional,
                )
                for f in found.values()
            )
            case.derived = result.derived
            case.evaluated_at = timezone.now()
            case.save(update_fields=["derived", "evaluated_at"])


def _flag_key(code: str, doc_type: str | None, evidence) -> tuple:
    """A flag's identity across re-evaluations: what it says and which fields it cites."""
    cited = tuple(sorted((e.get("document", ""), e.get("field", "")) for e in evidence))
    return code, doc_type, cited
