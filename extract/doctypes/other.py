"""Any other paper (another agency's form, a commitment letter, an unknown kind of document):
only whom it is about — the name and the ID number by their labels, or a valid ID number
anywhere — so that it joins its veteran's case as a paper of his folder. Nothing else on it is
evidence."""
from __future__ import annotations

from extract.anchors import fields_from
from extract.document import DocText
from extract.doctypes.common import person_candidates

FIELDS = ("name", "id_number")


def extract(doc: DocText):
    cands = person_candidates(doc, with_birth=False)
    return fields_from({name: cands[name] for name in FIELDS})
