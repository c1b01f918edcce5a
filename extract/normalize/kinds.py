"""Coded values read from wording: 安置方式 → PLACEMENT_METHODS (docs/documents.md#placement-methods), a payment's
款项 or title → PAYMENT_KINDS (docs/documents.md#allowance-payroll-and-one-off-payments), the household register's 兵役状况 → MILITARY_STATUSES.

Keyword tables as in reasons.py: every keyword found is a hit unless negated (不安排工作,
未分配工作); the hit that comes FIRST in the text wins — a cell states the method and then
explains it ("转业（由安置地人民政府安排工作）", "自谋职业（不再安排工作）"); at one position the
longer keyword wins. Text without any keyword but with something readable is "other" for the
extractors that know the text is a method / a payment (see placement_method, payment_kind).
"""
from __future__ import annotations

import re

from core.types import MILITARY_STATUSES, PAYMENT_KINDS, PLACEMENT_METHODS

from extract.normalize.text import HAN, squeeze

PLACEMENT_METHOD_KEYWORDS: dict[str, tuple[str, ...]] = {
    "arranged_job": (
        "政府安排工作", "安排工作", "分配工作", "安排就业", "转业", "安置到", "安排到", "分配到", "安置工作",
    ),
    "self_employed": ("自主就业", "自谋职业", "自主择业", "自谋出路"),
    "returned_home": ("复员", "回乡", "回农村", "回原籍", "返乡", "回家务农"),
    "retired": ("逐月领取退役金", "逐月领取", "退休", "供养"),
    "other": (),
}

PAYMENT_KIND_KEYWORDS: dict[str, tuple[str, ...]] = {
    "pending_allowance": ("待安置", "待分配", "待安排工作", "待安排"),
    "self_employment_grant": (
        "自谋职业", "自主就业", "一次性退役金", "地方一次性经济补助", "一次性经济补助", "自主择业",
    ),
    "discharge_pay": ("退出现役补助费", "退伍费", "退役费", "退伍补助费", "退役补助费"),
    "other": (),
}
# 户口簿 兵役状况 as written → MILITARY_STATUSES (退役, 退伍 are how clerks also write 退出现役)
MILITARY_STATUS_WORDS: dict[str, str] = {
    "退出现役": "退出现役", "退役": "退出现役", "退伍": "退出现役", "服现役": "服现役", "现役": "服现役",
    "预备役": "预备役", "未服兵役": "未服兵役", "未服役": "未服兵役",
}
assert set(PLACEMENT_METHOD_KEYWORDS) == set(PLACEMENT_METHODS)
assert set(MILITARY_STATUS_WORDS.values()) == set(MILITARY_STATUSES)
assert set(PAYMENT_KIND_KEYWORDS) == set(PAYMENT_KINDS)

_NEGATED = re.compile(r"(?:不|未|没有|无|非|不再|不予)\s*(?:由\s*(?:政府\s*)?|予以\s*)?$")
# A leading place (安置地) in a 安置地及安置方式 cell: 临江省青河县, 青河县城关镇.
_PLACE = re.compile(rf"^(?:[{HAN}]{{1,7}}?(?:省|自治区|市|自治州|地区|盟|县|旗|区|镇|乡|街道|村))+")


def _first_hit(text: str, table: dict[str, tuple[str, ...]]) -> str | None:
    """The code of the first non-negated keyword in `text` (the longer one at a tie)."""
    s = squeeze(text)
    best: tuple[int, int, str] | None = None  # (start, -length, code)
    for code, words in table.items():
        for word in words:
            for m in re.finditer(re.escape(word), s):
                if _NEGATED.search(s[max(0, m.start() - 6):m.start()]):
                    continue
                key = (m.start(), -len(word), code)
                if best is None or key < best:
                    best = key
    return best[2] if best else None


def method_keyword(text: str) -> str | None:
    """The placement method a text states by keyword, or None."""
    return _first_hit(text, PLACEMENT_METHOD_KEYWORDS)


def placement_method(text: str) -> str | None:
    """A 安置方式 value → a PLACEMENT_METHODS code: by keyword; "other" for any other readable
    wording (two or more Han characters besides a leading place); None for a place alone or
    nothing readable."""
    code = method_keyword(text)
    if code:
        return code
    rest = _PLACE.sub("", "".join(c for c in squeeze(text) if re.match(f"[{HAN}]", c)))
    return "other" if len(rest) >= 2 else None


def payment_kind(text: str) -> str | None:
    """The kind of payment a title or 款项 names, by keyword; None without a keyword."""
    return _first_hit(text, PAYMENT_KIND_KEYWORDS)
