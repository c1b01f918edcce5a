"""Any other paper (another agency's form, a commitment letter, an unknown kind of document):
only whom it is about — the name and the ID number by their labels, or a valid ID number
anywhere — so that it joins its veteran's case as a paper of his folder. Nothing else on it is
evidence."""
from __future__ import annotations

from extract import layout
from extract.anchors import FieldCandidate, fields_from, pick
from extract.document import DocText
from extract.doctypes.common import person_candidates
from extract.prose import subject_names
from extract.values import parse_name

FIELDS = ("name", "id_number")
# An unlabelled name cell on the ID number's row: the row vouches for it, a label would more.
ROW_NAME = 0.9


def extract(doc: DocText):
    cands = person_candidates(doc, with_birth=False)
    cands["name"] += subject_names(doc)
    ident = pick(cands["id_number"])
    paired = _name_on_the_id_row(doc, ident, pick(cands["name"]))
    if paired is not None:
        cands["name"] = [paired]
    elif ident is not None and not _aligned(doc, pick(cands["name"]), ident):
        # a form of two persons side by side (男方 | 女方): the name in the number's column
        cands["name"] = [c for c in cands["name"] if _aligned(doc, c, ident)] or cands["name"]
    return fields_from({name: cands[name] for name in FIELDS})


def _aligned(doc: DocText, name: FieldCandidate | None, ident: FieldCandidate) -> bool:
    """The name stands on the ID number's row or in its column."""
    if name is None or name.page != ident.page:
        return False
    a, b = doc.lines[name.order].bbox, doc.lines[ident.order].bbox
    return layout.same_row(a, b) or layout.h_overlap(a, b) >= 0.5


def _name_on_the_id_row(doc: DocText, ident: FieldCandidate | None, name: FieldCandidate | None) -> FieldCandidate | None:
    """Another agency's form often names two persons (the applicant, and the veteran as the
    agent who brings it): the ID number and the name must be one person's. When the labelled
    name is not on the ID number's row and a name cell left of the number is, that one."""
    if ident is None:
        return None
    id_line = doc.lines[ident.order]
    if name is not None and layout.same_row(doc.lines[name.order].bbox, id_line.bbox):
        return None
    for tl in doc.lines:
        if tl.page != id_line.page or tl is id_line or tl.hits or tl.bbox[2] > id_line.bbox[0]:
            continue
        parsed = parse_name(tl.text)
        if parsed is None or parsed.conf < 1.0 or not layout.same_row(tl.bbox, id_line.bbox):
            continue
        if name is not None and parsed.value == name.value:
            return None
        return FieldCandidate("name", parsed.value, tl.raw(parsed.start, parsed.end), ROW_NAME, tl.conf, tl.page,
                         tl.src_bbox, tl.order)
    return None
