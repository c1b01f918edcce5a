"""Dates as written on our forms → `YYYY-MM` or `YYYY-MM-DD` (docs/documents.md#dates).

Forms recognised (after NFKC, so full-width digits and punctuation are plain ASCII):

| form                          | example                        | precision |
|-------------------------------|--------------------------------|-----------|
| Arabic 年月(日)               | 1992年12月, 1992 年 12 月 5 日 | month/day |
| Chinese digits 年月(日)       | 一九九二年十二月五日, 二〇〇三年六月三十日 (〇/零/○/O/0) | month/day |
| financial upper case          | 壹玖玖柒年玖月拾伍日            | month/day |
| 2-digit years                 | 九二年十二月, 92年12月, 92.12  | month/day |
| dotted / dashed / slashed     | 1992.12, 1992.12.05, 1992-12-05, 1992/12/5 | month/day |
| compact                       | 199212, 19921205               | month/day |

Two-digit years become 19yy when yy ≥ pivot (default 50), else 20yy. Month must be 1–12; a day
outside its month's range is dropped (the match keeps month precision, `raw` still shows it).
Year-only text ("1995年") is not a date here. Ranges ("1998.01—2001.12") yield two matches.

Truncated years (OCR drops a lone 一 at a line end, or digits under a seal):
- three Arabic digits ("992年3月7") are completed as three Chinese ones are;
- three Chinese digits ("九九三年十二月", "○〇三年九月七日") are completed when exactly one year
  in 1900–2099 holds them in order (1993, 2003); "二〇二年" (2002? 2020–2029?) is not;
- with `years` (reference years the document states, e.g. its serial number 〔2001〕), one to
  three Chinese digits ("一年十月二十三日", "二〇二年三月二十九日") are completed to the one
  reference year that holds them in order;
- two Chinese digits that would make a year after this one ("二七年" → 2027) are no shorthand but
  a year whose 〇 were lost (二〇〇七): completed from `years` like a truncated one, else dropped.
A day written right after the month without its 日 (OCR lost it: "2013年3月21起", "一月十起")
is read as the day; Arabic digits after 年 and before a word, without their 月 ("1998年12入伍"),
as the month (4-digit years only: "12年3个月" is a duration). A completed date, or one read without its 日, has `repaired=True`; callers
lower their confidence.

Chinese years are converted digit by digit by hand: cn2an reads "〇三" as 3 and does not know
the letter O that OCR produces for 〇. Months and days (十二, 三十一, 拾伍, 廿) go through cn2an.
"""
from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from typing import Literal

import cn2an

from extract.normalize.text import HAN, nfkc_map

Precision = Literal["month", "day"]

DEFAULT_PIVOT = 50
MIN_YEAR, MAX_YEAR = 1900, 2099

# Chinese digits as they occur in years, OCR look-alikes of 〇 included.
_CN_YEAR_DIGITS = {
    "〇": 0, "零": 0, "○": 0, "O": 0, "o": 0, "0": 0, "Ｏ": 0,
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "肆": 4, "伍": 5, "陆": 6, "陸": 6,
    "柒": 7, "捌": 8, "玖": 9,
    # Arabic digits mixed into a Chinese year by OCR or by the writer ("二003年", "1992年十二月")
    **{str(d): d for d in range(1, 10)},
}
_CN_YD = "".join(_CN_YEAR_DIGITS)
_CN_ONLY = "".join(c for c in _CN_YEAR_DIGITS if not c.isdigit())
_CN_MD = "〇零一二三四五六七八九十壹贰貳叁參肆伍陆陸柒捌玖拾廿卅正初"
_CN_DAY = _CN_MD.replace("正", "").replace("初", "")  # a day without its 日: numerals only (not 正式)
_DAY_END = "日号號曰"  # 曰 is a common OCR misread of 日

