"""ID numbers as the case stage reads them: the strict rules of extract.normalize.idnumbers
(checksum and date; the region is not looked up; no OCR repair), re-exported by `cases`."""
from __future__ import annotations

import pytest
from stdnum.cn import ric

import cases
from core.privacy import mask_id
from extract.normalize import idnumbers

ZHOU = "360899197503141518"


def test_cases_reexports_the_single_implementation():
    assert cases.canonical_id is idnumbers.canonical_id
    assert cases.is_valid_id is idnumbers.is_valid_id
    assert cases.birth_month is idnumbers.birth_month
    assert not hasattr(cases, "mask_id")  # masking has one home: core.privacy


def test_fictitious_county_numbers_are_valid_although_stdnum_cannot_place_them():
    with pytest.raises(Exception):  # python-stdnum 2.2: KeyError for region 360899
        ric.is_valid(ZHOU)
    assert cases.is_valid_id(ZHOU)
    assert not cases.is_valid_id("360899199709181136")  # wrong check char
    assert cases.is_valid_id(" 3608 9919 7503 1415 18 ")


@pytest.mark.parametrize(
    "raw, expected",
    [
        (ZHOU, ZHOU),
        ("360899750314151", ZHOU),  # legacy 15 digits (Case E, docs/documents.md#the-sample-cases)
        ("３６０８９９１９７５０３１４１５１８", ZHOU),  # full-width
        ("360899197503141519", None),  # checksum
        ("360899197513141515", None),  # month 13
        ("36O899197503141518", None),  # OCR look-alike: the case stage never repairs
        ("36089919750314", None),
        ("", None),
        (None, None),
    ],
)
def test_canonical_id(raw, expected):
    assert cases.canonical_id(raw) == expected


def test_birth_month_and_roster_masking():
    assert cases.birth_month(ZHOU) == "1975-03"
    assert cases.birth_month("360899750314151") == "1975-03"
    assert mask_id(ZHOU) == "3608**********1518"
