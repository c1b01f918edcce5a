"""Discharge: 义务兵/士官退出现役登记表 (table) and 退伍证 (booklet page).

Everything is labelled: 入伍时间; 退出现役时间 / 退伍时间 / 退役时间 (a table cell split as
"退出现役" + "时间" on the next row is matched by the weak label 退出现役, whose value must
parse as a date — the 退出现役原因 row does not); 部别 / 原部队 → service_unit without sub-units.
"""
from __future__ import annotations

from extract.anchors import fields_from, from_labels
from extract.document import DocText
from extract.doctypes.common import person_candidates
from extract.values import parse_date_value, parse_service_unit

FIELDS = ("name", "gender", "birth_date", "id_number", "enlistment_date", "discharge_date", "service_unit")


def extract(doc: DocText):
    cands = person_candidates(doc)
    cands["enlistment_date"] = from_labels(doc, "enlistment_date", ("enlist_date",), parse_date_value)
    cands["discharge_date"] = from_labels(doc, "discharge_date", ("discharge_date",), parse_date_value)
    cands["service_unit"] = from_labels(doc, "service_unit", ("service_unit",), parse_service_unit)
    return fields_from(cands)