_PATTERN = re.compile(
    # Chinese numerals: 一九九二年十二月五日, 九二年十二月
    # not glued to a longer numeral; an Arabic digit before a Chinese year is noise ("1二〇一一年")
    rf"(?<![{_CN_ONLY}])(?:(?<!\d)|(?=[^\d]))(?P<cy>[{_CN_YD}]{{4}}|[{_CN_YD}]{{2}})\s*年\s*(?P<cm>[{_CN_MD}]{{1,3}})\s*月"
    rf"(?:\s*(?P<cd>[{_CN_MD}]{{1,4}})\s*[{_DAY_END}]|(?P<ce>[{_CN_DAY}]{{1,4}})(?![{_CN_MD}年月]))?"
    # a truncated Chinese year: 九九三年十二月, 一年十月二十三日 (completed or dropped in _interpret)
    rf"|(?<![{_CN_YD}])(?P<ty>[{_CN_ONLY}]{{1,3}})\s*年\s*(?P<tm>[{_CN_MD}]{{1,3}})\s*月"
    rf"(?:\s*(?P<td>[{_CN_MD}]{{1,4}})\s*[{_DAY_END}])?"
    # Arabic digits with 年/月/日
    rf"|(?<!\d)(?P<ay>\d{{2,4}})\s*年\s*(?:(?P<am>\d{{1,2}})\s*月"
    rf"(?:\s*(?P<ad>\d{{1,2}})\s*[{_DAY_END}]|(?P<ae>\d{{1,2}})(?![\d年月.]))?"
    rf"|(?P<an>\d{{1,2}})(?=[{HAN}])(?![年月日度]))"
    # dotted / dashed / slashed (one separator kind per date)
    r"|(?<![\d.])(?P<dy>\d{4}|\d{2}) ?(?P<sep>[./-]) ?(?P<dm>\d{1,2})(?!\d)(?: ?(?P=sep) ?(?P<dd>\d{1,2})(?!\d))?"
    # dotted with the first dot lost to OCR: 199911.12 (marked repaired)
    r"|(?<![\d.])(?P<jy>(?:19|20)\d{2})(?P<jm>0[1-9]|1[0-2])(?P<js>[./-])(?P<jd>\d{1,2})(?![\d.])"
    # compact 199212 / 19921205
    r"|(?<![\d.])(?P<ky>(?:19|20)\d{2})(?P<km>0[1-9]|1[0-2])(?P<kd>0[1-9]|[12]\d|3[01])?(?!\d)"
)


@dataclass(frozen=True)
class DateMatch:
    value: str  # YYYY-MM or YYYY-MM-DD
    precision: Precision
    start: int  # span in the text that was searched (original, not normalised, indices)
    end: int
    raw: str
    repaired: bool = False  # completed or mended: a truncated year, a day without its 日, a lost first dot

    @property
    def year(self) -> int:
        return int(self.value[:4])

    @property
    def month(self) -> int:
        return int(self.value[5:7])

    @property
    def day(self) -> int | None:
        return int(self.value[8:10]) if self.precision == "day" else None


def _expand_year(year: int, digits: int, pivot: int) -> int:
    if digits == 2:
        return 1900 + year if year >= pivot else 2000 + year
    return year


def _cn_digits(text: str) -> str:
    """Chinese year digits as Arabic ones: "二〇〇七" → "2007"."""
    return "".join(str(_CN_YEAR_DIGITS[c]) for c in text)


def _holds(year: int, digits: str) -> bool:
    """The digits occur in the year's four digits in order ("993" in 1993, "1" in 2001)."""
    it = iter(str(year))
    return all(d in it for d in digits)


def complete_year(digits: str, years: tuple[int, ...] = ()) -> int | None:
    """A truncated year (its remaining digits, as Arabic digits) → the full year: for three
    digits the only year in MIN_YEAR..MAX_YEAR holding them, else the only one of `years`."""
    if len(digits) == 3:
        found = [y for y in range(MIN_YEAR, MAX_YEAR + 1) if _holds(y, digits)]
        if len(found) == 1:
            return found[0]
    found = sorted({y for y in years if MIN_YEAR <= y <= MAX_YEAR and _holds(y, digits)})
    return found[0] if len(found) == 1 else None


def _cn_number(text: str) -> int | None:
    """Month or day in Chinese numerals (十二, 三十一, 拾伍, 廿五, 〇九) → int."""
    t = text.replace("卅", "三十").replace("正", "一").replace("初", "")
    t = t.replace("貳", "贰").replace("參", "叁").replace("陸", "陆")
    if not t:
        return None
    try:
        value = cn2an.cn2an(t, "normal")
    except (ValueError, KeyError, IndexError):
        return None
    return int(value) if float(value).is_integer() else None


def _build(year: int | None, month: int | None, day: int | None) -> tuple[str, Precision] | None:
    if year is None or month is None or not (MIN_YEAR <= year <= MAX_YEAR) or not (1 <= month <= 12):
        return None
    if day is not None and 1 <= day <= calendar.monthrange(year, month)[1]:
        return f"{year:04d}-{month:02d}-{day:02d}", "day"
    return f"{year:04d}-{month:02d}", "month"


def _interpret(m: re.Match, pivot: int, years: tuple[int, ...] = ()) -> tuple[str, Precision] | None:
    g = m.groupdict()
    if g["ty"]:
        year = complete_year(_cn_digits(g["ty"]), years)
        return _build(year, _cn_number(g["tm"]), _cn_number(g["td"]) if g["td"] else None)
    if g["cy"]:
        digits = _cn_digits(g["cy"])
        year = _expand_year(int(digits), len(digits), pivot)
        if len(digits) == 2 and year > datetime.date.today().year:
            year = complete_year(digits, years)
        month = _cn_number(g["cm"])
        day = g["cd"] or g["ce"]
        return _build(year, month, _cn_number(day) if day else None)
    for yk, mk, dk in (("ay", "am", "ad"), ("dy", "dm", "dd"), ("jy", "jm", "jd"), ("ky", "km", "kd")):
        if g[yk]:
            # three digits: a year that lost its first digit at a line start or under a seal (992年3月)
            year = complete_year(g[yk], years) if len(g[yk]) == 3 else _expand_year(int(g[yk]), len(g[yk]), pivot)
            day = g[dk] or (g["ae"] if yk == "ay" else None)
            month = g[mk] or (g["an"] if yk == "ay" else None)
            if month is None or (g["an"] and len(g["ay"]) != 4):
                return None  # "12年3个月" is a duration: only a 4-digit year may lose its 月
            return _build(year, int(month), int(day) if day else None)
    return None


