"""Attaching documents to roster cases, with a reason a clerk can read for every decision.

Two passes, so the result does not depend on the order of the documents:

1. By ID number. A valid 18-char number (or a legacy 15-digit number, converted) that is on the
   roster links the document (method "id_number" / "legacy_id"). A valid number that is NOT on
   the roster keeps the document unmatched, whatever its name: it belongs to someone else.
   Legacy numbers are treated the same way (no checksum, but a real date: a person's number).
2. By name and date, only for documents without a usable number (none, or a checksum failure).
   A roster entry is a candidate when the document's name is the same, a homophone, or a recorded
   曾用名, AND a date agrees at month precision with what the case already knows:
     - birth_date: the month encoded in the roster ID, the roster column 出生日期, or a birth_date
       on a document linked to that case in pass 1 → method "name_birth";
     - else enlistment_date: the roster column 入伍时间, or an enlistment_date on a document
       linked in pass 1 → method "name_enlistment".
   A document whose birth month is known and contradicts every known birth month of the case is
   not a candidate (enlistment months are shared by a whole recruitment batch, so an enlistment
   match never overrides a birth contradiction). Exactly one candidate links; zero or several
   leave the document unmatched. Nothing is ever attached by a name alone.

Reasons never contain names or ID numbers, only document ids and which facts agreed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from extract.normalize.idnumbers import birth_month, clean_id, from_legacy, is_valid_id
from extract.normalize.names import sound_keys

from cases.facts import DocumentFacts, month_index
from cases.names import aliases, name_relation
from cases.roster import RosterEntry

LinkMethod = Literal["id_number", "legacy_id", "name_birth", "name_enlistment"]

# Roster columns that state the birth or enlistment month (besides the ID number).
BIRTH_COLUMNS = ("出生日期", "出生年月")
ENLISTMENT_COLUMNS = ("入伍时间", "入伍日期", "入伍年月")

_RELATION_ZH = {"same": "姓名一致", "homophone": "姓名同音", "alias": "姓名与曾用名一致"}


@dataclass
class Link:
    document_id: str
    case_id_number: str | None
    method: LinkMethod | None
    reason: str


def link_documents(docs: list[DocumentFacts], roster: list[RosterEntry]) -> list[Link]:
    """One Link per document, in the order given."""
    by_id = {entry.id_number: entry for entry in roster}
    first_pass = {doc.id: _link_by_id(doc, by_id) for doc in docs}

    linked_by_id: dict[str, list[DocumentFacts]] = {}
    for doc in docs:
        link = first_pass[doc.id]
        if link is not None and link.case_id_number is not None:
            linked_by_id.setdefault(link.case_id_number, []).append(doc)
    people = _PeopleBySound()
    for entry in roster:
        known = _KnownDates.of(entry, linked_by_id.get(entry.id_number, []))
        people.add(_Person(entry, aliases(entry.attributes), known))

    links = []
    for doc in docs:
        link = first_pass[doc.id]
        links.append(link if link is not None else _link_by_name(doc, people))
    return links


# ---- pass 1: ID number -----------------------------------------------------------------------


def _link_by_id(doc: DocumentFacts, by_id: dict[str, RosterEntry]) -> Link | None:
    """A Link when the document's number decides (on the roster, or valid but not on it)."""
    raw = clean_id(doc.value("id_number"))
    if not raw:
        return None
    if is_valid_id(raw):
        if raw in by_id:
            return Link(doc.id, raw, "id_number", "公民身份号码与花名册一致")
        return Link(doc.id, None, None, "公民身份号码有效但不在花名册中（视为他人），未关联")
    number = from_legacy(raw)
    if number is not None:
        if number in by_id:
            return Link(doc.id, number, "legacy_id", "旧15位身份证号升位后与花名册一致")
        return Link(doc.id, None, None, "旧15位身份证号升位后不在花名册中（视为他人），未关联")
    return None  # unreadable or checksum failure: fall back to name and dates


