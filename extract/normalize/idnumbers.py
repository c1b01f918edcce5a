"""Resident ID numbers (公民身份号码, GB 11643, docs/documents.md#id-numbers): the one home for
their rules — cleaning, validity, legacy 15→18 conversion, birth date, gender, and the words that
tell a clerk why a number was refused. extract/ reads numbers off pages with these functions and
cases/ validates roster and document numbers with the same ones.

- 18 characters: 6-digit region + YYYYMMDD + 3-digit sequence (odd = male) + check char.
  The check char comes from `stdnum.cn.ric.calc_check_digit`. We do NOT call `ric.validate` /
  `ric.is_valid`: they also look the region up in stdnum's county table, which rejects the
  fictitious 360899 of our samples (and raises KeyError on it in python-stdnum 2.2, because its
  prefix 3608 exists) and would reject real counties renamed or merged since. We check format,
  province code (not starting with 0 or 9), checksum and birth date (1890-01-01 … today) only.
- 15 digits (legacy, before ~1999): region + YYMMDD + sequence; converted to 18 by inserting "19"
  and computing the check char. There is no checksum to confirm a 15-digit reading.
- Strict readers (`is_valid_id`, `canonical_id`, `id_problem`) take the number as written
  (after `clean_id`) and never repair it: the case stage uses them on roster cells and on values
  extraction has already read.
- `normalize_id` (OCR text): confusions (O/D→0, I/l→1, S→5, B→8, ×/K→X) are tried only when the
  number as read does not pass; a repair is accepted only when exactly one candidate passes.
  Otherwise the result is valid=False with the characters as read — never an invented number.
- A digit read as another digit is never "repaired" by the checksum, however unsure the engine
  was of it: a clerk's slip on the paper fails the checksum too, and RapidOCR reads such a digit
  faithfully at 0.75 as readily as it misreads a worn one at 0.98 (docs/findings.md#reading-doubt).
  The linker weighs a number one slip from a roster number instead (cases/corroborate.py).
"""
from __future__ import annotations

import datetime
import itertools
import re
from dataclasses import dataclass, replace
from typing import Literal, Mapping

from stdnum.cn import ric

from extract.normalize.dates import month_of
from extract.normalize.text import nfkc, nfkc_map

# What OCR printed → what the ID can have had there. Tuples so a table may list ambiguous
# readings (a repair must then still be unique).
DIGIT_CONFUSIONS: Mapping[str, tuple[str, ...]] = {
    "O": ("0",), "o": ("0",), "D": ("0",), "Q": ("0",), "〇": ("0",),
    "I": ("1",), "l": ("1",), "|": ("1",), "i": ("1",),
    "S": ("5",), "s": ("5",),
    "B": ("8",),
}
CHECK_CONFUSIONS: Mapping[str, tuple[str, ...]] = {"×": ("X",), "K": ("X",), "k": ("X",), "x": ("X",)}
MAX_AMBIGUOUS_POSITIONS = 4
EARLIEST_BIRTH = datetime.date(1890, 1, 1)

_SEPARATORS = re.compile(r"[\s\-_.·]+")
# Characters that may appear in an ID as OCR reads it.
_ID_CHARS = "0-9OoDQIl|iSsBXxKk×"
_TOKEN = re.compile(f"[{_ID_CHARS}]+")


@dataclass(frozen=True)
class IdNumber:
    value: str  # 18-char canonical number when valid; else the characters as read (cleaned)
    valid: bool
    legacy: bool  # read as a 15-digit number
    raw: str  # the text it came from
    repaired: bool = False  # OCR look-alike characters were replaced to make it valid
    start: int = -1  # span of `raw` in the searched text (find_id_numbers only)
    end: int = -1

    @property
    def birth_date(self) -> str | None:
        return birth_date_from_id(self.value) if self.valid else None

    @property
    def gender(self) -> Literal["male", "female"] | None:
        return gender_from_id(self.value) if self.valid else None


