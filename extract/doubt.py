"""Reading doubt: which characters of a name, unit, date or ID number the OCR engine was unsure of, and
whether two values differ only there (docs/findings.md#reading-doubt).

A misread character (氨 for 氮, 具 for 县, 奋 for 春) makes two documents of one person look
inconsistent. The engine knows when it guesses: RapidOCR gives each character its own
confidence (digits too, ocr/engines/rapid.py), and misread Han characters sit far below the crisp
print around them (0.49–0.67 against ≥ 0.99 on the development corpora). An evidence rule must not raise an error on a character the machine
could not read; it says instead that the reading is in doubt, and names it, so the reviewer looks
at the scan (cases/rules: name_mismatch, unit_mismatch, stub_mismatch, service_dates,
birth_date_mismatch, invalid_id_number, id_mismatch), and a
case's key date is not chosen from an unsure reading when a sure one disagrees (cases/periods.py).

- doubtful_positions(doc, field): positions in `field.value` whose characters were read below
  DOUBTFUL_CHAR; () when the engine gave no per-character confidences (tesseract), or when the
  value's characters cannot all be found in the text read.
- against_serial(value, year): the one year digit of an issue date (ISSUE_DATES) that differs
  from the document's serial year: doubtful too, though the engine read it crisply.
- reading_reconciles(a, a_doubt, b, b_doubt): `a` with every character that differs from `b` at a
  doubtful position (on either side) replaced by b's — the value `a` would be if the doubtful
  reading were b's — and those unsure characters as read; None when no difference is doubtful.
  The caller compares the result as it compares any two values (same_unit, same_name): the
  other differences still count.
"""
from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher

from core.types import ExtractedField

from extract.document import DocText, TLine
from extract.normalize.text import nfkc
from extract.prose import reference_years

# Below this the engine is guessing: its misreads on the development pages scored 0.49–0.67,
# its right readings of the same fonts ≥ 0.9 (a char at 0.8–0.9 is rare either way).
DOUBTFUL_CHAR = 0.8
# More doubtful differences than this share of the value is not one misread but another value.
MAX_DOUBTFUL_SHARE = 0.34

# The dates a document is issued on, whose year its serial number repeats.
ISSUE_DATES = frozenset({"placement_date", "stub_placement_date", "issue_date"})

TEXT_FIELDS = frozenset({
    "name", "former_name", "placement_unit", "stub_placement_unit", "employer", "former_employer",
    "issuer", "service_unit",
})


def carries_doubt(name: str) -> bool:
    """Names, units, dates and ID numbers: the values the consistency rules compare between
    documents and with the roster. An ID number's unsure digits are kept like a name's unsure
    characters: a rule softens its error only when they alone make the number differ from the
    case's own, and the number itself is never changed (docs/findings.md#reading-doubt)."""
    return name in TEXT_FIELDS or name.endswith("_date") or name == "id_number"


def with_doubt(doc: DocText, found: dict[str, ExtractedField]) -> dict[str, ExtractedField]:
    """The fields, names, units and dates among them carrying their doubtful positions."""
    serial_years = reference_years(doc)
    out = {}
    for name, f in found.items():
        doubt = doubtful_positions(doc, f) if carries_doubt(name) else ()
        if name in ISSUE_DATES and len(serial_years) == 1:
            doubt = tuple(sorted(set(doubt) | set(against_serial(f.value, serial_years[0]))))
        out[name] = replace(f, doubtful=doubt) if doubt else f
    return out


def against_serial(value: str, serial_year: int) -> tuple[int, ...]:
    """The year digit of an issue date that alone differs from its document's serial year. A
    serial number (梅民安字〔2001〕第167号) is numbered within the year of issue, so one digit
    against it is as likely the engine's misreading (二〇〇一 read 二〇〇二 at 0.95) as the
    paper's; the reviewer is shown that digit instead of an error between letter and stub."""
    differing = [i for i, (a, b) in enumerate(zip(value[:4], f"{serial_year:04d}")) if a != b]
    return tuple(differing) if len(differing) == 1 else ()


def doubtful_positions(doc: DocText, field: ExtractedField) -> tuple[int, ...]:
    tl = _line_of(doc, field)
    if tl is None:
        return ()
    confidences = tl.char_confidences(field.raw)
    if confidences is None:
        return ()
    chars = "".join(nfkc(c) for c in field.raw if not c.isspace())
    if len(chars) != len(confidences):
        return ()
    if field.name.endswith("_date") or field.name == "id_number":
        # A date is written anew ("1991.12.25" → 1991-12-25, "94年3月" → 1994-03), and so is a
        # legacy 15-digit number (its century and check character added): the characters the
        # normalising wrote were never read and carry no doubt; the read ones are found by
        # aligning the two.
        matcher = SequenceMatcher(None, field.value, chars, autojunk=False)
        pairs = [(a + k, b + k) for a, b, size in matcher.get_matching_blocks() for k in range(size)]
    else:
        # The value is the raw text normalised, with a label's residue or a seal mark dropped:
        # each of its characters is found in order, or the value is not this text's.
        pairs, at = [], 0
        for i, ch in enumerate(field.value):
            j = chars.find(ch, at)
            if j < 0:
                return ()
            pairs.append((i, j))
            at = j + 1
    return tuple(i for i, j in pairs if confidences[j] < DOUBTFUL_CHAR)


def _line_of(doc: DocText, field: ExtractedField) -> TLine | None:
    for tl in doc.lines:
        if tl.page == field.page and tuple(tl.src_bbox) == tuple(field.bbox) and field.raw in tl.line.text:
            return tl
    return None


def reading_reconciles(
    a: str, a_doubt: tuple[int, ...], b: str, b_doubt: tuple[int, ...] = ()
) -> tuple[str, str] | None:
    """(a read as b where a doubtful character differs, the unsure characters as read), or None."""
    if not (a_doubt or b_doubt) or not a or not b:
        return None
    doubtful_a, doubtful_b = set(a_doubt), set(b_doubt)
    out, unsure = [], []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        same_length = i2 - i1 == j2 - j1
        if op == "replace" and same_length and all(
            i1 + k in doubtful_a or j1 + k in doubtful_b for k in range(i2 - i1)
        ):
            out.append(b[j1:j2])
            unsure += [a[i1 + k] if i1 + k in doubtful_a else b[j1 + k] for k in range(i2 - i1)]
        else:
            out.append(a[i1:i2])
    if not unsure or len(unsure) > max(1, int(len(a) * MAX_DOUBTFUL_SHARE)):
        return None
    return "".join(out), "".join(unsure)
