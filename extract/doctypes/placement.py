"""Placement: 安置介绍信 / 安排工作介绍信 (letter) and its 存根 (stub), alone or on one sheet.

- name: 姓名 label (stub) or "兹介绍退伍军人 周立新 同志" (letter);
- placement_unit: the letter's addressee line "青河县化肥厂：" above the body, or 前往单位 (stub);
- placement_date: the letter's own date at the bottom (never the 入伍/退伍 dates in the body,
  never the 回执 date), or 开具日期 (stub);
- id_number: only when printed (post-2018 letters);
- gender, enlistment_date, discharge_date: when the body states them —
  "方新同志（男，1989年11月入伍，1992年12月退伍）", also in Chinese numerals
  (一九八四年十二月入伍) and with the date wrapped over a line end.
- placement_form: "stub" (a 存根 title, or the stub's labelled lines 前往单位/开具日期/事由/人数
  without a letter body), "letter" (a 兹介绍/兹有 body or an addressee line, no stub),
  "letter_with_stub" (both halves); its box is the stub's title (or first labelled line) when
  there is a stub, else the letter's title (or body line);
- stub_placement_date / stub_placement_unit: the stub half's 开具日期 / 前往单位, on a
  letter_with_stub sheet only; placement_date / placement_unit then come from the letter half
  (the stub's labels rank below the addressee line and the closing date);
- letter_serial: (97)青安字第056号, 青退役安〔2019〕第012号 (NFKC, no spaces, the year's square
  brackets as 〔〕: normalize.text.serial); with both halves
  printing it, the letter's — the last serial read before the letter's addressee/body;
- report_date: the 回执 "周立新 同志已于 1997 年 10 月 6 日来我单位报到" (a blank receipt gives
  nothing), or a 报到时间 label; never the letter's date nor its "（限十五日内报到）";
- issuer: the unit signing the letter (not the 回执's receiving unit), see prose.issuer_candidates.
"""
from __future__ import annotations

import re

from extract.anchors import FieldCandidate, fields_from, from_labels, pick
from extract.document import DocText, TLine
from extract.doctypes.common import id_candidates, report_date_candidates
from extract.normalize.text import HAN, serial, squeeze
from extract.prose import (
    CATEGORY,
    LINE_WRAP,
    NAME,
    addressee_unit,
    closing_date,
    dates_in_context,
    gender_candidates,
    issuer_candidates,
    name_candidates,
    receipt_orders,
    subject_names,
)
from extract.values import parse_date_value, parse_name, parse_unit

FIELDS = (
    "name", "id_number", "gender", "enlistment_date", "discharge_date", "placement_unit", "placement_date",
    "letter_serial", "placement_form", "stub_placement_date", "stub_placement_unit", "report_date", "issuer",
)

NAME_PATTERNS = (
    (re.compile(rf"兹\s*(?:介\s*绍|有)\s*(?:{CATEGORY}\s*)?(?P<v>{NAME})\s*同\s*志"), 0.95),
    (re.compile(rf"兹\s*(?:介\s*绍|有)[^,，。]{{0,10}}?(?P<v>{NAME})\s*同\s*志"), 0.8),
)
# (field, text after the date, rule): the service dates in the letter body.
SERVICE_DATES = (
    ("enlistment_date", LINE_WRAP + r"(?:应\s*征\s*)?入\s*伍", 0.85),
    ("discharge_date", LINE_WRAP + r"(?:退\s*伍|退\s*役|复\s*员|退\s*出\s*现\s*役)", 0.85),
)
# Serial numbers (NFKC text): (97)青安字第056号, 青退役安〔2019〕第012号, 梅民安字〔2001〕第142号, No.0021567
SERIAL = re.compile(
    rf"(?:[{HAN}]{{1,8}}\s*)?[〔\[【(]\s*(?:\d{{2}}|\d{{4}})\s*[〕\]】)]\s*(?:[{HAN}]{{1,8}}?\s*)?第\s*\d{{1,5}}\s*号"
    r"|\bNo\.?\s*\d{4,}"
)
# The letter half: its body, or a 介绍信 title (without 存根).
LETTER_BODY = re.compile(r"兹\s*(?:介\s*绍|有)|(?:前\s*往|到)\s*(?:你|贵)\s*(?:单\s*位|处)")
LETTER_TITLE = re.compile(rf"^[{HAN}]{{0,12}}介绍信$")
STUB_TITLE = re.compile(rf"^[{HAN}]{{0,14}}存根$")
# The stub's labelled lines: two of these without a letter body make a stub.
STUB_LABELS = ("dest_unit", "open_date")
STUB_WORDS = ("事由", "人数")
LETTER_SIDE_STUB = 0.85  # rule base of the stub's labels when the letter half is present
FORM_RULE = 0.9


def _title_text(tl: TLine) -> str:
    return re.sub(r"[()\[\]【】〔〕]", "", squeeze(tl.text))


def _stub_lines(doc: DocText, receipt: set[int]) -> tuple[TLine | None, list[TLine]]:
    """The stub's title line (or None) and its labelled lines, outside a 回执."""
    title = next((tl for tl in doc.lines if tl.order not in receipt and STUB_TITLE.match(_title_text(tl))), None)
    labelled = [
        tl for tl in doc.lines
        if tl.order not in receipt and any(h.key in STUB_LABELS or h.label in STUB_WORDS for h in tl.hits)
    ]
    return title, labelled


