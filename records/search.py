"""Full-text search over what was read (issue #13): every document is found by the text read from
its pages, its field values (a reviewer's corrections included) and its file's name.

The text is normalised the same way on both sides (NFKC, case folded, blanks inside a line
removed: OCR often reads 周 立 新 and ID numbers are written in groups), lines kept apart so that
a term never matches across two lines. A query is split at blanks into terms; a document matches
when it contains every term.

How a term is looked up, per database (migrations records 0009 and 0010):

- SQLite: terms of three characters or more through the FTS5 table with the trigram tokenizer
  (`records_searchentry_fts MATCH '"term"'`); one- and two-character terms (a two-character name
  such as 夏新, a year like 97), which trigrams cannot serve, through a second FTS5 table whose
  tokens are single characters (the text with a blank after every character): a two-character term
  is a phrase of two tokens, then the exact substring is checked on the rows found.
- PostgreSQL: `text LIKE '%term%'`, which pg_trgm's GIN index serves for terms of three characters
  or more; shorter terms through a GIN index on the same one-token-per-character text as a 'simple'
  tsvector (an expression index), their characters ANDed, the exact substring checked after.
- A term with no letter or digit at all (punctuation) is looked for by a scan.

Both are measured on 10,000 documents by `casefile bench-search` (figures in the README).

Entries are kept up to date without the pipeline knowing: a document without an entry (new, or
one whose entry was dropped because a field or its pages changed) is indexed before the next
search (`ensure_indexed`), and `invalidate` drops the entry of a document whose text changed
(connected to Field and Document saves in records.apps).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable

from django.db import connection, transaction

from records.models import Document, Field, Page, SearchEntry

_BLANKS = re.compile(r"[ \t\u3000\u00a0]+")
MAX_TERMS = 8
MAX_TERM_CHARS = 60
INDEX_LOCK = 0x6361_7373  # PostgreSQL advisory lock of index_documents
# The expression of the PostgreSQL index of migration 0010, character for character.
PG_CHARS = r"to_tsvector('simple'::regconfig, regexp_replace(text, '(.)', '\1 ', 'g'))"


def normalize(text: str) -> str:
    """NFKC, case folded, blanks inside lines removed, empty lines dropped."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    lines = (_BLANKS.sub("", line) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def terms(query: str) -> list[str]:
    """The query's terms, normalised; at most MAX_TERMS, each at most MAX_TERM_CHARS long."""
    out = []
    for raw in (query or "").split():
        term = normalize(raw).replace("\n", "")[:MAX_TERM_CHARS]
        if term and term not in out:
            out.append(term)
    return out[:MAX_TERMS]


def spaced(text: str) -> str:
    """One token per character (the short-term index): "夏新 36" → "夏 新   3 6"."""
    return " ".join(text)


def _has_word(term: str) -> bool:
    return any(ch.isalnum() for ch in term)


def document_text(doc: Document, page_text: dict[int, str], fields: list[tuple[str, str]], file_name: str) -> str:
    # The read text first: the list's snippet shows the first place a term is found.
    parts = [page_text.get(n, "") for n in doc.pages]
    parts += [value for _name, value in fields if value]
    parts += [file_name, doc.public_id]
    return normalize("\n".join(parts))


def index_documents(document_ids: Iterable[int]) -> int:
    """(Re)build the entries of these documents; returns how many were written."""
    ids = sorted(set(document_ids))
    written = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        docs = list(Document.objects.filter(pk__in=chunk).select_related("file"))
        if not docs:
            continue
        wanted = {(d.file_id, n) for d in docs for n in d.pages}
        texts: dict[int, dict[int, str]] = {}
        for file_id, number, text in Page.objects.filter(file_id__in={d.file_id for d in docs}).values_list(
            "file_id", "number", "text"
        ):
            if (file_id, number) in wanted:
                texts.setdefault(file_id, {})[number] = text
        values: dict[int, list[tuple[str, str]]] = {}
        for document_id, name, value in Field.objects.filter(document_id__in=chunk).values_list("document_id", "name", "value"):
            values.setdefault(document_id, []).append((name, value))
        entries = [
            SearchEntry(document=d, text=document_text(d, texts.get(d.file_id, {}), values.get(d.pk, []), d.file.first_name))
            for d in docs
        ]
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Two searches may index the same new documents at once: they take turns (SQLite's
                # write transactions already do), so neither deadlocks nor fails on the key.
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [INDEX_LOCK])
            SearchEntry.objects.filter(document_id__in=[d.pk for d in docs]).delete()
            SearchEntry.objects.bulk_create(entries)
            if connection.vendor == "sqlite":  # the short-term index; rows go with their entry (trigger)
                with connection.cursor() as cursor:
                    cursor.executemany(
                        "INSERT INTO records_searchentry_chars(rowid, chars) VALUES (%s, %s)",
                        [(e.document_id, spaced(e.text)) for e in entries],
                    )
        written += len(entries)
    return written


