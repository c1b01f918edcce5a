"""A reviewer's typed value, stored in the same normalised form as an extracted one, so that the
case rules compare like with like. The reviewer transcribes the paper: an ID number with a wrong
check digit is kept (the rules will flag it), but text that is no date is refused with the reason.
Coded fields (placement_method, placement_form, payment_kind) take their code, their Chinese name
(core/labels.py) or — except placement_form — the wording of the paper (安排工作, 退伍费).
"""
from __future__ import annotations

from core.labels import (
    GENDER_ZH,
    PAYMENT_KIND_ZH,
    PLACEMENT_FORM_ZH,
    PLACEMENT_METHOD_ZH,
    TERMINATION_REASON_ZH,
)
from core.types import FIELD_NAMES
from extract.normalize.dates import parse_date, parse_month_range
from extract.normalize.durations import parse_duration
from extract.normalize.idnumbers import clean_id
from extract.normalize.kinds import MILITARY_STATUS_WORDS, payment_kind, placement_method
from extract.normalize.names import normalize_name
from extract.normalize.reasons import classify_reason
from extract.normalize.text import nfkc, serial, squeeze
from extract.normalize.units import normalize_issuer, normalize_unit

DATE_FIELDS = frozenset(f for f in FIELD_NAMES if f.endswith("_date"))
NAME_FIELDS = frozenset({"name", "former_name"})
UNIT_FIELDS = frozenset({"stub_placement_unit", "former_employer"})


def _code(text: str, names: dict[str, str]) -> str | None:
    """The code `text` is, or whose Chinese name it is (NFKC, spaces ignored)."""
    for code, zh in names.items():
        if squeeze(text) in (code, squeeze(zh)):
            return code
    return None


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
    if field in NAME_FIELDS:
        name = normalize_name(text)
        if not name:
            raise ValueError(f"“{text}”不是姓名")
        return name
    if field == "stated_service":
        found = parse_duration(text)
        if found is None:
            raise ValueError(f"“{text}”不是可识别的服役年限，请按“3年”“5年9个月”或“69个月”填写")
        return found.value
    if field == "placement_method":
        code = _code(text, PLACEMENT_METHOD_ZH) or placement_method(text)
        if code is None:
            raise ValueError(f"“{text}”没有写明安置方式，请填写如“安排工作”“自主就业”“复员”“退休”")
        return code
    if field == "placement_form":
        code = _code(text, PLACEMENT_FORM_ZH)
        if code is None:
            choices = "、".join(f"“{zh}”" for zh in PLACEMENT_FORM_ZH.values())
            raise ValueError(f"介绍信形式请填写{choices}之一")
        return code
    if field == "payment_kind":
        code = _code(text, PAYMENT_KIND_ZH) or payment_kind(text)
        return code or "other"
    if field == "paid_period":
        found = parse_month_range(text)
        if found is None:
            raise ValueError(f"“{text}”不是可识别的期间，请按“1997年1月至1997年9月”填写")
        return found[0]
    if field == "letter_serial":
        return serial(text)
    if field == "military_status":
        status = MILITARY_STATUS_WORDS.get(text.replace(" ", ""))
        if status is None:
            raise ValueError("兵役状况请填写“退出现役”“服现役”“预备役”或“未服兵役”")
        return status
    if field in UNIT_FIELDS:
        return normalize_unit(text)
    if field == "issuer":
        return normalize_issuer(text)
    return text
