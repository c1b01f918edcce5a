"""Resident ID numbers: checksum via stdnum, 15→18, OCR-confusion repair only when unique."""
import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from extract.normalize.idnumbers import (
    birth_date_from_id,
    birth_month,
    canonical_id,
    clean_id,
    find_id_numbers,
    from_legacy,
    gender_from_id,
    id_problem,
    is_valid_id,
    normalize_id,
)

CASE_A = "360899197503141518"
CASE_A_LEGACY = "360899750314151"
SAMPLE_IDS = [CASE_A, "360899197608220933", "360899197801053014", "360899197206114572", "360899199709181135"]


@pytest.mark.parametrize("number", SAMPLE_IDS)
def test_domain_samples_are_valid(number):
    ident = normalize_id(number)
    assert (ident.value, ident.valid, ident.legacy, ident.repaired) == (number, True, False, False)


def test_fictitious_region_is_accepted():
    # stdnum's own validate() rejects the invented 360899 county (and crashes on it); we don't use it.
    with pytest.raises(Exception):  # python-stdnum 2.2: KeyError for region 360899
        ric.is_valid(CASE_A)
    assert is_valid_id(CASE_A)
    assert is_valid_id(" 3608 9919 7503 1415 18 ")
    assert not is_valid_id("360899199709181136")  # wrong check char
    assert not is_valid_id("960899197503141518") and not is_valid_id(None)


def test_clean_id():
    assert clean_id(" ３６０８-９９１９.7503_1415·1x ") == "36089919750314151X"
    assert clean_id(None) == ""


@pytest.mark.parametrize(
    "raw, expected",
    [
        (CASE_A, CASE_A),
        (CASE_A_LEGACY, CASE_A),  # legacy 15 digits (Case E, docs/documents.md#the-sample-cases)
        ("３６０８９９１９７５０３１４１５１８", CASE_A),  # full-width
        ("360899197503141519", None),  # checksum
        ("360899197513141515", None),  # month 13
        ("36O899197503141518", None),  # strict: OCR repairs are normalize_id's business only
        ("960899750314151", None),  # legacy number with a region starting with 9
        ("36089919750314", None),
        ("", None),
    ],
)
def test_canonical_id_is_strict(raw, expected):
    assert canonical_id(raw) == expected


@pytest.mark.parametrize(
    "raw, problem",
    [
        ("360899197503141519", "校验位错误"),
        ("3608991975031415", "应为18位（或旧15位），实为16位"),
        ("", "应为18位（或旧15位），实为0位"),
        ("360899751314151", "旧15位号码的地区码或出生日期无效"),
        ("36089975031415A", "含非数字字符"),
        ("36089919750314151A", "含非数字字符"),
        ("060899197503141518", "地区码无效"),
        ("360899197513141515", "出生日期无效"),
    ],
)
def test_id_problem_words_for_clerks(raw, problem):
    assert id_problem(raw) == problem


def test_legacy_15_digits_become_18():
    ident = normalize_id(CASE_A_LEGACY)
    assert (ident.value, ident.valid, ident.legacy) == (CASE_A, True, True)
    assert from_legacy(CASE_A_LEGACY) == CASE_A


def test_spaces_fullwidth_and_lowercase_x():
    assert normalize_id("3608 9919 7503 1415 18").value == CASE_A
    assert normalize_id("３６０８９９１９７５０３１４１５１８").value == CASE_A
    number = next(n for s in range(1000) if (n := _make("110101", datetime.date(1980, 1, 1), s)).endswith("X"))
    ident = normalize_id(number[:-1] + "x")
    assert (ident.value, ident.valid, ident.repaired) == (number, True, False)


def test_birth_date_and_gender():
    assert birth_date_from_id(CASE_A) == "1975-03-14"
    assert gender_from_id(CASE_A) == "male"
    assert gender_from_id("360899197704042022") == "female"
    assert birth_date_from_id(CASE_A_LEGACY) == "1975-03-14"
    assert birth_month(CASE_A) == birth_month(CASE_A_LEGACY) == "1975-03"
    assert birth_month("360899197503141519") == "1975-03"  # the date is readable despite the checksum
    assert birth_month("360899197513141515") is None
    assert gender_from_id(CASE_A_LEGACY) == "male"
    ident = normalize_id(CASE_A)
    assert (ident.birth_date, ident.gender) == ("1975-03-14", "male")


@pytest.mark.parametrize(
    "misread",
    ["36O899197503141518", "360899197503141S18", "3608991975O314I518", "360899197503l41518", "360B99197503141518"],
)
def test_ocr_confusions_are_repaired(misread):
    ident = normalize_id(misread)
    assert (ident.value, ident.valid, ident.repaired, ident.raw) == (CASE_A, True, True, misread)


def test_check_char_confusions():
    number = next(n for s in range(1000) if (n := _make("110101", datetime.date(1980, 1, 1), s)).endswith("X"))
    for misread in (number[:-1] + "K", number[:-1] + "×"):
        ident = normalize_id(misread)
        assert (ident.value, ident.valid, ident.repaired) == (number, True, True)


