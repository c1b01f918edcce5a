"""The last resorts for a page whose name was not read (cases/link.py step 4): its scan, its near
ID number or its birth and service facts single out one roster person. Each link awaits a
reviewer (corroborate.AWAITING_REVIEW) and lends no fact to other documents' corroboration; the
table of every corroboration is in cases/corroborate.py."""
from __future__ import annotations

from core.types import DISQUALIFYING_REASONS
from extract.normalize.units import same_unit

from cases.corroborate import UNIT_FIELDS, Evidence, EvidenceOf, IdReading, LinkMethod, RosterBook
from cases.facts import DocumentFacts, month_index


def file_only(view: DocumentFacts, reading: IdReading, case: str, known: Evidence) -> tuple[LinkMethod, str] | None:
    """The last resort for a page whose name was not read (a worn booklet page, a stamp over the
    name) in a file of one person's papers (link.py checks the file is no one else's): it prints
    no number or one a slip from theirs, and at least one of its months or units agrees with the
    person's while no month contradicts. An excluding page links too: in his own folder it is most
    likely his, and its exclusion flag, provisional until a reviewer confirms the link
    (cases/rules/provisional.py), stops the case — an exclusion only listed aside may go unseen."""
    if view.file is None or view.file not in known.files:
        return None
    if not (reading.kind == "none" or case in reading.near):
        return None
    # in one person's file, the unit of his letters and certificates is his (not so across files)
    agreed = _agreeing_facts(view, known)
    if not agreed:
        return None
    return "file_only", f"未识别出姓名，与{known.files[view.file]}同属一个扫描文件，{'、'.join(agreed)}一致，待核实"


def near_id_only(view: DocumentFacts, reading: IdReading, case: str, known: Evidence) -> tuple[LinkMethod, str] | None:
    """The last resort for a page whose name was not read, in any scan: the number it prints is
    unusable (it fails the checksum, or is a 15-digit one not on the roster) and one slip from
    this person's roster ID and no one else's — seventeen of eighteen characters are region, birth
    date and sequence — and at least one of its months or units agrees with the person's papers
    while no month contradicts. An excluding page links too, its flag provisional as file_only's."""
    if reading.near != (case,):
        return None
    agreed = _agreeing_facts(view, known)
    if not agreed:
        return None
    why = f"未识别出姓名，公民身份号码与花名册中唯一一人的号码仅差一位（或相邻两位颠倒），{'、'.join(agreed)}一致，待核实"
    return "near_id_only", why


def _agreeing_facts(view: DocumentFacts, known: Evidence) -> list[str] | None:
    """The months and units of the page that agree with the person's papers; None when one of
    its months contradicts them."""
    agreed = []
    for field_name, months, fact in (
        ("birth_date", known.birth, "出生年月"), ("enlistment_date", known.enlistment, "入伍年月"),
        ("discharge_date", known.discharge, "退伍年月"),
    ):  # fmt: skip
        m = month_index(view.value(field_name))
        if m is not None and months and m not in months:
            return None
        if m is not None and m in months:
            agreed.append(fact)
    agreed += [
        unit_zh for field_name, unit_zh in UNIT_FIELDS.items()
        if view.value(field_name) and any(same_unit(view.value(field_name) or "", other) for other, _ in known.units)
    ]
    return agreed


# What a page without name or number must show to be one person's: besides the birth month,
# at least this many of enlistment month, discharge month and military unit code.
FACTS_ONLY_MIN = 2


def facts_only(
    view: DocumentFacts, reading: IdReading, book: RosterBook, evidence_of: EvidenceOf
) -> tuple[str, LinkMethod, str] | None:
    """The last resort for a page with neither name nor number (a faded enlistment form): the one
    roster person born in its birth month (as the roster ID says) whose papers agree with at least
    FACTS_ONLY_MIN of its enlistment month, discharge month and unit code, while no other person
    born that month stays possible (nothing of theirs contradicts it). Never an excluding page."""
    birth = month_index(view.value("birth_date"))
    if reading.kind != "none" or birth is None or view.value("termination_reason") in DISQUALIFYING_REASONS:
        return None
    stated = {
        "入伍年月": month_index(view.value("enlistment_date")),
        "退伍年月": month_index(view.value("discharge_date")),
        "部队番号": view.value("service_unit"),
    }
    stated = {fact: value for fact, value in stated.items() if value is not None}
    if len(stated) < FACTS_ONLY_MIN:
        return None
    possible = []
    for entry in book.born_in(birth):
        known = evidence_of(entry.id_number)
        found = {"入伍年月": known.enlistment, "退伍年月": known.discharge, "部队番号": known.service_units}
        if any(found[fact] and value not in found[fact] for fact, value in stated.items()):
            continue  # something of his contradicts the page
        possible.append((entry.id_number, [fact for fact, value in stated.items() if value in found[fact]]))
    if len(possible) != 1 or len(possible[0][1]) < FACTS_ONLY_MIN:
        return None
    case, agreed = possible[0]
    why = f"未识别出姓名和公民身份号码，出生年月及{'、'.join(agreed)}与花名册中唯一可能的人员一致，待核实"
    return case, "facts_only", why