def ensure_indexed() -> int:
    """Index every document that has no entry yet (one indexed query when there is none)."""
    missing = list(Document.objects.filter(search_entry__isnull=True).values_list("pk", flat=True))
    return index_documents(missing) if missing else 0


def invalidate(document_ids: Iterable[int]) -> None:
    """The text of these documents changed: their entries go, and come back at the next search."""
    ids = [i for i in set(document_ids) if i is not None]
    if ids:
        SearchEntry.objects.filter(document_id__in=ids).delete()


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def where(query: str) -> tuple[list[str], list[str]]:
    """SQL conditions on records_document.id (ANDed) and their parameters, for QuerySet.extra:
    the documents containing every term of the query. ([], []) for an empty query."""
    clauses, params = [], []
    vendor = connection.vendor
    for term in terms(query):
        if vendor == "sqlite" and len(term) >= 3:
            clauses.append(
                "records_document.id IN (SELECT rowid FROM records_searchentry_fts WHERE records_searchentry_fts MATCH %s)"
            )
            params.append(_fts_phrase(term))
        elif vendor == "sqlite" and _has_word(term):
            clauses.append(
                "records_document.id IN (SELECT e.document_id FROM records_searchentry e WHERE e.document_id IN "
                "(SELECT rowid FROM records_searchentry_chars WHERE records_searchentry_chars MATCH %s) "
                "AND instr(e.text, %s) > 0)"
            )
            params += [_fts_phrase(spaced(term)), term]
        elif vendor == "sqlite":
            clauses.append("records_document.id IN (SELECT document_id FROM records_searchentry WHERE instr(text, %s) > 0)")
            params.append(term)
        elif len(term) >= 3 or not _has_word(term):
            clauses.append("records_document.id IN (SELECT document_id FROM records_searchentry WHERE text LIKE %s)")
            params.append(_like(term))
        else:
            clauses.append(
                "records_document.id IN (SELECT document_id FROM records_searchentry WHERE "
                + PG_CHARS.replace("%", "%%") + " @@ plainto_tsquery('simple'::regconfig, %s) AND text LIKE %s)"
            )
            params += [spaced(term), _like(term)]
    return clauses, params


def search(queryset, query: str):
    """The documents of the queryset whose text contains every term of the query."""
    clauses, params = where(query)
    if not clauses:
        return queryset
    ensure_indexed()
    return queryset.extra(where=clauses, params=params)


def snippet(text: str, query: str, width: int = 24) -> str:
    """A piece of the entry's text around the first term found, for the list."""
    for term in terms(query):
        at = text.find(term)
        if at >= 0:
            start = max(0, at - width)
            piece = text[start:at + len(term) + width].replace("\n", " ")
            return ("…" if start else "") + piece + ("…" if at + len(term) + width < len(text) else "")
    return ""


# --- keeping entries current (connected in records.apps) -----------------------------------------


def _field_changed(sender, instance, **kwargs) -> None:
    invalidate([instance.document_id])


def _document_saved(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    # Linking saves documents by the hundred (case, link_method): only a change of pages or type
    # changes the text.
    if not created and (update_fields is None or "pages" in update_fields):
        invalidate([instance.pk])


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    post_save.connect(_field_changed, sender=Field, dispatch_uid="search-field-saved")
    post_delete.connect(_field_changed, sender=Field, dispatch_uid="search-field-deleted")
    post_save.connect(_document_saved, sender=Document, dispatch_uid="search-document-saved")