def test_wrong_digit_is_never_corrected():
    ident = normalize_id("360899197503141519")
    assert (ident.value, ident.valid, ident.repaired) == ("360899197503141519", False, False)


def test_repair_that_does_not_pass_is_refused():
    # S → 5 gives a number that fails the checksum: reported as read, invalid
    ident = normalize_id("360899197503141S19")
    assert (ident.value, ident.valid) == ("360899197503141S19", False)


def test_ambiguous_repair_is_refused():
    # A table where "?" may be any digit: one unknown position is decided by the checksum
    # (at most one of the ten digits passes), two unknown positions are ambiguous.
    anything = {"?": tuple("0123456789")}
    one = normalize_id("3608991975031415?8", confusions=anything)
    assert (one.value, one.valid, one.repaired) == (CASE_A, True, True)
    two = normalize_id("36089919750314?5?8", confusions=anything)
    assert (two.value, two.valid, two.repaired) == ("36089919750314?5?8", False, False)


def test_bad_lengths_and_dates():
    assert normalize_id("36089919750314151").valid is False  # 17 chars
    assert normalize_id("360899751314151").valid is False  # month 13
    assert normalize_id("").valid is False


def test_find_in_text():
    text = "周立新 同志（公民身份号码：３６０８９９１９７５０３１４１５１８）：电话 13912345678"
    [ident] = find_id_numbers(text)
    assert ident.value == CASE_A and ident.valid
    assert text[ident.start:ident.end] == ident.raw


def test_find_spaced_groups_and_legacy_in_a_row():
    [a] = find_id_numbers("公民身份号码 3608 9919 7503 1415 18")
    assert a.value == CASE_A and a.raw == "3608 9919 7503 1415 18"
    [b] = find_id_numbers("1 周立新 360899750314151 1996.12 9 810.00")
    assert (b.value, b.legacy, b.raw) == (CASE_A, True, CASE_A_LEGACY)
    [c] = find_id_numbers("360899750314151 123")  # a 15-digit number next to a short one
    assert c.value == CASE_A


def test_find_reports_invalid_numbers_as_read():
    [ident] = find_id_numbers("身份证号 360899197503141519")
    assert (ident.value, ident.valid) == ("360899197503141519", False)


def test_find_ignores_other_numbers():
    assert find_id_numbers("No 0961283 电话13912345678 金额 810.00 19921205") == []


# ---- round trips --------------------------------------------------------------------------


def _make(region: str, born: datetime.date, seq: int) -> str:
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


regions = st.integers(110000, 659999).map(str)
births = st.dates(datetime.date(1900, 1, 1), datetime.date(2015, 12, 31))
CONFUSABLE = {"0": "OD", "1": "Il", "5": "S", "8": "B"}


@settings(max_examples=100, deadline=None)
@given(regions, births, st.integers(0, 999))
def test_round_trip_18(region, born, seq):
    number = _make(region, born, seq)
    for text in (number, number.lower(), " ".join([number[:6], number[6:14], number[14:]])):
        ident = normalize_id(text)
        assert (ident.value, ident.valid, ident.repaired) == (number, True, False)
    assert birth_date_from_id(number) == born.isoformat()
    assert gender_from_id(number) == ("male" if seq % 2 else "female")
    [found] = find_id_numbers(f"公民身份号码：{number[:4]} {number[4:8]} {number[8:12]} {number[12:16]} {number[16:]}")
    assert found.value == number


@settings(max_examples=100, deadline=None)
@given(regions, st.dates(datetime.date(1900, 1, 1), datetime.date(1999, 12, 31)), st.integers(0, 999))
def test_round_trip_15_to_18(region, born, seq):
    legacy = f"{region}{born:%y%m%d}{seq:03d}"
    ident = normalize_id(legacy)
    assert ident.valid and ident.legacy
    assert ident.value == _make(region, born, seq)


@settings(max_examples=100, deadline=None)
@given(regions, births, st.integers(0, 999), st.data())
def test_single_confusion_is_repaired_back(region, born, seq, data):
    number = _make(region, born, seq)
    positions = [i for i, c in enumerate(number[:17]) if c in CONFUSABLE]
    if not positions:
        return
    i = data.draw(st.sampled_from(positions))
    letter = data.draw(st.sampled_from(CONFUSABLE[number[i]]))
    misread = number[:i] + letter + number[i + 1:]
    ident = normalize_id(misread)
    assert (ident.value, ident.valid, ident.repaired, ident.raw) == (number, True, True, misread)


def test_log_lines_and_tracebacks_never_carry_an_id_number():
    import logging

    from core.privacy import MaskIdNumbers, mask_ids_in_text

    assert mask_ids_in_text("id=360899197503141518, old=360899750314151, 20261129") == (
        "id=3608**********1518, old=3608*******4151, 20261129"
    )
    record = logging.LogRecord("casefile", logging.ERROR, __file__, 1, "case %s failed", ("36089919750314151X",), None)
    try:
        raise ValueError("bad value 360899197503141518")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    MaskIdNumbers().filter(record)
    text = logging.Formatter().format(record)
    assert "3608**********151X" in text and "3608**********1518" in text
    assert "197503141518" not in text
