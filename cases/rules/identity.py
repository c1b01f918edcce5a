"""Identity: names, ID numbers, birth month and gender against the ID number, anachronistic ID
numbers (docs/rules.md#identity-and-matching, T-13)."""
from __future__ import annotations

from core.codes import DocType, FlagCode, Severity
from core.types import EvidenceRef, RuleFlag
from extract.normalize.idnumbers import (
    birth_month,
    canonical_id,
    clean_id,
    digits_apart,
    gender_from_id,
    id_problem,
    to_legacy,
)
from extract.normalize.names import normalize_name

from cases.corroborate import MISREAD_DIGITS
from cases.facts import DocumentFacts, month_index
from cases.names import aliases, name_relation
from cases.rules.context import MESSAGES, CaseContext, doc_ref, doubtful_difference

_GENDER = {"男": "male", "女": "female", "male": "male", "female": "female"}
_GENDER_ZH = {"male": "男", "female": "女"}
# A recorded 曾用名 explains the difference but a reviewer still looks (ID-05: E→W).
_NAME_SEVERITY = {"homophone": Severity.WARNING, "different": Severity.ERROR, "alias": Severity.WARNING}


def former_names(ctx: CaseContext) -> tuple[str, ...]:
    """The roster's 曾用名 column and every 曾用名 a household-register page of the case records."""
    found = [normalize_name(doc.value("former_name")) for doc in ctx.docs if doc.doc_type == DocType.ID_CARD]
    return aliases(ctx.entry.attributes) + tuple(n for n in found if n)


def name_mismatches(ctx: CaseContext) -> list[RuleFlag]:
    flags = []
    former = former_names(ctx)
    for doc in ctx.docs:
        doc_name = doc.value("name")
        if doc_name is None:
            continue
        relation = name_relation(doc_name, ctx.entry.name, former)
        if relation == "same":
            continue
        severity, chars = _NAME_SEVERITY[relation], ""
        if relation == "different":
            chars = doubtful_difference(doc, "name", ctx.entry.name, lambda a, b: name_relation(a, b, former) == "same")
            if chars:
                relation, severity = "doubtful", Severity.INFO
            elif _one_character_lost(normalize_name(doc_name), normalize_name(ctx.entry.name)):
                relation, severity = "incomplete", Severity.INFO
        flags.append(
            RuleFlag(
                code=FlagCode.NAME_MISMATCH,
                severity=severity,
                message=MESSAGES[f"name_mismatch/{relation}"].format(
                    doc=doc_ref(doc), doc_name=doc_name, roster_name=ctx.entry.name, chars=chars
                ),
                evidence=(EvidenceRef(doc.id, "name"),),
            )
        )
    return flags


def _one_character_lost(read: str, roster: str) -> bool:
    """The roster's name read with its first or last character lost (a glyph the OCR did not
    detect): 志立 for 毛志立. A different person's name is not the roster's minus one end."""
    return len(read) >= 2 and len(roster) == len(read) + 1 and read in (roster[1:], roster[:-1])


def invalid_id_numbers(ctx: CaseContext) -> list[RuleFlag]:
    flags = []
    for doc in ctx.docs:
        value = doc.value("id_number")
        if value is None or canonical_id(value) is not None:
            continue
        if _incomplete_reading(clean_id(value), ctx.entry.id_number):
            severity, message = Severity.INFO, MESSAGES["invalid_id_number/incomplete"].format(doc=doc_ref(doc), value=value)
        elif chars := _doubtful_id(ctx, doc):
            severity, message = Severity.INFO, MESSAGES["id_number/doubtful"].format(doc=doc_ref(doc), value=value, chars=chars)
        elif doc.doc_type == DocType.ID_CARD and _near_own(clean_id(value), ctx.entry.id_number):
            severity, message = Severity.INFO, MESSAGES["invalid_id_number/card"].format(doc=doc_ref(doc), value=value)
        else:
            severity = Severity.ERROR
            message = MESSAGES["invalid_id_number"].format(doc=doc_ref(doc), value=value, problem=id_problem(value))
        flags.append(RuleFlag(code=FlagCode.INVALID_ID_NUMBER, severity=severity, message=message, evidence=(EvidenceRef(doc.id, "id_number"),)))
    return flags


# OCR loses digits of a long number (a worn first digit, a check character under a seal, a
# digit the recogniser skipped in the middle); a clerk's slip changes one. Fourteen digits in
# order are no chance agreement.
INCOMPLETE_MIN_DIGITS = 14


def _incomplete_reading(number: str, case_id: str) -> bool:
    """The number is the case's own read with digits missing anywhere (15 of 18 read as a legacy
    number that fails), none changed: its digits occur in the case's number in order."""
    remaining = iter(case_id)
    return INCOMPLETE_MIN_DIGITS <= len(number) < len(case_id) and all(d in remaining for d in number)


def _near_own(number: str, case_id: str) -> bool:
    """An invalid number on a 居民身份证 within MISREAD_DIGITS of the case's own (its legacy form
    for a 15-digit card): worn numbers misread in one to three digits. The police issue cards
    from the national register, whose numbers always pass the check (GB 11643): an invalid one
    is the engine's misreading, not the card's."""
    apart = digits_apart(number, case_id if len(number) == len(case_id) else to_legacy(case_id))
    return apart is not None and apart <= MISREAD_DIGITS


