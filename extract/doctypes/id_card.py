"""居民身份证 (both sides as OCR text) and the 户口簿 常住人口登记卡 page: 姓名, 性别, 出生 (weak
label: "出生 1975 年 3 月 14 日"; 出生地 is a distractor), 公民身份号码 (often printed in spaced
groups, or read as several boxes), 曾用名 (register page) → former_name, absent when the cell is
empty, （空） or 无; 兵役状况 (register page) → military_status. The back side's 签发机关 /
有效期限 are distractor labels, so their dates never become the birth date."""
from __future__ import annotations

import re

from extract import layout
from extract.anchors import FieldCandidate, fields_from, from_labels, pick
from extract.document import DocText, TLine
from extract.doctypes.common import gender_word, person_candidates
from extract.normalize.dates import find_dates
from extract.normalize.idnumbers import birth_date_from_id, canonical_id, gender_from_id
from extract.normalize.kinds import MILITARY_STATUS_WORDS
from extract.prose import regex_candidates
from extract.values import parse_name

FIELDS = ("name", "gender", "birth_date", "id_number", "former_name", "military_status")

MILITARY_STATUS = re.compile(
    r"兵\s*役\s*状\s*况\s*:?\s*(?P<v>" + "|".join(sorted(MILITARY_STATUS_WORDS, key=len, reverse=True)) + ")"
)
# The card's 性别 row without its label: 男 or 女 opening a line, alone or before 民族 (男民族 汉).
GENDER_ROW = re.compile(r"^\s*(?P<v>[男女])\s*(?:民\s*族.*)?$")
# A value the card's layout and its own number agree on, when the label was not read: a photocopy
# often loses the light-blue labels of the card face and keeps the black values.
UNLABELLED = 0.85


def extract(doc: DocText):
    cands = person_candidates(doc)
    cands["former_name"] = from_labels(doc, "former_name", ("former_name",), parse_name)
    # a regex, not the label's value: its value 退出现役 is itself a (weak) label and would end it
    cands["military_status"] = regex_candidates(doc, "military_status", MILITARY_STATUS, MILITARY_STATUS_WORDS.get, 0.95)
    number = canonical_id(getattr(pick(cands["id_number"]), "value", None))
    if number is not None:
        _unlabelled_card_face(doc, number, cands)
    return fields_from(cands)


def _unlabelled_card_face(doc: DocText, number: str, cands: dict[str, list[FieldCandidate]]) -> None:
    """Birth date, gender and name of a card face whose labels are lost, each only where the
    card's valid number agrees: the date it encodes, the gender of its 17th digit, and the name
    as the line right above that gender row (GB 11643 and the card's fixed layout)."""
    gender_line = None
    for tl in doc.lines:
        m = GENDER_ROW.match(tl.text)
        if m and gender_word(m.group("v")) == gender_from_id(number):
            gender_line = gender_line or (tl, m)
    if gender_line and not cands["gender"]:
        tl, m = gender_line
        cands["gender"] = [_at(tl, "gender", gender_word(m.group("v")) or "", m.start("v"), m.end("v"))]
    if not cands["birth_date"]:
        born = birth_date_from_id(number)
        cands["birth_date"] = [
            _at(tl, "birth_date", d.value, d.start, d.end)
            for tl in doc.lines for d in find_dates(tl.line.text) if d.value == born and not d.repaired
        ][:1]
    if gender_line and not cands["name"]:
        name = _line_above(doc, gender_line[0])
        parsed = parse_name(name.text) if name is not None and not name.hits else None
        if parsed is not None and parsed.conf == 1.0 and parsed.end - parsed.start == len(name.text.strip()):
            cands["name"] = [_at(name, "name", parsed.value, parsed.start, parsed.end)]


def _at(tl: TLine, field: str, value: str, start: int, end: int) -> FieldCandidate:
    return FieldCandidate(field, value, tl.raw(start, end), UNLABELLED, tl.conf, tl.page, tl.src_bbox, tl.order)


def _line_above(doc: DocText, below: TLine) -> TLine | None:
    """The nearest line over `below` starting where it starts (the card's value column)."""
    h = layout.height(below.bbox)
    over = [
        tl for tl in doc.lines
        if tl.page == below.page and tl.bbox[3] <= below.bbox[1] + h * 0.3
        and below.bbox[1] - tl.bbox[3] <= h * 1.5 and abs(tl.bbox[0] - below.bbox[0]) <= h
    ]
    return max(over, key=lambda tl: tl.bbox[3], default=None)
