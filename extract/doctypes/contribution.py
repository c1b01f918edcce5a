"""参保缴费明细 / 参保证明: 姓名, 公民身份号码 (or 社会保障号码) from the header block; employer
from the 单位名称 column of the period rows — the most frequent unit (first seen on ties).
The issuing 社会保险事业管理局 above the header is not a row and is never counted."""
from __future__ import annotations

from collections import Counter

from extract.anchors import FieldCandidate, fields_from, from_labels
from extract.document import DocText, TLine
from extract.doctypes.common import id_candidates
from extract.prose import subject_names
from extract.labels import UNIT_SUFFIXES
from extract.normalize.text import is_han
from extract.normalize.units import normalize_unit
from extract.values import parse_name, parse_unit

FIELDS = ("name", "id_number", "employer")
COLUMN_VOTE = 0.9


def _units(tl: TLine) -> list[tuple[str, int, int]]:
    out = []
    pos = 0
    for token in tl.text.split():
        s = tl.text.index(token, pos)
        pos = s + len(token)
        value = normalize_unit(token)
        if value.endswith(UNIT_SUFFIXES) and sum(is_han(c) for c in value) >= 3 and not tl.hits:
            out.append((value, s, pos))
    return out


def column_employer(doc: DocText) -> list[FieldCandidate]:
    out = []
    for tl, hit in doc.hits("employer"):
        s, e = tl.value_span(hit)
        if tl.text[s:e].strip():
            continue  # "单位名称：XXX" is a labelled value, not a column header
        rows = doc.below(tl, tl.label_box(hit), max_lines=60)
        seen: list[tuple[str, TLine, int, int]] = []
        for row in rows:
            seen += [(v, row, a, b) for v, a, b in _units(row)]
        if not seen:
            continue
        counts = Counter(v for v, *_ in seen)
        best = max(counts, key=lambda v: (counts[v], -[x[0] for x in seen].index(v)))
        v, row, a, b = next(x for x in seen if x[0] == best)
        out.append(FieldCandidate("employer", v, row.raw(a, b), COLUMN_VOTE, row.conf, row.page, row.src_bbox, row.order))
    return out


def extract(doc: DocText):
    employers = from_labels(doc, "employer", ("employer",), parse_unit) + column_employer(doc)
    return fields_from(
        {
            "name": from_labels(doc, "name", ("name",), parse_name) + subject_names(doc),
            "id_number": id_candidates(doc),
            "employer": employers,
        }
    )
