"""ID numbers as the case stage reads them (checksum and date; the region is not looked up)."""
from __future__ import annotations

import pytest
from stdnum.cn import ric

from cases import birth_month, canonical_id, is_valid_id, mask_id
from cases.ids import id_problem

ZHOU = "360899197503141518"


def test_fictitious_county_numbers_are_valid_although_stdnum_cannot_place_them():
    with pytest.raises(Exception):  # python-stdnum 2.2: KeyError for region 360899
        ric.is_valid(ZHOU)
    assert is_valid_id(ZHOU)
    assert not is_valid_id("360899199709181136")  # wrong check char
    assert is_valid_id(" 3608 9919 7503 1415 18 ")


@pytest.mark.parametrize(
    "raw, expected",
    [
        (ZHOU, ZHOU),
        ("360899750314151", ZHOU),  # legacy 15 digits (domain.md §5 Case E)
        ("３６０８９９１９７５０３１４１５１８", ZHOU),  # full-width
        ("360899197503141519", None),  # checksum
        ("360899197513141515", None),  # month 13
        ("36089919750314", None),
        ("", None),
    ],
)
def test_canonical_id(raw, expected):
    assert canonical_id(raw) == expected


def test_birth_month_problem_words_and_mask():
    assert birth_month(ZHOU) == "1975-03"
    assert id_problem("360899197503141519") == "校验位错误"
    assert id_problem("3608991975031415") == "应为18位（或旧15位），实为16位"
    assert mask_id(ZHOU) == "3608**********1518"
