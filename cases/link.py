"""Attaching documents to roster cases, with a reason a clerk can read for every decision.

1. By ID number. A valid 18-char number (or a legacy 15-digit number, converted) that is on the
   roster links the document (method "id_number" / "legacy_id"). A valid 18-char number that is
   NOT on the roster keeps the document unmatched, whatever its name: it belongs to someone else.
2. By name + a corroborating fact, for every other document (no number, an unusable one, or a
   15-digit one not on the roster). The name must be the case's (same, homophone, or 曾用名 — the
   roster's, or one a household-register page linked in step 1 records — or the case's but for
   characters the OCR read unsure) AND
   a fact must agree — a near-miss ID number, a birth / enlistment / discharge month, the same
   scanned file, the same unit — see cases/corroborate.py for the table and the birth-month veto.
   Exactly one candidate links; zero or several leave the document unmatched.
   This runs in rounds up to a fixed point: facts of documents linked in one round corroborate
   the next round (a placement letter linked by its enlistment month lends its unit to the
   termination decision of the same factory). Each round is decided from the state at its start
   and applied at once, so the result does not depend on the order of the documents.
3. A final check: every document linked in step 2 must still match exactly its case when judged
   against the final state (without itself). One that by then also matches another case was
   linked too early; it is left unmatched for a person to decide and the rounds are redone
   without it.
4. The last resort (domain ID-06, "matched without ID"): a whole document that nothing links
   but whose name is exactly one roster person's, sounds like no one else's, that prints no ID
   number, and contradicts none of that person's known months links "name_only", its reason saying it awaits a
   reviewer. Old papers often carry a name and nothing else; leaving them unmatched shows the
   case a missing document, and an exclusion on them would go unseen. An excluding document links
   so too: a name alone excludes no one, but the exclusion flag it raises is provisional until a
   reviewer confirms the link, and it stops the case where a possible exclusion only listed aside
   might go unseen. A document scanned in one file with another person's linked documents stays
   unmatched. A page whose name
   was not read links "file_only" when its scanned file holds only one person's linked
   documents and a month or unit of it agrees with theirs (last_resorts.file_only), awaiting a reviewer
   too — an excluding page as well: in his own folder it is most likely his, and the flag it
   raises is provisional until the link is confirmed. A page whose name was not read but whose
   unusable number is one slip from one roster person's ID only links "near_id_only" in any scan,
   on the same terms (last_resorts.near_id_only). A page with neither name nor number links
   "facts_only" when its birth month, and at least two of its enlistment month, discharge month
   and unit code, single out one roster person (last_resorts.facts_only), awaiting a reviewer as
   well (never an excluding page: nothing of the person is on it).
   Such links lend no fact to other documents' corroboration.

A document with `rows` (a list of several veterans) is matched row by row, each row as if it
were the document's own fields (ID first, then name + near ID / birth / discharge month; not
file or unit, which belong to the whole list). A row links when exactly one case matches it
(`Link.rows`: every linked row). When all linked rows are one case's, the document is that
case's (`Link.row` is the first such row); when they are several cases', the document belongs to
none of them as a whole, and each case holds its own rows as evidence (a county's payroll lists
many rostered veterans). A row that matches two cases links to neither.

Reasons never contain names, ID numbers, file names or units: only document ids, row numbers
and which facts agreed.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.codes import DocType

from cases.corroborate import (
    ID_WHY,
    Evidence,
    EvidenceOf,
    IdReading,
    Linked,
    LinkMethod,
    RosterBook,
    candidates,
)
from cases.facts import DocumentFacts
from cases.last_resorts import facts_only, file_only, near_id_only
from cases.roster import RosterEntry

__all__ = ["Link", "LinkMethod", "RowMatch", "case_documents", "link_documents"]


@dataclass(frozen=True)
class RowMatch:
    """One row of a list document matched to a case (stored as a records.models.RowLink)."""

    row: int  # 0-based
    case_id_number: str
    method: LinkMethod
    reason: str


@dataclass
class Link:
    document_id: str
    case_id_number: str | None
    method: LinkMethod | None
    reason: str
    row: int | None = None  # for a document with rows: the row (0-based) that matched the case
    rows: tuple[RowMatch, ...] = ()  # for a document with rows: every row linked, whoever's


def link_documents(docs: list[DocumentFacts], roster: list[RosterEntry]) -> list[Link]:
    """One Link per document, in the order given."""
    book = RosterBook(roster)
    by_id = {doc.id: doc for doc in docs}
    decided: dict[str, Link] = {}
    base: dict[str, list[Linked]] = {}
    open_docs: list[DocumentFacts] = []
    for doc in docs:
        reading = IdReading("none") if doc.rows else book.read_id(doc)
        if reading.kind == "roster" and reading.case and reading.method:
            decided[doc.id] = Link(doc.id, reading.case, reading.method, ID_WHY[reading.method])
            base.setdefault(reading.case, []).append(Linked(doc, reading.method))
        elif reading.kind == "elsewhere":
            decided[doc.id] = Link(doc.id, None, None, "公民身份号码有效但不在花名册中（视为他人），未关联")
        else:
            open_docs.append(doc)
    # A 曾用名 on a household-register page linked by ID is the person's, like the roster's own.
    for case, items in base.items():
        for item in items:
            if item.facts.doc_type == DocType.ID_CARD and item.facts.value("former_name"):
                book.add_former_name(case, item.facts.value("former_name") or "")

    barred: set[str] = set()
    while True:
        matched, linked = _grow(open_docs, barred, base, book)
        doubtful = _no_longer_unique(matched, linked, by_id, book)
        if not doubtful:
            break
        barred |= doubtful

    final = _evidence(book, linked)
    for doc in open_docs:
        if doc.id in matched:
            decided[doc.id] = matched[doc.id]
        elif doc.id in barred:
            what = "名单各行" if doc.rows else book.read_id(doc).words + "，姓名与佐证事实"
            decided[doc.id] = Link(doc.id, None, None, f"{what}先后符合花名册中多人，需人工确认，未关联")
        else:
            decided[doc.id] = _last_resort(doc, book, final)
    return [decided[doc.id] for doc in docs]


def _last_resort(doc: DocumentFacts, book: RosterBook, evidence_of: EvidenceOf) -> Link:
    """Step 4: the name alone, unless the document shares its scan with another person's
    documents; a page without a name, by its scan, its near number and its months
    (last_resorts.file_only, near_id_only, facts_only).
    (A unit proves nothing here: a county places many veterans at one factory.)"""
    link = _judge(doc, book, evidence_of, name_only=True)
    if doc.rows:
        return link
    owners = [case for case in book.entries if doc.file is not None and doc.file in evidence_of(case).files]
    if link.method is None and not doc.value("name"):
        reading = book.read_id(doc)
        agreed = file_only(doc, reading, owners[0], evidence_of(owners[0])) if len(owners) == 1 else None
        if agreed:
            return Link(doc.id, owners[0], agreed[0], agreed[1])
        if len(reading.near) == 1 and set(owners) <= set(reading.near):  # not from a scan of someone else's papers
            agreed = near_id_only(doc, reading, reading.near[0], evidence_of(reading.near[0]))
            if agreed:
                return Link(doc.id, reading.near[0], agreed[0], agreed[1])
        found = facts_only(doc, reading, book, evidence_of)
        if found and set(owners) <= {found[0]}:  # not from a scan of someone else's papers
            return Link(doc.id, found[0], found[1], found[2])
        return link
    if link.method != "name_only":
        return link
    for case in owners:
        if case != link.case_id_number:
            why = "姓名仅与花名册中一人相符，但与另一人的材料同属一个扫描文件，需人工确认，未关联"
            return Link(doc.id, None, None, f"{book.read_id(doc).words}，{why}")
    return link


# ---- rounds ------------------------------------------------------------------------------------


def _grow(
    open_docs: list[DocumentFacts], barred: set[str], base: dict[str, list[Linked]], book: RosterBook
) -> tuple[dict[str, Link], dict[str, list[Linked]]]:
    """Link by name + corroboration until a round adds nothing; returns the links and the cases."""
    linked = {case: list(items) for case, items in base.items()}
    matched: dict[str, Link] = {}
    while True:
        evidence_of = _evidence(book, linked)
        new = [
            (doc, link)
            for doc in open_docs
            if doc.id not in matched and doc.id not in barred
            for link in (_judge(doc, book, evidence_of),)
            if link.case_id_number is not None
        ]
        if not new:
            return matched, linked
        for doc, link in new:
            matched[doc.id] = link
            view = doc.for_row(link.row) if link.row is not None else doc
            linked.setdefault(link.case_id_number or "", []).append(Linked(view, link.method or ""))


def _no_longer_unique(
    matched: dict[str, Link], linked: dict[str, list[Linked]], by_id: dict[str, DocumentFacts], book: RosterBook
) -> set[str]:
    """Documents linked in the rounds that, judged against the final state without themselves,
    no longer point to exactly their case (another case now matches too, or a veto appeared)."""
    return {
        doc_id
        for doc_id, link in matched.items()
        if _judge(by_id[doc_id], book, _evidence(book, linked, exclude=doc_id)).case_id_number != link.case_id_number
    }


def _evidence(book: RosterBook, linked: dict[str, list[Linked]], exclude: str | None = None) -> EvidenceOf:
    """What each case vouches for in this state (optionally without one document), computed lazily."""
    cache: dict[str, Evidence] = {}

    def evidence_of(case: str) -> Evidence:
        if case not in cache:
            items = [item for item in linked.get(case, ()) if item.facts.id != exclude]
            cache[case] = Evidence.of(book.entries[case], items)
        return cache[case]

    return evidence_of


# ---- judging one document against a state -----------------------------------------------------


def _judge(doc: DocumentFacts, book: RosterBook, evidence_of: EvidenceOf, name_only: bool = False) -> Link:
    """The document's link in this state: its single candidate, or unmatched with the reason."""
    if doc.rows:
        return _judge_rows(doc, book, evidence_of)
    reading = book.read_id(doc)
    found = candidates(doc, reading, book, evidence_of, whole_document=True, name_only=name_only)
    no_id = reading.words
    if len(found) == 1:
        c = found[0]
        return Link(doc.id, c.case, c.method, c.why if c.method in ID_WHY else f"{no_id}；{c.why}")
    if found:
        return Link(doc.id, None, None, f"{no_id}，姓名与佐证事实同时符合花名册中 {len(found)} 人，需人工确认，未关联")
    if not doc.value("name"):
        return Link(doc.id, None, None, f"{no_id}，且无姓名，未关联")
    if reading.kind == "legacy_elsewhere":
        return Link(doc.id, None, None, f"{no_id}（视为他人），且无近似号码佐证姓名，未关联")
    return Link(doc.id, None, None, f"{no_id}，花名册中无姓名相符且另有事实佐证的人员，未关联")


