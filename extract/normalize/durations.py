"""Stated lengths of service (兵龄 / 军龄 / 服役年限, docs/documents.md#durations) → ISO 8601 durations.

| written               | value    |
|-----------------------|----------|
| 3年, 叁年, 三年, 拾贰年 | P3Y, P12Y |
| 5年9个月, 五年零九个月   | P5Y9M    |
| 69个月, 六十九个月       | P69M     |
| 两年半                 | P2Y6M    |

The value keeps how the length was stated (years only, years and months, months only): a rule
comparing it with the service dates must know that "3年" is a rounded figure and "69个月" is not.
Numbers go through cn2an (三, 十二, 拾贰, 两, 廿). A year count is 1..MAX_YEARS and never glued to
digits or followed by a month number without 个 ("1996年12月" is a date, not 1996 years).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

from extract.normalize.text import nfkc_map

MAX_YEARS = 60
MAX_MONTHS = 12 * MAX_YEARS

_CN = "〇零一二两三四五六七八九十廿壹贰貳叁參肆伍陆陸柒捌玖拾"
_NUM = rf"(?:\d{{1,3}}|[{_CN}]{{1,4}})"
_PATTERN = re.compile(
    # years, optionally 零/又 months (个 required: "9个月"), or 半 (half a year)
    rf"(?<![\d{_CN}])(?P<y>{_NUM})\s*(?:周\s*)?年(?!\s*\d{{1,2}}\s*月)(?!\s*[{_CN}]{{1,3}}\s*月)"
    rf"(?:\s*(?P<half>半)|\s*(?:零|又)?\s*(?P<ym>{_NUM})\s*个\s*月)?"
    # months only
    rf"|(?<![\d{_CN}])(?P<m>{_NUM})\s*个\s*月"
)


@dataclass(frozen=True)
class DurationMatch:
    value: str  # P3Y, P5Y9M, P69M
    start: int  # span in the searched text (original indices)
    end: int
    raw: str

    @property
    def months(self) -> int:
        """The length in months (P3Y → 36)."""
        return duration_months(self.value)[0]  # type: ignore[index]  # our own values always parse


_ISO = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?")


def duration_months(value: str | None) -> tuple[int, bool] | None:
    """A stored value (P3Y, P5Y9M, P69M) → (months, stated in whole years), else None."""
    m = _ISO.fullmatch(value or "")
    if m is None or not any(m.groups()):
        return None
    return int(m.group(1) or 0) * 12 + int(m.group(2) or 0), m.group(2) is None


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    t = text.replace("貳", "贰").replace("參", "叁").replace("陸", "陆").replace("〇", "零")
    try:
        value = cn2an.cn2an(t, "normal")
    except (ValueError, KeyError, IndexError):
        return None
    return int(value) if float(value).is_integer() else None


def _interpret(m: re.Match) -> str | None:
    if m.group("m"):
        months = _number(m.group("m"))
        return f"P{months}M" if months is not None and 0 < months <= MAX_MONTHS else None
    years = _number(m.group("y"))
    if years is None or not 0 < years <= MAX_YEARS:
        return None
    if m.group("half"):
        return f"P{years}Y6M"
    if m.group("ym"):
        months = _number(m.group("ym"))
        if months is None or not 0 <= months < 12:
            return None
        return f"P{years}Y{months}M"
    return f"P{years}Y"


def find_durations(text: str) -> list[DurationMatch]:
    """Every stated length in `text`, left to right (spans in the original string)."""
    norm, idx = nfkc_map(text or "")
    out = []
    for m in _PATTERN.finditer(norm):
        value = _interpret(m)
        if value:
            start, end = idx[m.start()], idx[m.end()]
            out.append(DurationMatch(value, start, end, text[start:end]))
    return out


def parse_duration(text: str) -> DurationMatch | None:
    """The first stated length in `text` (a table cell, a reviewer's entry), or None."""
    found = find_durations(text)
    return found[0] if found else None
