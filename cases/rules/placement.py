"""The placement and the employer (docs/rules.md#placement-and-employer): the letter's unit is the
employer, the stub agrees with its letter, the 安置方式 is an arranged job and no one-off
self-employment grant contradicts it."""
from __future__ import annotations

from core.codes import DocType, FlagCode, Severity
from core.labels import PLACEMENT_METHOD_ZH
from core.types import EvidenceRef, RuleFlag
from extract.normalize.units import lost_character, read_without_start, same_unit, unit_key

from cases.facts import DocumentFacts, month_index, month_str
from cases.rules.context import MESSAGES, CaseContext, doubtful_difference


def roster_arranged(ctx: CaseContext) -> list[tuple[str, None]]:
    """The roster's 安置方式 when it says the job was arranged (安排, 分配): a claim of an arranged job."""
    method = ctx.entry.attributes.get("安置方式", "")
    return [(f"花名册安置方式“{method}”", None)] if "安排" in method or "分配" in method else []


def is_stub(d: DocumentFacts) -> bool:
    """A placement letter's 存根 on its own."""
    return d.doc_type == DocType.PLACEMENT and d.value("placement_form") == "stub"


def unit_mismatch(ctx: CaseContext) -> list[RuleFlag]:
    """U-01: the letter's unit is the employer; a rename the termination document itself states
    (former_employer), or one registered in RuleOptions.renamed_units, softens the difference."""
    letters = [d for d in ctx.docs if d.doc_type == DocType.PLACEMENT and d.value("placement_unit")]
    endings = [d for d in ctx.docs if d.doc_type == DocType.TERMINATION and d.value("employer")]
    flags = []
    for letter in letters[:1]:
        for ended in endings:
            placed, employer = letter.value("placement_unit"), ended.value("employer")
            if same_unit(placed, employer):
                continue
            former = ended.value("former_employer")
            registered = any(
                {unit_key(a), unit_key(b)} == {unit_key(placed), unit_key(employer)} for a, b in ctx.options.renamed_units
            )
            evidence = (EvidenceRef(letter.id, "placement_unit"), EvidenceRef(ended.id, "employer"))
            doubtful = doubtful_difference(letter, "placement_unit", employer, same_unit, ended, "employer")
            succession = succession_in_record(ctx, placed, employer)
            if registered:
                severity, note = Severity.INFO, "（已登记为同一单位的更名或改制）"
            elif succession:
                record, month = succession
                severity = Severity.INFO
                note = f"，缴费记录（文件 {record}）显示 {month} 起由“{employer}”接续缴费，为更名或改制后的同一单位"
                evidence += (EvidenceRef(record, "contributions"),)
            elif doubtful:
                severity, note = Severity.INFO, f"，但仅差识别不确定的“{doubtful}”字，可能为识别误差，请对照扫描件核对"
            elif lost := lost_character(employer, placed) or lost_character(placed, employer):
                severity, note = Severity.INFO, f"，但仅差一个“{lost}”字，可能是识别时缺漏，请对照扫描件核对"
            elif read_without_start(employer, placed) or read_without_start(placed, employer):
                severity, note = Severity.INFO, "，但一方只识别出另一方名称的后半部分（印章遮挡或识别残缺），请对照扫描件核对"
            elif former and same_unit(placed, former):
                severity, note = Severity.WARNING, f"，但该证明载明用人单位原名“{former}”（更名或改制），请核对改制证明"
                evidence += (EvidenceRef(ended.id, "former_employer"),)
            else:
                severity, note = Severity.ERROR, "，如单位已更名或改制请补充证明"
            flags.append(
                RuleFlag(
                    code=FlagCode.UNIT_MISMATCH,
                    severity=severity,
                    message=MESSAGES["unit_mismatch"].format(
                        letter=letter.id, placed=placed, ended=ended.id, employer=employer, note=note
                    ),
                    evidence=evidence,
                )
            )
    return flags


def succession_in_record(ctx: CaseContext, placed: str, employer: str) -> tuple[str, str] | None:
    """(record, first month) when a contribution record of the case shows the employer paying on
    from the month after the placement unit's last row (a gap of at most one month): the social
    insurance agency's own record of a rename or restructuring (docs/documents.md#unit-names)."""
    for d in ctx.docs:
        rows = sorted(
            (r for r in d.contributions if r.unit and month_index(r.start) is not None),
            key=lambda r: month_index(r.start),
        )
        for before, after in zip(rows, rows[1:]):
            last = month_index(before.end) or month_index(before.start)
            gap = month_index(after.start) - last - 1
            if 0 <= gap <= 1 and same_unit(before.unit, placed) and same_unit(after.unit, employer):
                return d.id, month_str(month_index(after.start))
    return None