def clean_id(raw: str | None) -> str:
    """NFKC (full-width digits), drop spaces and separators (- _ . ·), upper-case a final x."""
    s = _SEPARATORS.sub("", nfkc(raw or ""))
    if s[-1:] == "x":
        s = s[:-1] + "X"
    return s


def check_char(first17: str) -> str:
    """GB 11643's check character (0-9 or X) of an ID number's first 17 digits."""
    return ric.calc_check_digit(first17 + "0")  # stdnum expects a placeholder check char


def _birth_date(number18: str) -> datetime.date | None:
    """The encoded birth date when it is a real date between 1890 and today."""
    try:
        born = ric.get_birth_date(number18)
    except Exception:  # noqa: BLE001 - stdnum raises its own ValidationError subclasses, ValueError
        return None
    return born if EARLIEST_BIRTH <= born <= datetime.date.today() else None


def _well_formed(number: str) -> bool:
    """18 chars: 17 digits + digit/X."""
    return len(number) == 18 and number[:17].isdigit() and (number[17].isdigit() or number[17] == "X")


def _valid18(number: str) -> bool:
    """is_valid_id for an already cleaned number (the repair loop calls this many times)."""
    if not _well_formed(number) or number[0] in "09":  # no province code starts with 0 or 9
        return False
    return number[17] == check_char(number[:17]) and _birth_date(number) is not None


def is_valid_id(raw: str | None) -> bool:
    """18 chars, 17 digits + digit/X, region not starting with 0/9, checksum and birth date OK."""
    return _valid18(clean_id(raw))


def from_legacy(number15: str) -> str | None:
    """15-digit legacy number → 18 chars, or None if it is not 15 digits with a valid birth date."""
    if len(number15) != 15 or not number15.isdigit() or number15[0] in "09":
        return None
    first17 = number15[:6] + "19" + number15[6:]
    full = first17 + check_char(first17)
    return full if _birth_date(full) else None


def to_legacy(number18: str) -> str:
    """The 15-digit form an 18-character number had before 1999: no century, no check character."""
    return number18[:6] + number18[8:17]


def digits_apart(a: str, b: str) -> int | None:
    """In how many places two numbers of one length differ (a misreading changes digits in place);
    None when their lengths differ."""
    return sum(x != y for x, y in zip(a, b)) if len(a) == len(b) else None


def canonical_id(raw: str | None) -> str | None:
    """The 18-char number for a valid 18-char or legacy 15-digit input, else None. No repairs."""
    number = clean_id(raw)
    return number if _valid18(number) else from_legacy(number)


def id_problem(raw: str | None) -> str:
    """Why canonical_id() refused a number, in words for a clerk."""
    number = clean_id(raw)
    if len(number) not in (15, 18):
        return f"应为18位（或旧15位），实为{len(number)}位"
    if len(number) == 15:
        return "旧15位号码的地区码或出生日期无效" if number.isdigit() else "含非数字字符"
    if not _well_formed(number):
        return "含非数字字符"
    if number[0] in "09":
        return "地区码无效"
    if _birth_date(number) is None:
        return "出生日期无效"
    return "校验位错误"


def birth_date_from_id(number: str | None) -> str | None:
    """'YYYY-MM-DD' from an 18-char number (or a 15-digit one), None if unreadable.
    The checksum is not required: a birth date is still readable from a mistyped number."""
    number = clean_id(number)
    if len(number) == 15:
        number = from_legacy(number) or ""
    born = _birth_date(number) if len(number) == 18 else None
    return born.isoformat() if born else None


def birth_month(number: str | None) -> str | None:
    """'YYYY-MM' encoded in the number (see birth_date_from_id)."""
    born = birth_date_from_id(number)
    return month_of(born) if born else None


def gender_from_id(number: str | None) -> Literal["male", "female"] | None:
    """17th char (15th for legacy numbers): odd = male, even = female."""
    number = clean_id(number)
    pos = 16 if len(number) == 18 else 14 if len(number) == 15 else None
    if pos is None or not number[pos].isdigit():
        return None
    return "male" if int(number[pos]) % 2 else "female"


