"""What backs a name when a document's ID number does not decide: the corroborations of link.py.

A roster person is a candidate for a document (or for one row of a list) when the name is theirs
(same, homophone, a recorded 曾用名, or theirs but for characters the OCR read unsure) AND one of
these facts agrees; the strongest names the method:

| method          | the fact that agrees                                                          |
|-----------------|-------------------------------------------------------------------------------|
| name_near_id    | the ID number is unusable (18 chars that fail the checksum, or 15 digits not on |
|                 | the roster) and is one slip — one character, or two neighbours swapped — from   |
|                 | this person's roster ID and from no other roster ID                             |
| name_birth      | birth month: the roster ID, a roster 出生日期 column, or a linked document       |
| name_enlistment | enlistment month: a roster 入伍时间 column or a linked document                  |
| name_discharge  | discharge month: a roster 退伍时间 column or a linked document                   |
| name_same_file  | the same scanned file as a document linked to this person                       |
| name_unit       | placement_unit/employer is the same unit (`same_unit`) as a linked document's   |
|                 | placement_unit, employer or former_employer (the name before a 更名/改制)        |
| name_only       | nothing agrees, but nothing contradicts: the name is exactly this person's and  |
|                 | sounds like no one else's on the roster, and the paper prints no ID number      |
|                 | (domain ID-06: "matched without ID", for a reviewer to confirm) — old papers    |
|                 | often carry a name and nothing else                                             |
| file_only       | the last resort for a page whose name was not read: it is in a scanned file     |
|                 | whose linked documents are all this person's, prints no number (or one a slip   |
|                 | from theirs), a month or unit of it agrees and no month contradicts — for a     |
|                 | reviewer too                                                                    |
| near_id_only    | the last resort for a page whose name was not read, in any scan: its unusable   |
|                 | number is one slip from this person's roster ID and no one else's, a month or   |
|                 | unit of it agrees and no month contradicts — for a reviewer too                  |
| facts_only      | the last resort for a page with neither name nor number, in any scan: its birth |
|                 | month is the roster ID's and at least two of its enlistment month, discharge    |
|                 | month and military unit code agree with what the person's papers say, and no   |
|                 | other roster person of that birth month is left possible (`facts_only`)         |

The three last resorts for a page without a name live in cases/last_resorts.py.

"Linked" means attached to that case before this round (by ID or by an earlier corroboration).
A birth month that contradicts every birth month known for the person vetoes them, whatever
else agrees; for name_only, any known month of the person the document contradicts does. A
15-digit number not on the roster can only be backed by name_near_id (otherwise it is someone
else's number). A valid 18-char number not on the roster is someone else's, unless it is within
MISREAD_DIGITS of the number of a person of the document's name: then it is read as a misreading
that decides nothing (one misreading in eleven passes the checksum). A row of a list is matched on its own facts only (ID, near ID, months):
the file and units belong to the whole list, not to the veteran on that row.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal

from extract.doubt import reading_reconciles
from extract.normalize.idnumbers import birth_month, clean_id, digits_apart, from_legacy, is_valid_id, to_legacy
from extract.normalize.names import normalize_name, sound_keys
from extract.normalize.units import same_unit, unit_fragment_of

from cases.facts import DocumentFacts, month_index
from cases.names import CaseNameRelation, aliases, name_relation
from cases.reach import unsure_patterns
from cases.roster import RosterEntry

LinkMethod = Literal[
    "id_number", "legacy_id",
    "name_near_id", "name_birth", "name_enlistment", "name_discharge", "name_same_file", "name_unit",
    "name_only", "file_only", "near_id_only", "facts_only",
]  # fmt: skip

# Roster columns that state a month of the person (besides the ID number).
BIRTH_COLUMNS = ("出生日期", "出生年月")
ENLISTMENT_COLUMNS = ("入伍时间", "入伍日期", "入伍年月")
DISCHARGE_COLUMNS = ("退伍时间", "退伍日期", "退伍年月", "退役时间", "退出现役时间")
UNIT_FIELDS = {"placement_unit": "安置单位", "employer": "用人单位", "former_employer": "用人单位原名称"}
# A document's signing unit may corroborate it (a termination is signed by the employer), but an
# issuer is never a fact of the person: every letter of a bureau is signed by that bureau.
SIGNED_UNIT_FIELDS = {**UNIT_FIELDS, "issuer": "出具单位"}

RELATION_ZH: dict[CaseNameRelation, str] = {
    "same": "姓名一致", "homophone": "姓名同音", "alias": "姓名与曾用名一致",
    "unsure": "姓名除识别不确定的字外一致",
}
METHOD_ZH: dict[str, str] = {
    "id_number": "按身份证号关联",
    "legacy_id": "按旧15位身份证号关联",
    "name_near_id": "按姓名与近似身份证号关联",
    "name_birth": "按姓名与出生年月关联",
    "name_enlistment": "按姓名与入伍年月关联",
    "name_discharge": "按姓名与退伍年月关联",
    "name_same_file": "按姓名与同一扫描文件关联",
    "name_unit": "按姓名与单位关联",
    "name_only": "仅按姓名关联（待核实）",
    "file_only": "仅按同一扫描文件关联（待核实）",
    "near_id_only": "无姓名，按近似身份证号关联（待核实）",
    "facts_only": "无姓名，按出生日期与服役事实关联（待核实）",
}
# The last resorts: links a reviewer must confirm; a flag resting on such a document is provisional
# and names how it was linked, in METHOD_ZH's words.
AWAITING_REVIEW: dict[str, str] = {
    method: METHOD_ZH[method].removesuffix("（待核实）") for method in ("name_only", "file_only", "near_id_only", "facts_only")
}
ID_WHY: dict[str, str] = {"id_number": "公民身份号码与花名册一致", "legacy_id": "旧15位身份证号升位后与花名册一致"}


# ---- reading an ID number against the roster --------------------------------------------------


@dataclass(frozen=True)
class IdReading:
    """What a document's (or row's) ID number says about the roster.

    kind: none (no number) · roster (on it: `case`, `method`) · elsewhere (valid, not on it:
    someone else) · misread (valid, not on it, but a few digits from the number of someone of
    the document's name: decides nothing, the name needs a fact as with no number) ·
    legacy_elsewhere (15 digits, converted, not on it) · unusable (checksum, date or format
    failure). near: the roster IDs one slip away (legacy_elsewhere / unusable)."""

    kind: Literal["none", "roster", "elsewhere", "misread", "legacy_elsewhere", "unusable"]
    case: str | None = None
    method: LinkMethod | None = None
    near: tuple[str, ...] = ()

    @property
    def words(self) -> str:
        """Why the number does not decide, for a clerk (no digits)."""
        return {
            "none": "文件无公民身份号码",
            "legacy_elsewhere": "旧15位身份证号升位后不在花名册中",
            "misread": "公民身份号码不在花名册中，但与同名人员的号码仅差几位（可能识别有误）",
        }.get(self.kind, "公民身份号码无法识别或校验失败")


def _slips(number: str, alphabet: str) -> set[str]:
    """Every string one typing slip away: one character replaced, or two neighbours swapped."""
    out = {number[:i] + c + number[i + 1 :] for i in range(len(number)) for c in alphabet if c != number[i]}
    out |= {number[:i] + number[i + 1] + number[i] + number[i + 2 :] for i in range(len(number) - 1)}
    out.discard(number)
    return out


class RosterBook:
    """The roster indexed for linking: by ID, by legacy 15-digit form, by the sound of names."""

    def __init__(self, roster: list[RosterEntry]) -> None:
        self.entries = {entry.id_number: entry for entry in roster}
        self.former_names = {entry.id_number: aliases(entry.attributes) for entry in roster}
        self._legacy: dict[str, list[str]] = {}
        self._by_sound: dict[tuple[str, ...], set[str]] = {}
        self._by_birth: dict[int, list[str]] = {}
        self._by_pattern: dict[str, set[str]] = {}  # names with a few characters open (reach.unsure_patterns)
        for entry in roster:
            number = entry.id_number
            for key in unsure_patterns(entry.name):
                self._by_pattern.setdefault(key, set()).add(number)
            born = month_index(birth_month(number))
            if born is not None:
                self._by_birth.setdefault(born, []).append(number)
            if len(number) == 18 and number[6:8] == "19":
                self._legacy.setdefault(to_legacy(number), []).append(number)
            keys = set(sound_keys(entry.name))
            for former in self.former_names[number]:
                keys |= sound_keys(former)
            for key in keys:
                self._by_sound.setdefault(key, set()).add(number)

    def add_former_name(self, number: str, name: str) -> None:
        """A 曾用名 a document of this person records (the household register's 曾用名 line)."""
        former = normalize_name(name)
        if not former or number not in self.entries or former in self.former_names[number]:
            return
        self.former_names[number] += (former,)
        for key in sound_keys(former):
            self._by_sound.setdefault(key, set()).add(number)

    def sounding_like(self, name: str) -> list[RosterEntry]:
        found = {number for key in sound_keys(name) for number in self._by_sound.get(key, ())}
        return [self.entries[number] for number in sorted(found)]

    def born_in(self, month: int) -> list[RosterEntry]:
        """People whose roster ID number gives this birth month."""
        return [self.entries[number] for number in sorted(self._by_birth.get(month, ()))]

    def reconciling(self, name: str, doubt: tuple[int, ...]) -> list[RosterEntry]:
        """People whose name the reading becomes when its unsure characters are read as theirs
        (颐永 with 颐 unsure → 顾永): a worn character is no evidence against a person."""
        if not doubt:
            return []
        numbers = {number for key in unsure_patterns(name, doubt) for number in self._by_pattern.get(key, ())}
        return [
            entry
            for entry in (self.entries[number] for number in sorted(numbers))
            for found in (reading_reconciles(name, doubt, entry.name),)
            if found is not None and found[0] == entry.name
        ]

    def read_id(self, doc: DocumentFacts) -> IdReading:
        """What the document's (or row view's) ID number says about the roster."""
        raw = clean_id(doc.value("id_number"))
        if not raw:
            return IdReading("none")
        if is_valid_id(raw):
            if raw in self.entries:
                return IdReading("roster", raw, "id_number")
            return IdReading("misread") if self._namesake_within(raw, doc.value("name")) else IdReading("elsewhere")
        legacy = from_legacy(raw)
        if legacy is not None and legacy in self.entries:
            return IdReading("roster", legacy, "legacy_id")
        if len(raw) == 15 and raw.isdigit():
            near = {n for slip in _slips(raw, "0123456789") for n in self._legacy.get(slip, ())}
            return IdReading("legacy_elsewhere" if legacy else "unusable", near=tuple(sorted(near)))
        if len(raw) == 18:
            near = {slip for slip in _slips(raw, "0123456789X") if slip in self.entries}
            return IdReading("unusable", near=tuple(sorted(near)))
        return IdReading("unusable")

    def _namesake_within(self, number: str, name: str | None) -> bool:
        """A person of this name (or its sound) whose roster ID differs from `number` in at most
        MISREAD_DIGITS places: a valid number that near theirs is a misreading of it as likely as
        another person's (one in eleven misreadings passes the checksum)."""
        if not name:
            return False
        return any(
            (apart := digits_apart(entry.id_number, number)) is not None and apart <= MISREAD_DIGITS
            for entry in self.sounding_like(name)
        )


# A worn or stamped-over number misreads in one to three digits (development corpora); two
# people's numbers that close share region, birth date and most of the sequence.
MISREAD_DIGITS = 3


# ---- what a case already vouches for ----------------------------------------------------------


@dataclass(frozen=True)
class Linked:
    """A document attached to a case, as the linker matched it (one row's view for a list)."""

    facts: DocumentFacts
    method: str


@dataclass(frozen=True)
class Evidence:
    """Facts a case vouches for, each with where it came from (roster column or document id)."""

    birth: dict[int, str]
    enlistment: dict[int, str]
    discharge: dict[int, str]
    files: dict[str, str]
    units: tuple[tuple[str, str], ...]
    service_units: frozenset[str] = frozenset()  # military unit codes (05318部队) of linked documents

    @classmethod
    def of(cls, entry: RosterEntry, linked: list[Linked]) -> "Evidence":
        months: dict[str, dict[int, str]] = {"birth_date": {}, "enlistment_date": {}, "discharge_date": {}}
        month = month_index(birth_month(entry.id_number))
        if month is not None:
            months["birth_date"][month] = "花名册身份证号中的出生年月"
        for field_name, columns in (
            ("birth_date", BIRTH_COLUMNS), ("enlistment_date", ENLISTMENT_COLUMNS), ("discharge_date", DISCHARGE_COLUMNS)
        ):  # fmt: skip
            for column in columns:
                m = month_index(entry.attributes.get(column))
                if m is not None:
                    months[field_name].setdefault(m, f"花名册“{column}”列")
        files: dict[str, str] = {}
        units: list[tuple[str, str]] = []
        service_units: set[str] = set()
        # ID links first, then by document id: the cited source does not depend on input order.
        for item in sorted(linked, key=lambda li: (li.method not in ID_WHY, li.facts.id)):
            doc = item.facts
            source = f"文件 {doc.id}（{METHOD_ZH.get(item.method, '已关联')}）"
            for field_name, known in months.items():
                m = month_index(doc.value(field_name))
                if m is not None:
                    known.setdefault(m, source)
            if doc.file is not None:
                files.setdefault(doc.file, source)
            units += [(unit, source) for unit in map(doc.value, UNIT_FIELDS) if unit]
            if doc.value("service_unit"):
                service_units.add(doc.value("service_unit") or "")
        return cls(months["birth_date"], months["enlistment_date"], months["discharge_date"], files, tuple(units),
                   frozenset(service_units))


EvidenceOf = Callable[[str], Evidence]


# ---- candidates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkCandidate:
    """A roster case a document may link to, and by which corroboration."""

    case: str
    method: LinkMethod
    why: str  # which facts agreed, no personal data


def candidates(
    view: DocumentFacts, reading: IdReading, book: RosterBook, evidence_of: EvidenceOf, *, whole_document: bool,
    name_only: bool = False,
) -> list[LinkCandidate]:
    """Roster people this document (or row view) may belong to, by case ID number. `name_only`:
    also the last resort (link.py asks for it only once no fact links the document)."""
    if reading.kind == "roster" and reading.case and reading.method:
        return [LinkCandidate(reading.case, reading.method, ID_WHY[reading.method])]
    name = view.value("name")
    if reading.kind == "elsewhere" or not name:
        return []
    namesakes: list[tuple[RosterEntry, CaseNameRelation]] = [
        (entry, relation)
        for entry in book.sounding_like(name)
        for relation in (name_relation(name, entry.name, book.former_names[entry.id_number]),)
        if relation != "different"
    ]
    # A name read unsure where it differs from a person's needs a fact like any other name.
    heard = {entry.id_number for entry, _ in namesakes}
    namesakes += [(entry, "unsure") for entry in book.reconciling(name, view.doubt("name")) if entry.id_number not in heard]
    found = []
    for entry, relation in namesakes:
        known = evidence_of(entry.id_number)
        agreed = _corroboration(view, reading, entry.id_number, known, whole_document)
        if agreed is None and name_only and whole_document and len(namesakes) == 1 and relation == "same":
            agreed = _name_only(view, reading, entry.id_number, known)
        if agreed is not None:
            found.append(LinkCandidate(entry.id_number, agreed[0], f"{RELATION_ZH[relation]}，{agreed[1]}"))
    return found


def _name_only(view: DocumentFacts, reading: IdReading, case: str, known: Evidence) -> tuple[LinkMethod, str] | None:
    """The last resort of ID-06: a name that is exactly one roster person's and no one else's
    sound, on a document none of whose months contradicts what is known of that person, and
    that prints no ID number (or an unreadable one a slip from this person's). A document with an
    excluding reason links too: its exclusion flag is provisional until a reviewer confirms the
    link (cases/rules/provisional.py), and the case stops there rather than the exclusion being
    only listed aside (cases/exclusions.py) where it may go unseen."""
    if reading.kind != "none" and case not in reading.near:
        return None  # it prints a number, and not one that is a slip from this person's
    for field_name, months in (
        ("birth_date", known.birth), ("enlistment_date", known.enlistment), ("discharge_date", known.discharge)
    ):  # fmt: skip
        m = month_index(view.value(field_name))
        if m is not None and months and m not in months:
            return None
    return "name_only", "花名册中仅此一人姓名相符，其他事实无矛盾，但无佐证，待核实"


def _corroboration(
    view: DocumentFacts, reading: IdReading, case: str, known: Evidence, whole_document: bool
) -> tuple[LinkMethod, str] | None:
    """The strongest fact of the document that agrees with what the case vouches for."""
    birth = month_index(view.value("birth_date"))
    if birth is not None and known.birth and birth not in known.birth:
        return None  # the birth month contradicts this person
    if reading.near == (case,):
        return "name_near_id", "公民身份号码与花名册中唯一一人的号码仅差一位（或相邻两位颠倒）"
    if reading.kind == "legacy_elsewhere":
        return None
    if birth is not None and birth in known.birth:
        return "name_birth", f"出生年月与{known.birth[birth]}一致"
    for method, field_name, months, fact in (
        ("name_enlistment", "enlistment_date", known.enlistment, "入伍年月"),
        ("name_discharge", "discharge_date", known.discharge, "退伍年月"),
    ):
        m = month_index(view.value(field_name))
        if m is not None and m in months:
            return method, f"{fact}与{months[m]}一致"  # type: ignore[return-value]
    if not whole_document:
        return None
    if view.file is not None and view.file in known.files:
        return "name_same_file", f"与{known.files[view.file]}同属一个扫描文件"
    for field_name, unit_zh in SIGNED_UNIT_FIELDS.items():
        unit = view.value(field_name)
        for other, source in known.units:
            if unit and same_unit(unit, other):
                return "name_unit", f"{unit_zh}与{source}所载单位一致"
            if unit and unit_fragment_of(unit, other):
                return "name_unit", f"{unit_zh}“{unit}”为{source}所载单位“{other}”的一部分（印章或落款残缺）"
    return None