_STUB_PARTS = (
    ("letter_serial", "letter_serial", "编号"),
    ("name", "name", "姓名"),
    ("placement_unit", "stub_placement_unit", "前往单位"),
    ("placement_date", "stub_placement_date", "开具日期"),
)


def _differ(field: str, a: str, b: str) -> bool:
    if field.endswith("unit"):
        return not same_unit(a, b)
    if field.endswith("date"):
        n = min(len(a), len(b))  # a day-level date against a month-level one: compare the months
        return a[:n] != b[:n]
    return a != b


def stub_mismatch(ctx: CaseContext) -> list[RuleFlag]:
    """U-03: a letter and its 存根 agree on serial, name, unit and date — whether the two halves
    are one scanned sheet (the stub's values in stub_* fields) or two documents."""
    flags = []

    def compare(letter: DocumentFacts, letter_field: str, stub: DocumentFacts, stub_field: str, part_zh: str) -> None:
        a, b = letter.value(letter_field), stub.value(stub_field)
        if a and b and _differ(letter_field, a, b):
            doubtful = doubtful_difference(letter, letter_field, b, lambda x, y: not _differ(letter_field, x, y), stub, stub_field)
            # a unit's glyph the OCR did not detect
            lost = letter_field.endswith("unit") and (lost_character(a, b) or lost_character(b, a))
            if doubtful:
                severity, key, chars = Severity.INFO, "stub_mismatch/doubtful", doubtful
            elif lost:
                severity, key, chars = Severity.INFO, "stub_mismatch/lost", lost
            else:
                severity, key, chars = Severity.ERROR, "stub_mismatch", None
            message = MESSAGES[key].format(
                letter=letter.id, stub=stub.id, part_zh=part_zh, letter_value=a, stub_value=b, chars=chars
            )
            flags.append(RuleFlag(FlagCode.STUB_MISMATCH, severity, message, evidence=(EvidenceRef(letter.id, letter_field), EvidenceRef(stub.id, stub_field))))

    placements = [d for d in ctx.docs if d.doc_type == DocType.PLACEMENT]
    for sheet in (d for d in placements if d.value("placement_form") == "letter_with_stub"):
        for letter_field, stub_field, part_zh in _STUB_PARTS[2:]:
            compare(sheet, letter_field, sheet, stub_field, part_zh)
    letters = [d for d in placements if d.value("placement_form") in ("letter", "letter_with_stub")]
    for stub in (d for d in placements if d.value("placement_form") == "stub"):
        for letter in letters:
            for field, _, part_zh in _STUB_PARTS:  # a stub on its own holds its values in the ordinary fields
                compare(letter, field, stub, field, part_zh)
    return flags


_OUT_OF_SCOPE = ("self_employed", "returned_home", "retired")


def placement_methods(ctx: CaseContext) -> list[RuleFlag]:
    """U-04: the 安置方式 on the discharge papers is a government-arranged job."""
    return [
        RuleFlag(
            FlagCode.PLACEMENT_METHOD,
            Severity.ERROR,
            MESSAGES["placement_method"].format(doc=d.id, method_zh=PLACEMENT_METHOD_ZH[d.value("placement_method")]),
            evidence=(EvidenceRef(d.id, "placement_method"),),
        )
        for d in ctx.docs
        if d.value("placement_method") in _OUT_OF_SCOPE
    ]


def self_employment_grants(ctx: CaseContext) -> list[RuleFlag]:
    """U-05: a one-off 自谋职业/自主就业 grant paid to this veteran contradicts a claim of a
    government-arranged job (a letter, the discharge papers' 安置方式 or the roster's)."""
    grants = [d for d in ctx.docs if d.doc_type == DocType.SUBSIDY_VOUCHER and d.value("payment_kind") == "self_employment_grant"]
    if not grants:
        return []
    claims = [f"安置介绍信（文件 {d.id}）" for d in ctx.docs if d.doc_type == DocType.PLACEMENT]
    claims += [f"退出现役材料的安置方式（文件 {d.id}）" for d in ctx.docs if d.value("placement_method") == "arranged_job"]
    claims += [text for text, _ in roster_arranged(ctx)]
    if not claims:
        return []
    return [
        RuleFlag(
            FlagCode.SELF_EMPLOYMENT_GRANT,
            Severity.ERROR,
            MESSAGES["self_employment_grant"].format(doc=g.id, claim="、".join(claims)),
            evidence=(EvidenceRef(g.id, "payment_kind"),),
        )
        for g in grants
    ]