def _repairs(s: str, confusions: Mapping[str, tuple[str, ...]], check: Mapping[str, tuple[str, ...]]):
    options: list[tuple[str, ...]] = []
    ambiguous = 0
    for i, ch in enumerate(s):
        last = i == len(s) - 1
        if ch.isdigit() or (last and ch == "X"):
            options.append((ch,))
            continue
        alts = tuple(dict.fromkeys((check.get(ch, ()) if last else ()) + confusions.get(ch, ())))
        if not alts:
            return []
        options.append(alts)
        ambiguous += 1
    if ambiguous == 0 or ambiguous > MAX_AMBIGUOUS_POSITIONS:
        return []
    return ["".join(p) for p in itertools.product(*options)]


def normalize_id(
    raw: str,
    *,
    confusions: Mapping[str, tuple[str, ...]] = DIGIT_CONFUSIONS,
    check_confusions: Mapping[str, tuple[str, ...]] = CHECK_CONFUSIONS,
) -> IdNumber:
    """Read one ID number; see the module docstring for the rules."""
    s = clean_id(raw)
    if _valid18(s):
        return IdNumber(s, True, False, raw)
    if len(s) == 15:
        if s.isdigit():
            full = from_legacy(s)
            return IdNumber(full, True, True, raw) if full else IdNumber(s, False, True, raw)
        passing = [c for c in _repairs(s, confusions, {}) if from_legacy(c)]
        if len(passing) == 1:
            return IdNumber(from_legacy(passing[0]) or "", True, True, raw, repaired=True)
        return IdNumber(s, False, True, raw)
    if len(s) == 18:
        passing = [c for c in _repairs(s, confusions, check_confusions) if _valid18(c)]
        if len(passing) == 1:
            return IdNumber(passing[0], True, False, raw, repaired=True)
    return IdNumber(s, False, False, raw)


def find_id_numbers(text: str) -> list[IdNumber]:
    """ID numbers in free text: 18 or 15 chars, possibly printed in spaced groups.

    Candidates are runs of digit-like characters; neighbouring runs separated by at most two
    spaces are joined while the total stays ≤ 18 (ID cards print `3608 9919 7503 1415 18`).
    When a run can be read as 15 or 18 chars, a valid reading wins, then the one with fewer
    joins. A candidate needs at least 13 real digits. Invalid candidates are returned too, with
    valid=False, so a misread number is still reported (as read)."""
    norm, idx = nfkc_map(text or "")
    tokens = list(_TOKEN.finditer(norm))
    found: list[IdNumber] = []
    i = 0
    while i < len(tokens):
        first = tokens[i]
        s = first.start()
        if not first.group()[0].isdigit() or (s > 0 and norm[s - 1].isascii() and norm[s - 1].isalnum()):
            i += 1
            continue
        options: list[tuple[int, IdNumber]] = []  # (index of last token, reading)
        total = 0
        for j in range(i, len(tokens)):
            if j > i:
                gap = norm[tokens[j - 1].end():tokens[j].start()]
                if not (1 <= len(gap) <= 2 and gap.isspace()):
                    break
            total += len(tokens[j].group())
            if total > 18:
                break
            e = tokens[j].end()
            followed = e < len(norm) and norm[e].isascii() and norm[e].isalnum()
            candidate = norm[s:e]
            if total in (15, 18) and not followed and sum(c.isdigit() for c in candidate) >= 13:
                options.append((j, normalize_id(candidate)))
        if not options:
            i += 1
            continue
        j, ident = max(options, key=lambda o: (o[1].valid, -(o[0] - i), len(o[1].value)))
        e = tokens[j].end()
        raw_s, raw_e = idx[s], idx[e]
        found.append(replace(ident, raw=text[raw_s:raw_e], start=raw_s, end=raw_e))
        i = j + 1
    return found
