"""Value parsers: read a field value from a stretch of NFKC text and check it.

Each parser takes the text after a label (or a table cell) and returns Parsed(value, start, end,
conf) — start/end relative to the given text, conf a rule factor (1.0 = certain format) — or
None when the text does not hold a valid value of that kind.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from extract.document import find_labels
from extract.labels import LABEL_ENDINGS, MILITARY_UNIT_SUFFIXES, NOT_NAMES, UNIT_SUFFIXES
from extract.normalize.dates import find_dates, parse_date, parse_month_range
from extract.normalize.durations import parse_duration
from extract.normalize.idnumbers import find_id_numbers
from extract.normalize.kinds import payment_kind, placement_method
from extract.normalize.names import has_common_surname, normalize_name
from extract.normalize.text import HAN, is_han
from extract.normalize.units import UNIT_CODE, is_document_number, normalize_unit, service_unit

MAX_PREFIX = 3  # characters (after spaces) allowed between a label and a date/gender value


@dataclass(frozen=True)
class Parsed:
    value: str
    start: int
    end: int
    conf: float = 1.0


Parser = Callable[[str], "Parsed | None"]

# What may stand between a label and its value: brackets, colons, rules, and the residue of a
# signature line's label (用人单位（盖章）：…, 姓名（签字）：…, 单位名称：…), which is never the value.
_LEAD = re.compile(r"^(?:[\s:：()（）\[\]【】|]+|(?:盖|签|公|印)\s*章|签\s*[字名]|名\s*称|全\s*称)*")


def _lead(text: str) -> int:
    return _LEAD.match(text).end()


def parse_name(text: str) -> Parsed | None:
    """2–4 Han characters; single OCR spaces inside are dropped ("周 立新"). A date run on after the
    name without a space ("申请人：汪胜勇二〇〇一年十一月二十九日") is not part of it."""
    lead = _lead(text)
    text = next((text[: d.start] for d in find_dates(text) if d.start > lead), text)
    m = re.compile(f"[{HAN}]").search(text, lead)
    if m is None or re.search(r"[A-Za-z]", text[: m.start()]):
        return None
    i, chars, end = m.start(), [], m.start()
    while i < len(text):
        ch = text[i]
        if is_han(ch):
            chars.append(ch)
            end = i + 1
            i += 1
        elif ch == " " and i + 1 < len(text) and is_han(text[i + 1]) and len(chars) < 3:
            i += 1  # "周 立新", "欧阳 明华"; not "周立新 男"
        else:
            break
    name = normalize_name("".join(chars))
    if not 2 <= len(name) <= 4 or name in NOT_NAMES or name.endswith(LABEL_ENDINGS) or _is_label(name):
        return None
    return Parsed(name, m.start(), end, 1.0 if has_common_surname(name) else 0.85)


def _is_label(text: str) -> bool:
    return any(h.start == 0 for h in find_labels(text))


def parse_gender(text: str) -> Parsed | None:
    i = _lead(text)
    rest = text[i:]
    if rest[:1] in ("男", "女") and i <= MAX_PREFIX + 1:
        return Parsed("male" if rest[0] == "男" else "female", i, i + 1)
    return None


def parse_date_value(text: str, years: tuple[int, ...] = ()) -> Parsed | None:
    """A date near the start of the text; `years`: reference years for a truncated Chinese year."""
    found = parse_date(text, years=years)
    if found is None or len(text[: found.start].strip(" :()")) > MAX_PREFIX:
        return None
    conf = (1.0 if found.precision == "day" else 0.98) * (0.85 if found.repaired else 1.0)
    return Parsed(found.value, found.start, found.end, conf)


REPAIRED_ID = 0.6  # valid after OCR look-alikes were replaced (O→0, l→1: extract/normalize/idnumbers.py)
INVALID_ID = 0.3  # kept as read, for a reviewer and the invalid_id_number rule


def parse_id(text: str) -> Parsed | None:
    for ident in find_id_numbers(text):
        conf = 1.0 if ident.valid and not ident.repaired else REPAIRED_ID if ident.valid else INVALID_ID
        return Parsed(ident.value, ident.start, ident.end, conf)
    return None


def _unit_token(text: str) -> tuple[int, int] | None:
    i = _lead(text)
    tokens = [(m.start(), m.end()) for m in re.finditer(r"[^\s,，。;；|┆│]+", text[i:])]
    if not tokens:
        return None
    s, e = tokens[0]
    for k in range(1, min(3, len(tokens))):
        seg = normalize_unit(text[i + s : i + e])
        gap = text[i + tokens[k - 1][1] : i + tokens[k][0]]
        if seg.endswith(UNIT_SUFFIXES) or gap != " ":
            break
        joined = normalize_unit(text[i + s : i + tokens[k][1]])
        if joined.endswith(UNIT_SUFFIXES):
            e = tokens[k][1]
            break
    return i + s, i + e


def parse_unit(text: str) -> Parsed | None:
    """An organisation name: first token(s) up to a gap or punctuation, seal marks removed."""
    span = _unit_token(text)
    if span is None:
        return None
    start, end = span
    if text[start] in COPULAS and text[start + 1:end].endswith(UNIT_SUFFIXES):
        start += 1  # prose after a label: 参保单位为梅岗县再生资源有限责任公司
    value = normalize_unit(text[start:end])
    if sum(is_han(c) for c in value) < 3 or "、" in value:
        return None  # an enumeration (单位、职工本人、劳动部门各执一份) is not one unit's name
    if PRONOUNS.search(value):
        return None  # a sentence to the veteran (你的档案将转移至…中心) names no unit of its own
    if is_document_number(value):
        return None
    return Parsed(value, start, end, 1.0 if value.endswith(UNIT_SUFFIXES) else 0.8)


COPULAS = "为是"
# No organisation's name speaks of a person: a value holding a pronoun is prose.
PRONOUNS = re.compile("[你您我他她]")


def parse_service_unit(text: str) -> Parsed | None:
    """A military unit: a unit code '05318部队' (sub-units dropped), or a unit name ending like
    one (武警临江总队); a neighbouring cell's value ("初中", "班长") is not a unit."""
    m = UNIT_CODE.search(text)
    if m and len(text[: m.start()].strip(" :()")) <= 8:
        return Parsed(service_unit(m.group()) or "", m.start(), m.end())
    span = _unit_token(text)
    if span is None:
        return None
    value = service_unit(text[span[0]:span[1]])
    if not value or sum(is_han(c) for c in value) < 3 or not value.endswith(UNIT_SUFFIXES + MILITARY_UNIT_SUFFIXES):
        return None
    return Parsed(value, span[0], span[1], 0.8)


