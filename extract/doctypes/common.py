"""Candidate sources shared by several document types."""
from __future__ import annotations

from extract.anchors import Candidate, from_labels
from extract.document import DocText
from extract.normalize.idnumbers import find_id_numbers
from extract.normalize.reasons import classify_reason
from extract.prose import candidate_at
from extract.values import Parsed, parse_date_value, parse_gender, parse_id, parse_name

ANYWHERE = 0.7  # an ID number found without a label


def id_candidates(doc: DocText) -> list[Candidate]:
    """Labelled ID numbers (invalid ones too, as read), plus any valid ID number elsewhere in
    the text at a lower confidence."""
    out = from_labels(doc, "id_number", ("id_number",), parse_id)
    for ident in find_id_numbers(doc.joined):
        if not ident.valid:
            continue  # an unlabelled invalid number may be anything (account, serial): skip it
        factor = 0.6 if ident.repaired else 1.0
        out.append(candidate_at(doc, "id_number", ident.value, ident.start, ident.end, ANYWHERE * factor))
    return out


def person_candidates(doc: DocText, with_birth: bool = True) -> dict[str, list[Candidate]]:
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
