"""A reviewer's typed value, stored in the same normalised form as an extracted one, so that the
case rules compare like with like. The reviewer transcribes the paper: an ID number with a wrong
check digit is kept (the rules will flag it), but text that is no date is refused with the reason.
"""
from __future__ import annotations

from core.labels import GENDER_ZH, TERMINATION_REASON_ZH
from core.types import FIELD_NAMES
from extract.normalize.dates import parse_date
from extract.normalize.idnumbers import clean_id
from extract.normalize.names import normalize_name
from extract.normalize.reasons import classify_reason
from extract.normalize.text import nfkc

DATE_FIELDS = frozenset(f for f in FIELD_NAMES if f.endswith("_date"))


def normalize_entry(field: str, text: str) -> str:
    """The stored form of a reviewer's entry; ValueError (Chinese message) if it cannot be one."""
    if field not in FIELD_NAMES:
        raise ValueError(f"未知字段：{field}")
    text = nfkc(text or "").strip()
    if not text:
        raise ValueError("请填写内容")
    if field in DATE_FIELDS:
        match = parse_date(text)
        if match is None:
            raise ValueError(f"“{text}”不是可识别的日期，请按“1992年12月”或“1992-12-05”填写")
        return match.value
    if field == "id_number":
        number = clean_id(text)
        if len(number) not in (15, 18) or not number[:17].isdigit():
            raise ValueError(f"“{text}”不是 15 位或 18 位的公民身份号码")
        return number
    if field == "gender":
        for code, zh in GENDER_ZH.items():
            if text in (code, zh):
                return code
        raise ValueError("性别请填写“男”或“女”")
    if field == "termination_reason":
        for code, zh in TERMINATION_REASON_ZH.items():
            if text in (code, zh):
                return code
        return classify_reason(text) or "other"
    if field == "name":
        name = normalize_name(text)
        if not name:
            raise ValueError(f"“{text}”不是姓名")
        return name
    return text