def _judge_rows(doc: DocumentFacts, book: RosterBook, evidence_of: EvidenceOf) -> Link:
    """A list of veterans: each row links to its one matching case; the list is a case's when
    all its linked rows are that case's."""
    rows: list[RowMatch] = []
    for index in range(len(doc.rows)):
        view = doc.for_row(index)
        reading = book.read_id(view)
        found = candidates(view, reading, book, evidence_of, whole_document=False)
        if len(found) == 1:
            c = found[0]
            why = c.why if c.method in ID_WHY else f"{reading.words}；{c.why}"
            rows.append(RowMatch(index, c.case, c.method, f"名单第 {index + 1} 行：{why}"))
    cases = {r.case_id_number for r in rows}
    if len(cases) == 1:
        first = rows[0]
        return Link(doc.id, first.case_id_number, first.method, first.reason, row=first.row, rows=tuple(rows))
    if rows:
        return Link(
            doc.id, None, None, f"名单各行分别为花名册中 {len(cases)} 人的材料，已按行关联到各人", rows=tuple(rows)
        )
    return Link(doc.id, None, None, f"名单 {len(doc.rows)} 行均无法与花名册人员关联，未关联")


def case_documents(docs: list[DocumentFacts], links: list[Link], case_id_number: str) -> list[DocumentFacts]:
    """What one case evaluates: the documents linked to it (a list as the view of its row), and
    its own rows of lists that are several veterans'."""
    by_id = {doc.id: doc for doc in docs}
    out = []
    for link in links:
        doc = by_id[link.document_id]
        if link.case_id_number == case_id_number:
            out.append(doc.for_row(link.row) if link.row is not None else doc)
        elif link.case_id_number is None:
            out += [doc.for_row(r.row) for r in link.rows if r.case_id_number == case_id_number][:1]
    return out
