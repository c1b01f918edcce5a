"""Discharge: 义务兵/士官退出现役登记表 (table) and 退伍证 (booklet page).

Everything is labelled: 入伍时间; 退出现役时间 / 退伍时间 / 退役时间 (a table cell split as
"退出现役" + "时间" on the next row is matched by the weak label 退出现役, whose value must
parse as a date — the 退出现役原因 row does not); 部别 / 原部队 → service_unit without sub-units; 服役年限 / 兵龄 / 军龄 → stated_service as stated
(叁年 → P3Y, 5年9个月 → P5Y9M, 69个月 → P69M); 安置方式 / 安置地及安置方式 → placement_method (the
place before the method is skipped: "临江省青河县 安排工作" → arranged_job; a cell split as
"安置地及" + "安置方式" on the next row is matched by its first half, whose value must name a method).

A service date whose Chinese year lost a digit ("一九一年十二月": 1901? 1911? … 1991?) is completed
when exactly one candidate year fits the person's other dates (SERVICE_SPAN): enlisted at 15 or
older and before the discharge; discharged after the enlistment, within the span.
"""
from __future__ import annotations

from functools import partial

from extract.anchors import FieldCandidate, fields_from, from_labels, pick
from extract.document import DocText
from extract.doctypes.common import person_candidates
from extract.values import parse_date_value, parse_placement_method, parse_service_length, parse_service_unit

FIELDS = (
    "name", "gender", "birth_date", "id_number", "enlistment_date", "discharge_date", "service_unit",
    "stated_service", "placement_method",
)

MIN_ENLIST_AGE = 15
SERVICE_SPAN = 30  # years from enlistment to discharge, at most


def _year(cands: list[FieldCandidate]) -> int | None:
    best = pick(cands)
    return int(best.value[:4]) if best else None


def _between(lo: int | None, hi: int | None) -> tuple[int, ...]:
    return tuple(range(lo, hi + 1)) if lo is not None and hi is not None and lo <= hi else ()


def extract(doc: DocText):
    cands = person_candidates(doc)
    enlist = from_labels(doc, "enlistment_date", ("enlist_date",), parse_date_value)
    discharge = from_labels(doc, "discharge_date", ("discharge_date",), parse_date_value)
    birth = _year(cands["birth_date"])
    if not enlist and birth is not None:
        years = _between(birth + MIN_ENLIST_AGE, _year(discharge) or birth + MIN_ENLIST_AGE + SERVICE_SPAN)
        enlist = from_labels(doc, "enlistment_date", ("enlist_date",), partial(parse_date_value, years=years))
    if not discharge and enlist:
        start = _year(enlist)
        parser = partial(parse_date_value, years=_between(start, start + SERVICE_SPAN))
        discharge = from_labels(doc, "discharge_date", ("discharge_date",), parser)
    cands["enlistment_date"] = enlist
    cands["discharge_date"] = discharge
    cands["service_unit"] = from_labels(doc, "service_unit", ("service_unit",), parse_service_unit)
    cands["stated_service"] = from_labels(doc, "stated_service", ("stated_service",), parse_service_length)
    cands["placement_method"] = from_labels(doc, "placement_method", ("placement_method",), parse_placement_method)
    return fields_from(cands)
