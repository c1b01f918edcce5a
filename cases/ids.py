"""Citizen ID numbers (公民身份号码, GB 11643): canonical form, validity, birth month, masking.

Why not `stdnum.cn.ric.is_valid` alone: besides the checksum it looks the region code up in
stdnum's table of real counties. Our fictitious county 360899 (domain.md §5) is not in it, and
python-stdnum 2.2 even raises KeyError (not ValidationError) for such a code because its prefix
3608 exists. Counties are also renamed and merged over the decades our documents span. So a
number is valid here when it has 18 characters, 17 digits, a province code not starting with 0
or 9, a correct ISO 7064 MOD 11-2 check character (stdnum's `calc_check_digit`) and a real date
between 1890 and today in positions 7-14 — the same rules as extract/normalize/idnumbers.py.
"""
from __future__ import annotations

import datetime
import re
import unicodedata

from stdnum.cn import ric

_SPACES = re.compile(r"[\s\-]+")


def compact(raw: str | None) -> str:
    """NFKC (full-width digits), drop spaces/dashes, upper-case the check character."""
    if not raw:
        return ""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(raw))).upper()


def _birth_date(number18: str) -> datetime.date | None:
    """The encoded birth date when it is a real date between 1890 and today."""
    try:
        born = ric.get_birth_date(number18)
    except Exception:  # InvalidComponent, ValueError
        return None
    return born if datetime.date(1890, 1, 1) <= born <= datetime.date.today() else None


def is_valid_id(raw: str | None) -> bool:
    """18 characters, a real birth date and a correct check character."""
    number = compact(raw)
    if len(number) != 18 or not number[:17].isdigit() or number[17] not in "0123456789X":
        return False
    if number[0] in "09":  # no province code starts with 0 or 9
        return False
    if number[17] != ric.calc_check_digit(number):
        return False
    return _birth_date(number) is not None


def is_legacy_id(raw: str | None) -> bool:
    """A first-generation 15-digit number: region + YYMMDD + sequence, with a real date."""
    number = compact(raw)
    if len(number) != 15 or not number.isdigit() or number[0] in "09":
        return False
    return _birth_date(legacy_to_18(number)) is not None


def legacy_to_18(number15: str) -> str:
    """Insert the century 19 after the region code and append the check character."""
    body = number15[:6] + "19" + number15[6:]
    return body + ric.calc_check_digit(body + "0")


def canonical_id(raw: str | None) -> str | None:
    """The 18-char canonical number for a valid 18-char or legacy 15-digit input, else None."""
    number = compact(raw)
    if is_valid_id(number):
        return number
    if is_legacy_id(number):
        return legacy_to_18(number)
    return None


def id_problem(raw: str | None) -> str:
    """Why canonical_id() refused a number, in words for a clerk."""
    number = compact(raw)
    if len(number) not in (15, 18):
        return f"应为18位（或旧15位），实为{len(number)}位"
    if len(number) == 15:
        return "旧15位号码的地区码或出生日期无效" if number.isdigit() else "含非数字字符"
    if not number[:17].isdigit() or number[17] not in "0123456789X":
        return "含非数字字符"
    if number[0] in "09":
        return "地区码无效"
    if _birth_date(number) is None:
        return "出生日期无效"
    return "校验位错误"


def birth_month(number18: str) -> str | None:
    """'YYYY-MM' encoded in a canonical number."""
    born = _birth_date(number18)
    return f"{born.year:04d}-{born.month:02d}" if born else None


def mask_id(raw: str | None) -> str:
    """For logs: 360899197503141518 → 3608**********1518. Never log a number unmasked."""
    number = compact(raw)
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
