"""Dates as our forms write them → YYYY-MM[-DD] (docs/documents.md#dates)."""
import datetime

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.normalize.dates import find_dates, parse_date


@pytest.mark.parametrize(
    "text, value, precision",
    [
        ("1992年12月", "1992-12", "month"),
        ("1992年12月5日", "1992-12-05", "day"),
        ("1992年 12 月 5 日", "1992-12-05", "day"),
        ("1992 年12 月5 日", "1992-12-05", "day"),
        ("1992.12", "1992-12", "month"),
        ("1992.12.05", "1992-12-05", "day"),
        ("1992-12-05", "1992-12-05", "day"),
        ("1992/12/5", "1992-12-05", "day"),
        ("199212", "1992-12", "month"),
        ("19921205", "1992-12-05", "day"),
        ("一九九二年十二月", "1992-12", "month"),
        ("一九九二年十二月五日", "1992-12-05", "day"),
        ("二〇〇三年六月三十日", "2003-06-30", "day"),
        ("二零零三年六月三十日", "2003-06-30", "day"),
        ("二OO三年六月三十日", "2003-06-30", "day"),
        ("二003年六月三十日", "2003-06-30", "day"),
        ("一九九七年九月二十日", "1997-09-20", "day"),
        ("九二年十二月", "1992-12", "month"),
        ("〇三年六月", "2003-06", "month"),
        ("92.12", "1992-12", "month"),
        ("92年12月", "1992-12", "month"),
        ("壹玖玖柒年玖月", "1997-09", "month"),
        ("壹玖玖柒年玖月拾伍日", "1997-09-15", "day"),
        ("１９９２年１２月５日", "1992-12-05", "day"),  # full-width digits
        ("１９９２．１２", "1992-12", "month"),
        ("1997年9月20曰", "1997-09-20", "day"),  # 曰 misread for 日
        ("1993. 12", "1993-12", "month"),
    ],
)
def test_every_written_form(text, value, precision):
    found = parse_date(text)
    assert found is not None, text
    assert (found.value, found.precision) == (value, precision)
    assert found.raw == text


def test_span_and_raw_point_into_the_original_text():
    text = "出生 １９７５ 年 ３ 月 14 日，住址"
    [d] = find_dates(text)
    assert d.value == "1975-03-14"
    assert text[d.start:d.end] == d.raw == "１９７５ 年 ３ 月 14 日"


def test_pivot_is_configurable():
    assert parse_date("49.05").value == "2049-05"
    assert parse_date("50.05").value == "1950-05"
    assert parse_date("49.05", pivot=40).value == "1949-05"
    assert parse_date("二二年三月", pivot=10).value == "1922-03"
    assert parse_date("二二年三月", pivot=30).value == "2022-03"


@pytest.mark.parametrize("text", ["1992年13月", "1992.00", "19921301", "810.00", "420.00 48", "三十一", "1995年", "〇〇〇〇年三月"])
def test_not_dates(text):
    assert find_dates(text) == []


def test_impossible_day_keeps_the_month():
    d = parse_date("1992年2月30日")
    assert (d.value, d.precision, d.raw) == ("1992-02", "month", "1992年2月30日")


def test_ranges_give_both_ends():
    assert [d.value for d in find_dates("1998.01—2001.12")] == ["1998-01", "2001-12"]
    assert [d.value for d in find_dates("199801-200112")] == ["1998-01", "2001-12"]
    assert [d.value for d in find_dates("2016.05.20-2036.05.20")] == ["2016-05-20", "2036-05-20"]


def test_dates_inside_an_id_number_are_not_dates():
    assert find_dates("360899197503141518") == []


def test_several_dates_in_prose():
    text = "兹介绍退伍军人周立新同志（男，1993年12月入伍，1996年12月退伍）"
    assert [d.value for d in find_dates(text)] == ["1993-12", "1996-12"]


# ---- round trips --------------------------------------------------------------------------

CN_DIGITS = "〇一二三四五六七八九"
UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"
ZEROS = ["〇", "零", "O", "0"]


def _cn_year(year: int, zero: str, digits: str = CN_DIGITS) -> str:
    return "".join(zero if c == "0" else digits[int(c)] for c in str(year))


def forms(d: datetime.date, zero: str) -> list[tuple[str, str]]:
    """(text, expected value) for every written form of d."""
    ym, ymd = f"{d.year:04d}-{d.month:02d}", d.isoformat()
    cn_m, cn_d = cn2an.an2cn(d.month), cn2an.an2cn(d.day)
    up_m, up_d = cn2an.an2cn(d.month, "up"), cn2an.an2cn(d.day, "up")
    return [
        (f"{d.year}年{d.month}月", ym),
        (f"{d.year}年{d.month}月{d.day}日", ymd),
        (f"{d.year} 年 {d.month:02d} 月 {d.day} 日", ymd),
        (f"{d.year}.{d.month}", ym),
        (f"{d.year}.{d.month:02d}.{d.day:02d}", ymd),
        (f"{d.year}-{d.month:02d}-{d.day:02d}", ymd),
        (f"{d.year}/{d.month}/{d.day}", ymd),
        (f"{d.year}{d.month:02d}", ym),
        (f"{d.year}{d.month:02d}{d.day:02d}", ymd),
        (f"{_cn_year(d.year, zero)}年{cn_m}月", ym),
        (f"{_cn_year(d.year, zero)}年{cn_m}月{cn_d}日", ymd),
        (f"{_cn_year(d.year, '零', UPPER_DIGITS)}年{up_m}月{up_d}日", ymd),
        (f"{d.year % 100:02d}.{d.month:02d}", ym),
    ] + (  # a two-digit Chinese year after this one is taken for a year that lost its 〇
        [(f"{_cn_year(d.year % 100 + 100, zero)[1:]}年{cn_m}月", ym)] if d.year <= datetime.date.today().year else []
    )


