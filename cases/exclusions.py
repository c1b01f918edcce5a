"""Excluding documents that link to no case (issue #10): never just "unmatched".

A document that records an exclusion (its termination_reason is one of
core.types.DISQUALIFYING_REASONS: 自动离职, 除名, 开除, 判刑) and that the linker could not attach
to a case is listed as a possible exclusion (可能的排除情形) with the roster's closest candidates, so
that a person decides whose it is: an exclusion missed is a veteran processed wrongly.

Candidates are ranked by what the document carries, each fact weighed as far as it goes:

- name: `name_similarity` (characters and pinyin, rapidfuzz) against the roster name and its 曾用名
  (weight 0.55);
- birth month: the document's 出生日期, or the one encoded in its ID number, against the roster ID
  number's (+0.2 when equal, −0.2 when different);
- ID number: similarity of what was read (whole or a fragment) to the roster ID number
  (up to +0.2, when at least half of it agrees);
- unit: the document's employer / placement unit is one the case is known by, from the roster's
  unit columns or its linked documents (`same_unit`, +0.1);
- scan: the document was scanned in one file with documents linked to the case (+0.3): a page
  whose name was lost in a folder of one veteran's papers is most likely his.

Scores are for ranking (0..1); a candidate with nothing in common (score < MIN_SCORE) is left out.
"""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from core.types import DISQUALIFYING_REASONS
from extract.normalize.idnumbers import birth_date_from_id, clean_id
from extract.normalize.names import name_similarity
from extract.normalize.units import same_unit

from cases.facts import DocumentFacts
from cases.names import aliases
from cases.roster import RosterEntry

MIN_SCORE = 0.25
UNIT_FIELDS = ("employer", "placement_unit", "former_employer")
_NAME_WEIGHT, _BIRTH, _ID_WEIGHT, _UNIT, _FILE = 0.55, 0.2, 0.2, 0.1, 0.3


@dataclass(frozen=True)
class ExclusionCandidate:
    """A roster person an excluding document that linked to no case may belong to."""

    id_number: str
    name: str
    score: float  # 0..1, for ranking
    birth_date: str | None  # YYYY-MM-DD, from the roster ID number
    unit: str  # a unit the case is known by ("" when none)
    agrees: tuple[str, ...]  # what agrees, in words a clerk reads: 姓名相同, 出生年月一致, …

    def to_dict(self) -> dict:
        return {"id_number": self.id_number, "name": self.name, "score": self.score}


def excluding_reason(doc: DocumentFacts) -> str | None:
    """The document's exclusion reason code, when it records one."""
    reason = doc.value("termination_reason")
    return reason if reason in DISQUALIFYING_REASONS else None


def roster_units(entry: RosterEntry) -> tuple[str, ...]:
    """Units a roster row names (columns such as 工作单位, 安置单位)."""
    return tuple(v for k, v in entry.attributes.items() if "单位" in k and str(v).strip())


def rank_candidates(
    doc: DocumentFacts,
    roster: list[RosterEntry],
    known_units: dict[str, tuple[str, ...]] | None = None,
    limit: int = 3,
    known_files: dict[str, frozenset[str]] | None = None,
) -> list[ExclusionCandidate]:
    """The roster entries this document most likely belongs to, best first.
    known_units / known_files: per roster ID number, units named on the case's linked documents
    and the scanned files those documents came from."""
    known_units, known_files = known_units or {}, known_files or {}
    scored = [
        _score(doc, entry, roster_units(entry) + tuple(known_units.get(entry.id_number, ())),
               doc.file is not None and doc.file in known_files.get(entry.id_number, ()))
        for entry in roster
    ]
    scored = [c for c in scored if c.score >= MIN_SCORE]
    scored.sort(key=lambda c: (-c.score, c.id_number))
    return scored[:limit]


def _doc_birth_month(doc: DocumentFacts) -> str | None:
    born = doc.value("birth_date")
    if born and len(born) >= 7:
        return born[:7]
    from_id = birth_date_from_id(doc.value("id_number"))
    return from_id[:7] if from_id else None


def _id_similarity(read: str, number: str) -> float:
    if len(read) < 6:
        return 0.0
    if len(read) < len(number) - 2:  # a fragment: where it fits best
        return fuzz.partial_ratio(read, number) / 100
    return Levenshtein.normalized_similarity(read, number)


def _score(doc: DocumentFacts, entry: RosterEntry, units: tuple[str, ...], same_file: bool = False) -> ExclusionCandidate:
    agrees: list[str] = []
    score = 0.0
    doc_name = doc.value("name")
    if doc_name:
        similarity = max([name_similarity(doc_name, entry.name)] + [name_similarity(doc_name, a) for a in aliases(entry.attributes)])
        score += _NAME_WEIGHT * similarity
        if similarity >= 0.95:
            agrees.append("姓名相同" if similarity == 1.0 else "姓名同音")
        elif similarity >= 0.5:
            agrees.append("姓名相近")
    roster_birth = birth_date_from_id(entry.id_number)
    doc_birth = _doc_birth_month(doc)
    if doc_birth and roster_birth:
        if doc_birth == roster_birth[:7]:
            score += _BIRTH
            agrees.append("出生年月一致")
        else:
            score -= _BIRTH
    read = clean_id(doc.value("id_number"))
    if read:
        similarity = _id_similarity(read, entry.id_number)
        if similarity >= 0.5:
            score += _ID_WEIGHT * similarity
            agrees.append("身份证号相同" if read == entry.id_number else "身份证号部分相同")
    doc_units = [u for u in map(doc.value, UNIT_FIELDS) if u]
    shared = next((u for u in units if any(same_unit(u, d) for d in doc_units)), None)
    if shared:
        score += _UNIT
        agrees.append("单位一致")
    if same_file:
        score += _FILE
        agrees.append("与本人材料同属一个扫描文件")
    return ExclusionCandidate(
        id_number=entry.id_number,
        name=entry.name,
        score=round(max(0.0, min(1.0, score)), 3),
        birth_date=roster_birth,
        unit=shared or (units[0] if units else ""),
        agrees=tuple(agrees),
    )
