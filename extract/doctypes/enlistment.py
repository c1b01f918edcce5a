"""Enlistment: 应征公民入伍登记表 (table), 入伍批准书 (certificate), 入伍通知书 (letter).

enlistment_date, best first:
- a 批准入伍时间 / 入伍时间 label (0.95);
- prose "批准你于一九九三年十二月五日应征入伍", "经批准已于1993年12月5日应征入伍" (0.9);
- on a 登记表 without such a field, the date of the 县征兵办公室 approval block (0.8).
service_unit: 接兵部队 / 批准入伍部队 label, or prose "到 05318 部队服现役".
name: label; "你的儿子 周立新 同志" (the notice is addressed to a parent: its "周长海 同志："
addressee is NOT the recruit); "周立新 同志，男，…" at a line start (批准书).
"""
from __future__ import annotations

import re

from extract import layout
from extract.anchors import FieldCandidate, fields_from, from_labels
from extract.document import DocText
from extract.doctypes.common import gender_word, person_candidates, unit_code_candidates
from extract.normalize.dates import find_dates
from extract.normalize.units import service_unit
from extract.prose import NAME, dates_in_context, name_candidates, regex_candidates, subject_names
from extract.values import parse_date_value, parse_service_unit

FIELDS = ("name", "gender", "birth_date", "id_number", "enlistment_date", "service_unit")

NAME_PATTERNS = (
    # 于 for a worn 子 is the OCR's commonest slip here (你的儿于孔强东同志)
    (re.compile(rf"(?:儿\s*[子于]|女\s*儿|之\s*[子女]|子\s*女)\s*(?P<v>{NAME})\s*同\s*志"), 0.9),
)
GENDER_PATTERN = re.compile(r"同\s*志\s*[,，(]\s*(?P<v>[男女])\s*[,，)]")
# (before the date, after the date, rule confidence)
ENLIST_CONTEXTS = (
    (r"(?:批准你?|批准其|经批准已?|经批准,?)\s*于\s*", r"\s*(?:应征)?\s*入\s*伍", 0.9),
    (r"(?:已|于)\s*", r"\s*(?:应征)?\s*入\s*伍", 0.8),
)
UNIT_PATTERN = re.compile(r"(?:到|赴)\s*(?P<v>\d{5}\s*部\s*队?)|(?P<w>\d{5}\s*部\s*队?)\s*服\s*(?:现\s*)?役")
APPROVAL_TEXT = re.compile(r"批\s*准\s*入\s*伍(?!\s*(?:时间|日期|部队|意见))")
APPROVAL = 0.8


def approval_dates(doc: DocText) -> list[FieldCandidate]:
    """The date in the 县征兵办公室意见 block: on the anchor's line after it, or in the lines to
    its right/below before the next labelled row (接兵部队)."""
    anchors = [(tl, tl.label_box(h), h.end) for tl, h in doc.hits("approval")]
    anchors += [(tl, tl.bbox, m.end()) for tl in doc.lines for m in [APPROVAL_TEXT.search(tl.text)] if m]
    out = []
    for tl, box, after in anchors:
        h = layout.height(tl.bbox)
        page = doc.on_page(tl.page)
        stops = [
            o.bbox[1]
            for o in page
            if o.bbox[1] > tl.bbox[1] + 0.5 * h and o.starts_with_label() and o.hits[0].key != "approval"
            and o.bbox[0] <= box[2]
        ]
        limit = min(stops + [tl.bbox[3] + 3 * h])
        region = [
            o
            for o in page
            if o is not tl and tl.bbox[1] - 0.3 * h <= o.bbox[1] < limit and o.bbox[2] > box[0]
        ]
        texts = [(tl, after)] + [(o, 0) for o in sorted(region, key=lambda o: (o.bbox[1], o.bbox[0]))]
        for o, start in texts:
            if o is not tl and o.hits:
                continue  # a labelled line (another field) is not the approval's date
            dates = [d for d in find_dates(o.text) if d.start >= start]
            if dates:
                d = dates[0]
                raw = o.raw(d.start, d.end)
                out.append(FieldCandidate("enlistment_date", d.value, raw, APPROVAL, o.conf, o.page, o.src_bbox, o.order))
                break
    return out


def extract(doc: DocText):
    cands = person_candidates(doc)
    for pattern, rule in NAME_PATTERNS:
        cands["name"] += name_candidates(doc, "name", pattern, rule)
    cands["name"] += subject_names(doc)
    cands["gender"] += regex_candidates(doc, "gender", GENDER_PATTERN, gender_word, 0.85)
    cands["birth_date"] += dates_in_context(doc, "birth_date", None, r"\s*出\s*生", 0.85)

    enlist = from_labels(doc, "enlistment_date", ("enlist_date",), parse_date_value)
    for before, after, rule in ENLIST_CONTEXTS:
        enlist += dates_in_context(doc, "enlistment_date", before, after, rule)
    # the approval block's date only where the form gives no enlistment date of its own: on a
    # 批准书 it is the day of signing, under a 入伍时间 printed beside or below its caption
    cands["enlistment_date"] = enlist or approval_dates(doc)

    units = from_labels(doc, "service_unit", ("recruit_unit", "service_unit"), parse_service_unit)
    units += regex_candidates(doc, "service_unit", UNIT_PATTERN, service_unit, 0.9)
    units += regex_candidates(doc, "service_unit", UNIT_PATTERN, service_unit, 0.9, group="w")
    cands["service_unit"] = units + unit_code_candidates(doc)
    return fields_from(cands)