def parse_text(text: str) -> Parsed | None:
    """Free text up to the end of the segment (trimmed)."""
    i = _lead(text)
    value = text[i:].strip()
    if not value:
        return None
    return Parsed(value, i, i + len(text[i:].rstrip()), 0.9)


def parse_service_length(text: str) -> Parsed | None:
    """A stated length of service near the start of the text: 叁年 → P3Y, 5年9个月 → P5Y9M."""
    found = parse_duration(text)
    if found is None or len(text[: found.start].strip(" :()")) > MAX_PREFIX:
        return None
    return Parsed(found.value, found.start, found.end)


def parse_placement_method(text: str) -> Parsed | None:
    """A 安置方式 cell (the place before the method is allowed: 临江省青河县 安排工作) → a
    PLACEMENT_METHODS code; wording without a known keyword is "other", at a lower confidence."""
    i = _lead(text)
    rest = text[i:].rstrip()
    code = placement_method(rest)
    if code is None:
        return None
    return Parsed(code, i, i + len(rest), 0.8 if code == "other" else 1.0)


def parse_payment_kind(text: str) -> Parsed | None:
    """A 款项 value → a PAYMENT_KINDS code; any other readable item is "other"."""
    i = _lead(text)
    rest = text[i:].rstrip()
    if sum(is_han(c) for c in rest) < 2:
        return None
    code = payment_kind(rest)
    return Parsed(code or "other", i, i + len(rest), 1.0 if code else 0.8)


def parse_paid_period(text: str) -> Parsed | None:
    """A 所属期间 value → "YYYY-MM/YYYY-MM" (1997年1月至9月: the end inherits the year)."""
    found = parse_month_range(text)
    if found is None or len(text[: found[1]].strip(" :()")) > MAX_PREFIX:
        return None
    return Parsed(found[0], found[1], found[2])