def find_dates(text: str, *, pivot: int = DEFAULT_PIVOT, years: tuple[int, ...] = ()) -> list[DateMatch]:
    """Every date in `text`, left to right, with spans and raw text in the original string.
    `years`: reference years for completing truncated Chinese years (see the module doc)."""
    norm, idx = nfkc_map(text or "")
    found: list[DateMatch] = []
    for m in _PATTERN.finditer(norm):
        parsed = _interpret(m, pivot, tuple(years))
        if parsed is None:
            continue
        value, precision = parsed
        start, end = idx[m.start()], idx[m.end()]
        lost_zeros = bool(m.group("cy")) and len(m.group("cy")) == 2 and _cn_digits(m.group("cy")) != value[2:4]
        truncated = bool(m.group("ty")) or len(m.group("ay") or "") == 3
        repaired = bool(truncated or m.group("ce") or m.group("ae") or m.group("an") or m.group("jy") or lost_zeros)
        found.append(DateMatch(value, precision, start, end, text[start:end], repaired=repaired))
    return found


def parse_date(text: str, *, pivot: int = DEFAULT_PIVOT, years: tuple[int, ...] = ()) -> DateMatch | None:
    """The first date in `text` (a table cell, a value after a label), or None."""
    found = find_dates(text, pivot=pivot, years=years)
    return found[0] if found else None


def month_of(value: str) -> str:
    """'YYYY-MM-DD' or 'YYYY-MM' → 'YYYY-MM'."""
    return value[:7]


# ---- month arithmetic: idx = year*12 + month (month 1..12) ----------------------------------


def month_index(value: object) -> int | None:
    """year*12 + month (month 1..12), or None when there is no month in the value.

    Text goes through parse_date, so roster cells may be as free as
    documents (1975.3, 1975年3月, 1975/03/14, 197503, 一九七五年三月, 75.3); extracted values are
    already YYYY-MM[-DD]. A year alone is not a month."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.year * 12 + value.month
    if value is None:
        return None
    found = parse_date(str(value))
    return found.year * 12 + found.month if found else None


def month_str(index: int) -> str:
    """Inverse of month_index: 'YYYY-MM'."""
    year, month0 = divmod(index - 1, 12)
    return f"{year:04d}-{month0 + 1:02d}"


# ---- month ranges (所属期间) ------------------------------------------------------------------

_RANGE_SEP = re.compile(r"\s*(?:[-—–－~～至到]+|起至|起到)\s*")
# the end of a range that inherits the start's year: "9月", "九月", "09"
_BARE_MONTH = re.compile(rf"(?P<m>\d{{1,2}}|[{_CN_MD}]{{1,3}})\s*月|(?P<n>\d{{1,2}})(?![\d.年])")


def parse_month_range(text: str, *, pivot: int = DEFAULT_PIVOT) -> tuple[str, int, int] | None:
    """A range of months → ("YYYY-MM/YYYY-MM", start, end) in the original text, or None.

    1997年1月至1997年9月, 1997年1月—9月, 1997年1月至9月 (the end inherits the year), 1997.01-1997.09,
    199701-199709; a single month is a range of one. The end must not precede the start."""
    dates = find_dates(text, pivot=pivot)
    if not dates:
        return None
    first = dates[0]
    norm, idx = nfkc_map(text)
    # NFKC keeps the length of Chinese text; find the first date's end in the normalised text
    n_end = next((i for i, o in enumerate(idx) if o >= first.end), len(norm))
    sep = _RANGE_SEP.match(norm, n_end)
    end_value, end_pos = first.value[:7], first.end
    if sep:
        rest = norm[sep.end():]
        second = dates[1] if len(dates) > 1 and idx[sep.end()] <= dates[1].start <= idx[sep.end()] + 1 else None
        if second is not None:
            end_value, end_pos = second.value[:7], second.end
        else:
            m = _BARE_MONTH.match(rest)
            digits = (m.group("m") or m.group("n")) if m else ""
            month = int(digits) if digits.isdigit() else _cn_number(digits) if digits else None
            if month is not None and 1 <= month <= 12:
                end_value, end_pos = f"{first.year:04d}-{month:02d}", idx[sep.end() + m.end()]
    start_value = first.value[:7]
    if end_value < start_value:
        return None
    return f"{start_value}/{end_value}", first.start, end_pos
