"""Candidate sources shared by several document types."""
from __future__ import annotations

from extract.anchors import FieldCandidate, from_labels
from extract.document import DocText
from extract.normalize.idnumbers import find_id_numbers
from extract.normalize.reasons import classify_reason
from extract.normalize.units import UNIT_CODE
from extract.prose import candidate_at, dates_in_context
from extract.values import Parsed, parse_date_value, parse_gender, parse_id, parse_name

# When the veteran reported to / started at the unit (before the date, after it, rule): the
# 回执 "已于 1997 年 10 月 6 日来我单位报到", "你于1997年10月6日进入本单位工作", a unit 证明's
# "1997年10月报到上岗", a decision's "1998年3月经县退伍军人安置办公室介绍来公司工作".
_UNIT = r"(?:单\s*位|公\s*司|厂|处|局|站|社|场)"
REPORT_CONTEXTS = (
    (r"(?:已|于)\s*", rf"\s*(?:来|到|至|进\s*入)\s*(?:我|本|你|贵|该)\s*{_UNIT}?\s*(?:报\s*到|工\s*作|上\s*岗)", 0.9),
    (None, r"\s*(?:正\s*式\s*)?(?:报\s*到|上\s*岗|到\s*岗|入\s*职|参\s*加\s*工\s*作)", 0.85),
    (None, rf"\s*(?:经|由)[^,，。;；\n]{{0,20}}?(?:介\s*绍|安\s*置|分\s*配)\s*(?:来|到|进\s*入)\s*(?:我|本|该)?\s*{_UNIT}\s*工\s*作", 0.75),
)

ANYWHERE = 0.7  # an ID number or unit code found without a label


def id_candidates(doc: DocText) -> list[FieldCandidate]:
    """Labelled ID numbers (invalid ones too, as read: an unsure digit is never replaced to pass
    the checksum, which a clerk's slip read faithfully fails as well), plus any valid ID number
    elsewhere in the text at a lower confidence."""
    out = from_labels(doc, "id_number", ("id_number",), parse_id)
    for ident in find_id_numbers(doc.joined):
        if not ident.valid:
            continue  # an unlabelled invalid number may be anything (account, serial): skip it
        factor = 0.6 if ident.repaired else 1.0
        out.append(candidate_at(doc, "id_number", ident.value, ident.start, ident.end, ANYWHERE * factor))
    return out


def unit_code_candidates(doc: DocText) -> list[FieldCandidate]:
    """A military unit code (05318部队) anywhere in the text, when the document names only one:
    a unit code is its own label, whatever words a form prints beside it (接兵单位, 所去部队)."""
    found = [(m, f"{m.group(1)}部队") for m in UNIT_CODE.finditer(doc.joined)]
    if len({value for _, value in found}) != 1:
        return []
    return [candidate_at(doc, "service_unit", value, m.start(), m.end(), ANYWHERE) for m, value in found]


def person_candidates(doc: DocText, with_birth: bool = True) -> dict[str, list[FieldCandidate]]:
    """name, gender, birth_date (optional) and id_number from their labels."""
    cands = {
        "name": from_labels(doc, "name", ("name",), parse_name),
        "gender": from_labels(doc, "gender", ("gender",), parse_gender),
        "id_number": id_candidates(doc),
    }
    if with_birth:
        cands["birth_date"] = from_labels(doc, "birth_date", ("birth",), parse_date_value)
    return cands


def parse_reason(text: str) -> Parsed | None:
    reason = classify_reason(text)
    return Parsed(reason, 0, len(text.rstrip())) if reason else None


def gender_word(text: str) -> str | None:
    return {"男": "male", "女": "female"}.get(text.strip())


def report_date_candidates(doc: DocText) -> list[FieldCandidate]:
    """The reporting / starting date: a 报到时间 label or REPORT_CONTEXTS wording."""
    out = from_labels(doc, "report_date", ("report_date",), parse_date_value)
    for before, after, rule in REPORT_CONTEXTS:
        out += dates_in_context(doc, "report_date", before, after, rule)
    return out
