"""Cases: import the roster, link documents to veterans, run the evidence rules."""
from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cases import CaseOptions, DocumentFacts, RosterEntry, evaluate_case, link_documents, load_roster
from cases.reach import case_keys, case_slip_patterns, document_keys, slip_numbers
from core.types import EvidenceRef
from extract import EXTRACTOR_VERSION
from pipeline.documents import extracted_field, field_row, row_field
from records.models import Case, Document, Field, Flag, LinkKey, RowLink

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


def casework_lock() -> None:
    """Linking looks at documents and cases other batches may touch, so two batches closing at
    once (or a close and a reviewer's change) on PostgreSQL take turns (a transaction-scoped
    advisory lock). SQLite write transactions already do."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CASEWORK_LOCK])


CASEWORK_LOCK = 0x6361_7365  # "case"


def link_imported(id_numbers: list[str], options: CaseOptions) -> set[str]:
    """After a roster import outside a batch (the web's 导入花名册): the documents these cases can
    reach are linked again and the cases whose evidence changed, and the imported ones, evaluated."""
    with transaction.atomic():
        casework_lock()
        seeds = [pk for part in _chunks(id_numbers) for pk in Case.objects.filter(id_number__in=part).values_list("pk", flat=True)]
        touched = link_around(cases=seeds) | set(id_numbers)
        evaluate_cases(sorted(touched), options)
    return touched


def document_facts(doc: Document) -> DocumentFacts:
    fields = list(doc.fields.all())
    return DocumentFacts(
        id=doc.public_id,
        doc_type=doc.doc_type,
        fields={f.name: extracted_field(f) for f in fields},
        file=str(doc.file_id),
        rows=tuple({name: row_field(name, stored) for name, stored in row.items()} for row in doc.rows),
        contributions=doc.contribution_periods,
        # for provisional flags (cases/rules/provisional.py); only the top type is stored
        pages=tuple(doc.pages),
        type_confidence=doc.doc_type_conf,
        confirmed=doc.review_status == Document.Review.CONFIRMED,
        reviewed_fields=frozenset(f.name for f in fields if f.reviewed_at or f.source == Field.Source.REVIEWER),
        link_method=doc.link_method,
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
        field_row(doc, row_field(name, stored), source=Field.Source.OCR, version=EXTRACTOR_VERSION)
        for name, stored in row.items()
        if name not in reviewed
    )


def roster_entry(case: Case) -> RosterEntry:
    return RosterEntry(id_number=case.id_number, name=case.name, attributes=dict(case.attributes))


def link_all_documents() -> set[str]:
    """(Re)link every document against every case; an unmatched document stays unattached. A list
    of several rostered veterans is attached to none of them; each linked row is (RowLink).
    The explicit full path (`casefile reread`); changes link_around. Returns the ID numbers of
    the cases whose documents changed."""
    docs = list(Document.objects.prefetch_related("fields"))
    cases = {c.id_number: c for c in Case.objects.all()}
    facts = [document_facts(d) for d in docs]
    links = link_documents(facts, [roster_entry(c) for c in cases.values()])
    with transaction.atomic():
        changed = _apply(docs, cases, links, RowLink.objects.all())
        LinkKey.objects.all().delete()
        _store_keys(zip(docs, facts), cases.values())
    return changed


def link_around(documents: Iterable[int] = (), cases: Iterable[int] = ()) -> set[str]:
    """Link again only what these documents (ids) and cases (ids) can affect: the documents and
    cases reachable from them through shared keys (cases/reach.py: ID numbers and their one-slip
    patterns, sound keys of names, the same scanned file) as they are now and as they were when
    last linked, found through the LinkKey index. The result is the one link_all_documents would
    give (tests/test_scale_linking.py). Returns the ID numbers of the cases whose documents
    changed; the caller evaluates them with the cases the change itself touched."""
    _key_the_unkeyed()
    seed_docs, seed_cases = set(documents), set(cases)
    if not seed_docs and not seed_cases:
        return set()
    before_docs = _stored_keys("document", seed_docs)
    before_cases = _stored_keys("case", seed_cases)
    with transaction.atomic():
        _rekey(seed_docs, seed_cases)  # the keys of what they say now
    doc_ids, case_ids = _closure(seed_docs, seed_cases, before_docs, before_cases)
    docs = list(_chunked(lambda part: Document.objects.filter(pk__in=part).prefetch_related("fields"), doc_ids))
    cases_by_number = {c.id_number: c for c in _chunked(lambda part: Case.objects.filter(pk__in=part), case_ids)}
    facts = [document_facts(d) for d in docs]
    links = link_documents(facts, [roster_entry(c) for c in cases_by_number.values()])
    with transaction.atomic():
        changed = _apply(docs, cases_by_number, links, RowLink.objects.filter(document_id__in=[d.pk for d in docs]))
    log.info("linked %d documents around %d changed documents and %d cases; %d cases changed",
             len(docs), len(seed_docs), len(seed_cases), len(changed))
    return changed


def _apply(docs: list[Document], cases: dict[str, Case], links, old_rows) -> set[str]:
    """Write the links of these documents (their RowLinks are `old_rows`); the ID numbers of
    the cases whose documents changed (before or after)."""
    by_public = {d.public_id: d for d in docs}
    by_pk = {c.pk: c.id_number for c in cases.values()}
    before_rows: dict[int, set] = {}
    for document_id, row, case_id, method, reason in old_rows.values_list("document_id", "row", "case_id", "method", "reason"):
        before_rows.setdefault(document_id, set()).add((row, case_id, method, reason))
    before = {d.pk: (d.case_id, d.link_method, d.link_reason) for d in docs}
    changed: set[str] = set()
    row_links = []
    for link in links:
        doc = by_public[link.document_id]
        if doc.link_method == REVIEWER_LINK:
            continue  # a reviewer attached it to its case (casework/review.attach_document): theirs to keep
        case = cases.get(link.case_id_number) if link.case_id_number else None
        doc.case = case
        doc.link_method = link.method or ""
        doc.link_reason = link.reason[:200]
        if case is not None and link.row is not None:
            adopt_row(doc, doc.rows[link.row])
        rows = set()
        if case is None:
            for r in link.rows:
                rows.add((r.row, cases[r.case_id_number].pk, r.method, r.reason[:200]))
                row_links.append(
                    RowLink(document=doc, row=r.row, case=cases[r.case_id_number], method=r.method, reason=r.reason[:200])
                )
        old_rows_of = before_rows.get(doc.pk, set())
        if before[doc.pk] != (doc.case_id, doc.link_method, doc.link_reason) or old_rows_of != rows:
            changed |= {by_pk.get(before[doc.pk][0]), by_pk.get(doc.case_id)}
            changed |= {by_pk.get(r[1]) for r in old_rows_of | rows}
    moved = [d for d in docs if before[d.pk] != (d.case_id, d.link_method, d.link_reason)]
    Document.objects.bulk_update(moved, ["case", "link_method", "link_reason"], batch_size=500)
    old_rows.delete()
    RowLink.objects.bulk_create(row_links, batch_size=500)
    changed.discard(None)
    # cases outside `cases` (a reviewer's attachment to a case linking never reached) keep their ids
    return {c for c in changed if c}


# ---- the LinkKey index (cases/reach.py) ---------------------------------------------------------

KEYED = "*"  # the key every keyed document and case carries
REACHING = ("n|", "n#", "i|", "m|", "b|")  # keys shared by a document and the cases (and documents) it reaches (cases/reach.py)
IN_CHUNK = 500


def _chunks(items, size: int = IN_CHUNK):
    items = sorted(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _chunked(query, ids) -> list:
    return [row for part in _chunks(ids) for row in query(part)]


def _store_keys(docs_with_facts, cases) -> None:
    LinkKey.objects.bulk_create(
        [LinkKey(document=d, key=k) for d, facts in docs_with_facts for k in {KEYED} | document_keys(facts)]
        + [LinkKey(case=c, key=k) for c in cases for k in {KEYED} | case_keys(roster_entry(c))],
        batch_size=1000,
    )


def _rekey(doc_ids: set[int], case_ids: set[int]) -> None:
    for part in _chunks(doc_ids):
        LinkKey.objects.filter(document_id__in=part).delete()
    for part in _chunks(case_ids):
        LinkKey.objects.filter(case_id__in=part).delete()
    docs = _chunked(lambda part: Document.objects.filter(pk__in=part).prefetch_related("fields"), doc_ids)
    _store_keys(((d, document_facts(d)) for d in docs), _chunked(lambda part: Case.objects.filter(pk__in=part), case_ids))


def _key_the_unkeyed() -> None:
    """Documents finalised since the last linking, cases added by a roster (and a workspace
    linked before the index existed): their keys written once."""
    keyed = LinkKey.objects.filter(key=KEYED)
    docs: set[int] = set()
    cases: set[int] = set()
    # two counts through indexes first: a key row goes with its document or case, so equal counts
    # mean nothing is unkeyed (the common case, no scan)
    if keyed.filter(document__isnull=False).count() != Document.objects.count():
        docs = set(Document.objects.filter(~Exists(keyed.filter(document_id=OuterRef("pk")))).values_list("pk", flat=True))
    if keyed.filter(case__isnull=False).count() != Case.objects.count():
        cases = set(Case.objects.filter(~Exists(keyed.filter(case_id=OuterRef("pk")))).values_list("pk", flat=True))
    if docs or cases:
        with transaction.atomic():
            _rekey(docs, cases)


def _stored_keys(owner: str, ids: set[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for part in _chunks(ids):
        for pk, key in LinkKey.objects.filter(**{f"{owner}_id__in": part}).values_list(f"{owner}_id", "key"):
            out.setdefault(pk, set()).add(key)
    return out


def _closure(doc_ids: set[int], case_ids: set[int], extra_doc_keys: dict, extra_case_keys: dict) -> tuple[set[int], set[int]]:
    """Every document and case reachable from these through shared keys, the same file, or a
    link as it stands (a few queries per step, each through an index)."""
    docs: set[int] = set()
    cases: set[int] = set()
    todo_docs, todo_cases = set(doc_ids), set(case_ids)
    while todo_docs or todo_cases:
        docs |= todo_docs
        cases |= todo_cases
        found_docs: set[int] = set()
        found_cases: set[int] = set()
        if todo_docs:
            keys = set().union(*(extra_doc_keys.get(d, set()) for d in todo_docs), *_stored_keys("document", todo_docs).values())
            reaching = {k for k in keys if k.startswith(REACHING)}
            found_cases |= _owners("case", reaching)
            found_docs |= _owners("document", reaching)
            near = set().union(*(slip_numbers(k) for k in keys if k.startswith("u|")))
            found_cases |= set(_chunked(lambda part: Case.objects.filter(id_number__in=part).values_list("pk", flat=True), near))
            for part in _chunks(todo_docs):
                files = Document.objects.filter(pk__in=part).values("file_id")
                found_docs |= set(Document.objects.filter(file_id__in=files).values_list("pk", flat=True))
                found_cases |= set(Document.objects.filter(pk__in=part, case__isnull=False).values_list("case_id", flat=True))
                found_cases |= set(RowLink.objects.filter(document_id__in=part).values_list("case_id", flat=True))
        if todo_cases:
            keys = set().union(*(extra_case_keys.get(c, set()) for c in todo_cases), *_stored_keys("case", todo_cases).values())
            found_docs |= _owners("document", {k for k in keys if k.startswith(REACHING)})
            numbers = _chunked(lambda part: Case.objects.filter(pk__in=part).values_list("id_number", flat=True), todo_cases)
            found_docs |= _owners("document", set().union(*map(case_slip_patterns, numbers)))
            for part in _chunks(todo_cases):
                found_docs |= set(Document.objects.filter(case_id__in=part).values_list("pk", flat=True))
                found_docs |= set(RowLink.objects.filter(case_id__in=part).values_list("document_id", flat=True))
        todo_docs, todo_cases = found_docs - docs, found_cases - cases
    return docs, cases


def _owners(owner: str, keys: set[str]) -> set[int]:
    """The documents (or cases) holding any of these keys."""
    found: set[int] = set()
    for part in _chunks(keys):
        found |= set(LinkKey.objects.filter(key__in=part, **{f"{owner}__isnull": False}).values_list(f"{owner}_id", flat=True))
    return found


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
                key = _flag_key(flag.code, flag.doc_type, flag.evidence_refs)
                if flag.status != Flag.Status.OPEN:
                    found.pop(key, None)
                elif key in found:
                    new = found.pop(key)
                    if (flag.message, flag.severity, flag.provisional) != (new.message, new.severity, new.provisional):
                        flag.message, flag.severity, flag.provisional = new.message, new.severity, new.provisional
                        flag.save(update_fields=["message", "severity", "provisional"])
                else:
                    flag.delete()
            Flag.objects.bulk_create(Flag.raised(case, f) for f in found.values())
            case.derived_values = result.derived
            case.evaluated_at = timezone.now()
            case.save(update_fields=["derived", "evaluated_at"])


def _flag_key(code: str, doc_type: str | None, evidence: Iterable[EvidenceRef]) -> tuple:
    """A flag's identity across re-evaluations: what it says and which fields it cites."""
    cited = tuple(sorted((e.document, e.field) for e in evidence))
    return code, doc_type, cited