# ---- pass 2: name + date ---------------------------------------------------------------------


@dataclass(frozen=True)
class _KnownDates:
    """Month indexes a case already vouches for, with where each came from."""

    birth: dict[int, str]
    enlistment: dict[int, str]

    @classmethod
    def of(cls, entry: RosterEntry, id_linked: list[DocumentFacts]) -> "_KnownDates":
        birth: dict[int, str] = {}
        enlistment: dict[int, str] = {}
        month = month_index(birth_month(entry.id_number))
        if month is not None:
            birth[month] = "花名册身份证号中的出生年月"
        for column in BIRTH_COLUMNS:
            m = month_index(entry.attributes.get(column))
            if m is not None:
                birth.setdefault(m, f"花名册“{column}”列")
        for column in ENLISTMENT_COLUMNS:
            m = month_index(entry.attributes.get(column))
            if m is not None:
                enlistment.setdefault(m, f"花名册“{column}”列")
        for doc in sorted(id_linked, key=lambda d: d.id):
            m = month_index(doc.value("birth_date"))
            if m is not None:
                birth.setdefault(m, f"文件 {doc.id}（已按身份证号关联）")
            m = month_index(doc.value("enlistment_date"))
            if m is not None:
                enlistment.setdefault(m, f"文件 {doc.id}（已按身份证号关联）")
        return cls(birth, enlistment)


@dataclass(frozen=True)
class _Person:
    entry: RosterEntry
    former_names: tuple[str, ...]
    dates: _KnownDates


class _PeopleBySound:
    """Roster people indexed by every pinyin spelling of their name and former names."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, ...], list[_Person]] = {}

    def add(self, person: _Person) -> None:
        keys = set(sound_keys(person.entry.name))
        for former in person.former_names:
            keys |= sound_keys(former)
        for key in keys:
            self._by_key.setdefault(key, []).append(person)

    def sounding_like(self, name: str) -> list[_Person]:
        found: dict[str, _Person] = {}
        for key in sound_keys(name):
            for person in self._by_key.get(key, ()):
                found.setdefault(person.entry.id_number, person)
        return list(found.values())


def _why_no_id(doc: DocumentFacts) -> str:
    return "公民身份号码无法识别或校验失败" if doc.value("id_number") else "文件无公民身份号码"


def _link_by_name(doc: DocumentFacts, people: _PeopleBySound) -> Link:
    no_id = _why_no_id(doc)
    name = doc.value("name")
    if not name:
        return Link(doc.id, None, None, f"{no_id}，且无姓名，未关联")
    birth = month_index(doc.value("birth_date"))
    enlisted = month_index(doc.value("enlistment_date"))
    if birth is None and enlisted is None:
        return Link(doc.id, None, None, f"{no_id}，且无出生或入伍年月可佐证姓名，未关联")

    candidates: list[tuple[RosterEntry, LinkMethod, str]] = []
    for person in people.sounding_like(name):
        entry, dates = person.entry, person.dates
        relation = name_relation(name, entry.name, person.former_names)
        if relation == "different":
            continue
        if birth is not None and birth in dates.birth:
            candidates.append((entry, "name_birth", f"{_RELATION_ZH[relation]}，出生年月与{dates.birth[birth]}一致"))
        elif birth is not None and dates.birth:
            continue  # the birth month contradicts this case
        elif enlisted is not None and enlisted in dates.enlistment:
            candidates.append(
                (entry, "name_enlistment", f"{_RELATION_ZH[relation]}，入伍年月与{dates.enlistment[enlisted]}一致")
            )

    if len(candidates) == 1:
        entry, method, why = candidates[0]
        return Link(doc.id, entry.id_number, method, f"{no_id}；{why}")
    if not candidates:
        return Link(doc.id, None, None, f"{no_id}，花名册中无姓名与出生/入伍年月同时相符的人员，未关联")
    return Link(doc.id, None, None, f"{no_id}，姓名与日期同时符合花名册中 {len(candidates)} 人，需人工确认，未关联")