def _doubtful_id(ctx: CaseContext, doc: DocumentFacts) -> str:
    """The digits the OCR read unsure when they alone make the document's number differ from the
    case's: a worn digit is a reading to check against the scan, not a wrong number on the paper
    (the same measure as for names and dates, cases/rules/context.doubtful_difference). A legacy
    number's check character was computed, not read: only its 17 digits are compared."""
    digits = 17 if len(_printed(doc)) == 15 else 18
    return doubtful_difference(
        doc, "id_number", ctx.entry.id_number, lambda a, b: clean_id(a)[:digits] == b[:digits]) or ""


def _printed(doc: DocumentFacts) -> str:
    """The number as the document prints it (a legacy 15-digit one before its conversion)."""
    f = doc.fields.get("id_number")
    return clean_id(f.raw) if f is not None else ""


def _legacy_slip(ctx: CaseContext, doc: DocumentFacts) -> bool:
    """A 15-digit number one digit from the case's own legacy form (no century, no check
    character). It has no check character, so a misread digit converts to another valid 18-digit
    number instead of failing; on a document linked by its name and facts, one digit off is a
    reading or a clerk's slip, not another person's paper."""
    printed, own = _printed(doc), ctx.entry.id_number
    return len(printed) == 15 and len(own) == 18 and digits_apart(printed, to_legacy(own)) == 1


def id_mismatches(ctx: CaseContext) -> list[RuleFlag]:
    flags = []
    for doc in ctx.docs:
        value = doc.value("id_number")
        number = canonical_id(value)
        if number is None or number == ctx.entry.id_number:
            continue
        if chars := _doubtful_id(ctx, doc):
            severity, message = Severity.INFO, MESSAGES["id_number/doubtful"].format(doc=doc_ref(doc), value=value, chars=chars)
        elif _legacy_slip(ctx, doc):
            severity, message = Severity.INFO, MESSAGES["id_mismatch/legacy_slip"].format(
                doc=doc_ref(doc), value=_printed(doc), legacy=to_legacy(ctx.entry.id_number))
        else:
            severity = Severity.ERROR
            message = MESSAGES["id_mismatch"].format(doc=doc_ref(doc), value=clean_id(value), case_id=ctx.entry.id_number)
        flags.append(RuleFlag(code=FlagCode.ID_MISMATCH, severity=severity, message=message,
                              evidence=(EvidenceRef(doc.id, "id_number"),)))
    return flags


def birth_date_mismatches(ctx: CaseContext) -> list[RuleFlag]:
    id_birth = birth_month(ctx.entry.id_number)
    flags = []
    for doc in ctx.docs:
        value = doc.value("birth_date")
        month = month_index(value)
        if id_birth is None or month is None or month == month_index(id_birth):
            continue
        facts = {"doc": doc_ref(doc), "doc_birth": value, "id_birth": id_birth}
        if chars := doubtful_difference(doc, "birth_date", id_birth, lambda a, b: month_index(a) == month_index(b)):
            severity, message = Severity.INFO, MESSAGES["birth_date_mismatch/doubtful"].format(chars=chars, **facts)
        else:
            severity, message = Severity.WARNING, MESSAGES["birth_date_mismatch"].format(**facts)
        flags.append(RuleFlag(code=FlagCode.BIRTH_DATE_MISMATCH, severity=severity, message=message,
                              evidence=(EvidenceRef(doc.id, "birth_date"),)))
    return flags


def gender_mismatches(ctx: CaseContext) -> list[RuleFlag]:
    id_gender = gender_from_id(ctx.entry.id_number)
    flags = []
    for doc in ctx.docs:
        gender = _GENDER.get((doc.value("gender") or "").strip())
        if id_gender is None or gender is None or gender == id_gender:
            continue
        flags.append(
            RuleFlag(
                code=FlagCode.GENDER_MISMATCH,
                severity=Severity.ERROR,
                message=MESSAGES["gender_mismatch"].format(
                    doc=doc_ref(doc), doc_gender=_GENDER_ZH[gender], id_gender=_GENDER_ZH[id_gender]
                ),
                evidence=(EvidenceRef(doc.id, "gender"),),
            )
        )
    return flags


# The date that places each document in time (its issue date when it has one).
_DOCUMENT_DATE = {"enlistment": "enlistment_date", "discharge": "discharge_date", "placement": "placement_date",
                  "termination": "termination_date"}


def anachronistic_ids(ctx: CaseContext) -> list[RuleFlag]:
    cutoff = month_index(ctx.options.eighteen_digit_ids_from)
    flags = []
    for doc in ctx.docs:
        field = doc.fields.get("id_number")
        date = doc.value("issue_date") or doc.value(_DOCUMENT_DATE.get(doc.doc_type, "issue_date"))
        month = month_index(date)
        if field is None or month is None or month >= cutoff or len(clean_id(field.raw)) != 18:
            continue
        flags.append(
            RuleFlag(
                code=FlagCode.ANACHRONISM_ID,
                severity=Severity.WARNING,
                message=MESSAGES["anachronism_id"].format(doc=doc_ref(doc), date=date),
                evidence=(EvidenceRef(doc.id, "id_number"),),
            )
        )
    return flags


def military_statuses(ctx: CaseContext) -> list[RuleFlag]:
    """ID-08: the household register's 兵役状况 says the veteran left the army; another value is
    noted (registers are often not updated)."""
    return [
        RuleFlag(
            FlagCode.MILITARY_STATUS, Severity.INFO,
            MESSAGES["military_status"].format(doc=doc_ref(doc), status=doc.value("military_status")),
            evidence=(EvidenceRef(doc.id, "military_status"),),
        )
        for doc in ctx.docs
        if doc.value("military_status") not in (None, "退出现役")
    ]
