"""Placement: 安置介绍信 / 安排工作介绍信 (letter) and its 存根 (stub).

- name: 姓名 label (stub) or "兹介绍退伍军人 周立新 同志" (letter);
- placement_unit: the letter's addressee line "青河县化肥厂：" above the body, or 前往单位 (stub);
- placement_date: the letter's own date at the bottom (never the 入伍/退伍 dates in the body,
  never the 回执 date), or 开具日期 (stub);
- id_number: only when printed (post-2018 letters);
- gender, enlistment_date, discharge_date: when the body states them —
  "方新同志（男，1989年11月入伍，1992年12月退伍）", also in Chinese numerals
  (一九八四年十二月入伍) and with the date wrapped over a line end.
"""
from __future__ import annotations

import re

from extract.anchors import fields_from, from_labels
from extract.document import DocText
from extract.doctypes.common import id_candidates
from extract.prose import (
    CATEGORY,
    NAME,
    addressee_unit,
    closing_date,
    dates_in_context,
    gender_candidates,
    name_candidates,
)
from extract.values import parse_date_value, parse_name, parse_unit

FIELDS = ("name", "id_number", "gender", "enlistment_date", "discharge_date", "placement_unit", "placement_date")

NAME_PATTERNS = (
    (re.compile(rf"兹\s*(?:介\s*绍|有)\s*(?:{CATEGORY}\s*)?(?P<v>{NAME})\s*同\s*志"), 0.95),
    (re.compile(rf"兹\s*(?:介\s*绍|有)[^,，。]{{0,10}}?(?P<v>{NAME})\s*同\s*志"), 0.8),
)
# A date wrapped at a line end continues on the next line of the letter; on a sheet with the
# stub beside the letter, a short stub line ("前往单位：青河县化肥厂") may come in between.
_NEXT = r"\s*(?:\n[^\n]{1,16}?\s)?\s*"
# (field, text after the date, rule): the service dates in the letter body.
SERVICE_DATES = (
    ("enlistment_date", _NEXT + r"(?:应\s*征\s*)?入\s*伍", 0.85),
    ("discharge_date", _NEXT + r"(?:退\s*伍|退\s*役|复\s*员|退\s*出\s*现\s*役)", 0.85),
)


def extract(doc: DocText):
    names = from_labels(doc, "name", ("name",), parse_name)
    for pattern, rule in NAME_PATTERNS:
        names += name_candidates(doc, "name", pattern, rule)
    units = addressee_unit(doc, "placement_unit", 0.95)
    units += from_labels(doc, "placement_unit", ("dest_unit",), parse_unit)
    dates = from_labels(doc, "placement_date", ("open_date",), parse_date_value, base=0.9)
    closing = closing_date(doc, "placement_date", 0.95)
    if closing:
        dates.append(closing[0])
    cands = {
        "name": names,
        "id_number": id_candidates(doc),
        "gender": gender_candidates(doc),
        "placement_unit": units,
        "placement_date": dates,
    }
    for field, after, rule in SERVICE_DATES:
        cands[field] = dates_in_context(doc, field, None, after, rule)
    return fields_from(cands)