def _letter_lines(doc: DocText, receipt: set[int]) -> tuple[TLine | None, TLine | None]:
    """The letter's title line and its first body (or addressee) line, outside a 回执."""
    title = next((tl for tl in doc.lines if tl.order not in receipt and LETTER_TITLE.match(_title_text(tl))), None)
    body = None
    for m in LETTER_BODY.finditer(doc.joined):
        tl, _ = doc.locate(m.start())
        if tl.order not in receipt:
            body = tl
            break
    if body is None:
        body = next((doc.lines[c.order] for c in addressee_unit(doc, "placement_unit")), None)
    return title, body


def form_candidates(doc: DocText) -> tuple[list[FieldCandidate], bool, bool]:
    """placement_form, and whether the letter half / the stub half is present."""
    receipt = receipt_orders(doc)
    stub_title, stub_labelled = _stub_lines(doc, receipt)
    letter_title, body = _letter_lines(doc, receipt)
    has_letter = body is not None
    labels_seen = {
        h.key if h.key in STUB_LABELS else h.label for tl in stub_labelled for h in tl.hits
        if h.key in STUB_LABELS or h.label in STUB_WORDS
    }
    has_stub = stub_title is not None or len(labels_seen) >= 2
    if has_stub:
        form, line = ("letter_with_stub" if has_letter else "stub"), stub_title or stub_labelled[0]
    elif has_letter:
        form, line = "letter", letter_title or body
    else:
        return [], False, False
    cand = FieldCandidate("placement_form", form, line.line.text, FORM_RULE, line.conf, line.page, line.src_bbox, line.order)
    return [cand], has_letter, has_stub


def _reading_key(tl: TLine) -> tuple[int, float, int]:
    return tl.page, (tl.bbox[1] + tl.bbox[3]) / 2, tl.bbox[0]


def serial_candidates(doc: DocText) -> list[FieldCandidate]:
    """The letter's serial: the last one read before the letter's addressee/body line (a stub
    left of the letter prints it first on the row, a stub above earlier on the page), else the
    first one."""
    receipt = receipt_orders(doc)
    found: list[tuple[tuple, int, TLine, re.Match]] = []
    for tl in doc.reading_order():
        if tl.order in receipt:
            continue
        for m in SERIAL.finditer(tl.text):
            found.append((_reading_key(tl), m.start(), tl, m))
    if not found:
        return []
    _, body = _letter_lines(doc, receipt)
    chosen = found[0]
    if body is not None:
        anchor = _reading_key(body)
        before = [f for f in found if f[0] < anchor or f[2] is body]
        if before:
            chosen = before[-1]
    _, _, tl, m = chosen
    value = serial(m.group())
    return [FieldCandidate("letter_serial", value, tl.raw(m.start(), m.end()), 0.9, tl.conf, tl.page, tl.src_bbox, tl.order)]


def _not_in(cands: list[FieldCandidate], orders: set[int]) -> list[FieldCandidate]:
    return [c for c in cands if c.order not in orders]


def extract(doc: DocText):
    receipt = receipt_orders(doc)
    forms, has_letter, has_stub = form_candidates(doc)
    names = from_labels(doc, "name", ("name",), parse_name)
    for pattern, rule in NAME_PATTERNS:
        names += name_candidates(doc, "name", pattern, rule)
    names += subject_names(doc)
    stub_base = LETTER_SIDE_STUB if has_letter else 0.95
    stub_units = _not_in(from_labels(doc, "placement_unit", ("dest_unit",), parse_unit, base=stub_base), receipt)
    stub_dates = _not_in(from_labels(doc, "placement_date", ("open_date",), parse_date_value, base=0.9), receipt)
    units = addressee_unit(doc, "placement_unit", 0.95) + stub_units
    dates = list(stub_dates)
    closing = closing_date(doc, "placement_date", 0.95)
    if closing:
        dates.append(closing[0])
    cands = {
        "name": names,
        "id_number": id_candidates(doc),
        "gender": gender_candidates(doc),
        "placement_unit": units,
        "placement_date": dates,
        "placement_form": forms,
        "letter_serial": serial_candidates(doc),
        "report_date": report_date_candidates(doc),
        "issuer": issuer_candidates(doc),
    }
    if has_letter and has_stub:
        cands["stub_placement_date"] = [_renamed(c, "stub_placement_date") for c in stub_dates]
        cands["stub_placement_unit"] = [_renamed(c, "stub_placement_unit") for c in stub_units]
    written = pick(dates)
    for field, after, rule in SERVICE_DATES:
        found = dates_in_context(doc, field, None, after, rule)
        # The body cannot tell of a discharge after the letter was written: a date that would
        # (2027 for 2007) is a misread, better left for the reviewer to fill than flagged.
        cands[field] = [c for c in found if written is None or c.value[:7] <= written.value[:7]]
    return fields_from(cands)


def _renamed(c: FieldCandidate, field: str) -> FieldCandidate:
    return FieldCandidate(field, c.value, c.raw, c.rule_conf, c.ocr_conf, c.page, c.bbox, c.order)
