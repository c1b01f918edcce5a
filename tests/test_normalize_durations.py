"""Stated lengths of service (docs/documents.md#durations) → ISO 8601 durations, as stated."""
import pytest

from extract.normalize.durations import find_durations, parse_duration


@pytest.mark.parametrize(
    "text, value",
    [
        ("3年", "P3Y"),
        ("叁年", "P3Y"),
        ("三年", "P3Y"),
        ("5年9个月", "P5Y9M"),
        ("五年零九个月", "P5Y9M"),
        ("69个月", "P69M"),
        ("六十九个月", "P69M"),
        ("军龄12年", "P12Y"),
        ("拾贰年", "P12Y"),  # the fixture generator's financial numerals
        ("拾年", "P10Y"),
        ("十二年", "P12Y"),
        ("两年半", "P2Y6M"),
        ("3 年", "P3Y"),
        ("１２年", "P12Y"),  # full-width digits
        ("服役年限：叁年（1993.12-1996.12）", "P3Y"),
    ],
)
def test_stated_lengths(text, value):
    found = parse_duration(text)
    assert found is not None and found.value == value


@pytest.mark.parametrize("text", ["1996年12月", "96年12月", "一九九六年十二月", "1996年", "0年", "100年", "三", "个月", ""])
def test_dates_and_impossible_lengths_are_not_durations(text):
    assert parse_duration(text) is None


def test_months_and_span():
    found = parse_duration("兵龄 5年9个月")
    assert found.months == 69 and found.raw == "5年9个月" and (found.start, found.end) == (3, 8)
    assert parse_duration("叁年").months == 36
    assert parse_duration("69个月").months == 69


def test_every_form_the_fixture_generator_prints():
    # fixtures/generator/docs_common.years_text: f"{y}年", financial upper case, han_number
    upper = "零壹贰叁肆伍陆柒捌玖"
    han = "零一二三四五六七八九"
    for years in range(1, 20):
        fin = ("拾" + (upper[years - 10] if years > 10 else "")) if years >= 10 else upper[years]
        plain = han[years] if years < 10 else ("十" + (han[years - 10] if years > 10 else ""))
        for text in (f"{years}年", f"{fin}年", f"{plain}年"):
            assert parse_duration(text).value == f"P{years}Y", text


def test_several_lengths_in_one_text():
    assert [d.value for d in find_durations("服役年限 3年，其中士官 2年6个月")] == ["P3Y", "P2Y6M"]