@settings(max_examples=100, deadline=None)
@given(st.dates(datetime.date(1950, 1, 1), datetime.date(2049, 12, 31)), st.sampled_from(ZEROS))
def test_round_trip_every_form(d, zero):
    for text, expected in forms(d, zero):
        found = parse_date(text)
        assert found is not None and found.value == expected, text
        assert found.raw == text


@settings(max_examples=60, deadline=None)
@given(st.dates(datetime.date(1900, 1, 1), datetime.date(2099, 12, 31)))
def test_round_trip_inside_prose(d):
    text = f"劳动合同于{d.year}年{d.month}月{d.day}日终止。"
    [found] = find_dates(text)
    assert found.value == d.isoformat()
    assert text[found.start:found.end] == found.raw


# ---- truncated years (OCR lost a digit: a lone 一 at a line end, digits under a seal) -------


@pytest.mark.parametrize(
    "text, value",
    [
        ("九九三年十二月退伍", "1993-12"),  # 一 | 九九三年 wrapped, the 一 not read
        ("九八八年十二月", "1988-12"),
        ("○〇三年九月七日", "2003-09-07"),  # only 2003 holds 0, 0, 3 in order
    ],
)
def test_three_digit_chinese_year_with_one_completion(text, value):
    [d] = find_dates(text)
    assert (d.value, d.repaired, d.raw) == (value, True, text.removesuffix("退伍"))


@pytest.mark.parametrize("text", ["二〇二年三月二十九日", "一年十月二十三日", "三年十二月"])
def test_truncated_year_without_a_reference_is_not_a_date(text):
    assert find_dates(text) == []  # 二〇二: 2002? 2012? 2020–2029? — unknown


@pytest.mark.parametrize(
    "text, years, value",
    [
        ("二〇二年三月二十九日", (2020,), "2020-03-29"),
        ("一年十月二十三日", (2001,), "2001-10-23"),
        ("一年十月二十三日", (2020,), None),  # 2020 does not hold a 1
        ("一年十月二十三日", (2001, 2011), None),  # ambiguous
    ],
)
def test_truncated_year_completed_from_reference_years(text, years, value):
    found = find_dates(text, years=years)
    assert [d.value for d in found] == ([value] if value else [])
    assert all(d.repaired for d in found)


@pytest.mark.parametrize(
    "text, years, value",
    [
        ("于二七年四月十八日解除", (2007,), "2007-04-18"),  # 二〇〇七 with both 〇 lost, not 2027
        ("于二七年四月十八日解除", (), None),  # no year on the paper to say which: no date
        ("于二七年四月十八日解除", (2007, 2017), None),
    ],
)
def test_a_two_digit_year_in_the_future_lost_its_zeros(text, years, value):
    found = find_dates(text, years=years)
    assert [d.value for d in found] == ([value] if value else [])
    assert all(d.repaired for d in found)


def test_two_digit_years_that_can_be_shorthand_stay_shorthand():
    assert [(d.value, d.repaired) for d in find_dates("九七年七月、〇三年九月", years=(2007,))] == [
        ("1997-07", False),
        ("2003-09", False),
    ]


def test_three_arabic_digits_before_nian_are_a_year_that_lost_its_first_digit():
    # the 1 under the seal, and the 日 with it: "992年3月7"
    assert [(d.value, d.repaired) for d in find_dates("992年3月7")] == [("1992-03-07", True)]
    assert [d.value for d in find_dates("工作年限为8年7个月")] == []  # a duration, not a date


def test_full_years_are_not_repaired():
    assert [(d.value, d.repaired) for d in find_dates("一九八八年十二月、〇一年九月八日", years=(2001,))] == [
        ("1988-12", False),
        ("2001-09-08", False),
    ]


# ---- month ranges (所属期间) ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["1997年1月至1997年9月", "1997年1月—9月", "1997年1月至9月", "1997.01-1997.09", "199701-199709",
     "一九九七年一月至九月", "1997年1月 至 1997年 9月"],
)
def test_month_ranges(text):
    from extract.normalize.dates import parse_month_range

    assert parse_month_range(text)[0] == "1997-01/1997-09"


def test_month_range_spans_and_refusals():
    from extract.normalize.dates import parse_month_range

    assert parse_month_range("所属期间：1997年1月至1997年9月  标准：每人每月90元") == ("1997-01/1997-09", 5, 20)
    assert parse_month_range("1997年9月")[0] == "1997-09/1997-09"  # one month
    assert parse_month_range("1997年9月至1月") is None  # the end before the start
    assert parse_month_range("九月") is None


def test_a_dotted_date_that_lost_its_first_dot_is_read_as_repaired():
    [d] = find_dates("199911.12")
    assert (d.value, d.repaired) == ("1999-11-12", True)
    assert [x.value for x in find_dates("200102-200505")] == ["2001-02", "2005-05"]  # a period stays two months
