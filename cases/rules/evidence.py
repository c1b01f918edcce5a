"""What the case file must hold and what it must not say (docs/rules.md#placement-and-employer
to docs/rules.md#minimum-evidence): the evidence
for each fact, the placement unit against the employer and the contribution record, the stub
against its letter, 安置方式 and one-off self-employment grants, excluding terminations, the
无犯罪记录证明's date, contributions paid twice or after the job ended."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from core.labels import DOC_TYPE_ZH, PLACEMENT_METHOD_ZH, REASON_ZH
from core.types import DISQUALIFYING_REASONS, Flag
from extract.normalize.units import same_unit, unit_key

from cases.facts import DocumentFacts, month_index, month_str
from cases.monthsets import PAID_STATUSES, ranges
from cases.rules.context import MESSAGES, CaseContext, doc_ref, doubtful_difference, ev
from cases.rules.timeline import paid_period

# ---- the evidence for each fact (docs/rules.md#minimum-evidence) ---------------------------------

# What in the case file proves a fact: (in words, the field it rests on or None for the roster).
Found = tuple[str, "dict | None"]
Finder = Callable[[CaseContext], list[Found]]


def _docs(label: str, field: str, test: Callable[[DocumentFacts], bool]) -> Finder:
    return lambda ctx: [(f"{label}（文件 {d.id}）", ev(d.id, field)) for d in ctx.docs if test(d)]


def _roster_arranged(ctx: CaseContext) -> list[Found]:
    method = ctx.entry.attributes.get("安置方式", "")
    return [(f"花名册安置方式“{method}”", None)] if "安排" in method or "分配" in method else []


def _is_stub(d: DocumentFacts) -> bool:
    return d.doc_type == "placement" and d.value("placement_form") == "stub"


@dataclass(frozen=True)
class EvidenceFact:
    """One fact of the minimum-evidence table: the document that proves it and what may stand in for it."""

    fact_zh: str
    required_type: str | None  # the document type whose absence missing_document reports
    primary_zh: str
    primary: Callable[[DocumentFacts], bool]
    substitutes: tuple[Finder, ...]
    options_zh: str  # what the veteran may bring instead (the 一次性告知 list)


EVIDENCE_FACTS: tuple[EvidenceFact, ...] = (
    EvidenceFact(
        "身份", "id_card", "居民身份证", lambda d: d.doc_type == "id_card", (),
        "公安机关出具的户籍证明",
    ),
    EvidenceFact(
        "入伍时间", "enlistment", "入伍批准书或入伍登记表", lambda d: d.doc_type == "enlistment",
        (_docs("退出现役材料所载入伍时间", "enlistment_date", lambda d: d.doc_type == "discharge" and bool(d.value("enlistment_date"))),),
        "入伍批准书、入伍登记表、入伍通知书或退伍证",
    ),
    EvidenceFact(
        "退出现役时间", "discharge", "退出现役登记表或退伍证", lambda d: d.doc_type == "discharge", (),
        "退出现役登记表、退伍证或安置部门出具的档案证明",
    ),
    EvidenceFact(
        "政府安排工作及待安置结束时间", "placement", "安置介绍信",
        lambda d: d.doc_type == "placement" and not _is_stub(d),
        (
            _docs("安置介绍信存根", "placement_date", _is_stub),
            _docs("待安置生活补助发放表", "paid_period", lambda d: paid_period(d) is not None),
            _docs("退出现役材料所载安置方式“安排工作”", "placement_method", lambda d: d.value("placement_method") == "arranged_job"),
            _roster_arranged,
            _docs("单位证明所载报到时间（较弱）", "report_date", lambda d: d.doc_type == "termination" and bool(d.value("report_date"))),
        ),
        "安置介绍信存根、安置计划或花名册、待安置生活补助发放表、接收单位证明及人事档案记载",
    ),
    EvidenceFact(
        "解除（终止）劳动合同时间及原因", "termination", "解除（终止）劳动合同证明书",
        lambda d: d.doc_type == "termination", (),
        "解除（终止）劳动合同证明书、企业破产或改制文件、原单位出具的证明",
    ),
    EvidenceFact(
        "无排除情形（无犯罪记录）", None, "无犯罪记录证明", lambda d: d.doc_type == "political_review",
        (),
        "公安机关出具的无犯罪记录证明",
    ),
    EvidenceFact(
        "参保缴费情况", None, "参保缴费明细", lambda d: d.doc_type == "contribution", (),
        "社保、医保经办机构出具的缴费明细或养老保险手册",
    ),
)


def missing_documents(ctx: CaseContext) -> list[Flag]:
    """D-06: every required document type is present; the message names what the case already
    holds that may stand in for it (minimum evidence), or what the veteran may bring instead."""
    present = {doc.doc_type for doc in ctx.docs}
    facts = {f.required_type: f for f in EVIDENCE_FACTS if f.required_type}
    flags = []
    for t in ctx.required_doc_types:
        if t in present:
            continue
        fact = facts.get(t)
        found = [text for find in fact.substitutes for text, _ in find(ctx)] if fact else []
        if found:
            message = MESSAGES["missing_document/substitute"].format(
                doc_type_zh=DOC_TYPE_ZH.get(t, t), found="；".join(found), fact_zh=fact.fact_zh
            )
        elif fact:
            message = MESSAGES["missing_document/options"].format(doc_type_zh=DOC_TYPE_ZH.get(t, t), substitutes=fact.options_zh)
        else:
            message = MESSAGES["missing_document"].format(doc_type_zh=DOC_TYPE_ZH.get(t, t))
        flags.append(Flag(code="missing_document", severity="error", message=message, doc_type=t))
    return flags


def fact_evidence(ctx: CaseContext) -> list[Flag]:
    """Minimum evidence: a fact proven only by a substitute (a stub for the lost letter) is noted with what
    proves it; a fact no document of a non-required type proves is noted with what to bring.
    A missing required type is missing_document's."""
    present = {doc.doc_type for doc in ctx.docs}
    flags = []
    for fact in EVIDENCE_FACTS:
        if any(fact.primary(d) for d in ctx.docs):
            continue
        if fact.required_type and fact.required_type not in present:
            continue
        found = [item for find in fact.substitutes for item in find(ctx)]
        evidence = tuple(e for _, e in found if e is not None)
        if found:
            words = "；".join(text for text, _ in found)
            message = MESSAGES["fact_evidence/substitute"].format(fact_zh=fact.fact_zh, primary=fact.primary_zh, found=words)
        elif fact.required_type is None:
            message = MESSAGES["fact_evidence/none"].format(fact_zh=fact.fact_zh, options=fact.options_zh)
        else:
            continue
        flags.append(Flag(code="fact_evidence", severity="info", message=message, evidence=evidence))
    return flags


_SCOPE_ZH = {"whole_case": "按整案排除处理", "after_event": "该事件之后的月份不予补缴"}


def unit_mismatch(ctx: CaseContext) -> list[Flag]:
    """U-01: the letter's unit is the employer; a rename the termination document itself states
    (former_employer), or one registered in RuleOptions.renamed_units, softens the difference."""
    letters = [d for d in ctx.docs if d.doc_type == "placement" and d.value("placement_unit")]
    endings = [d for d in ctx.docs if d.doc_type == "termination" and d.value("employer")]
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
            evidence = (ev(letter.id, "placement_unit"), ev(ended.id, "employer"))
            doubtful = doubtful_difference(letter, "placement_unit", employer, same_unit, ended, "employer")
            succession = _succession(ctx, placed, employer)
            if registered:
                severity, note = "info", "（已登记为同一单位的更名或改制）"
            elif succession:
                record, month = succession
                severity = "info"
                note = f"，缴费记录（文件 {record}）显示 {month} 起由“{employer}”接续缴费，为更名或改制后的同一单位"
                evidence += ({"document": record, "field": "contributions"},)
            elif doubtful:
                severity, note = "info", f"，但仅差识别不确定的“{doubtful}”字，可能为识别误差，请对照扫描件核对"
            elif former and same_unit(placed, former):
                severity, note = "warning", f"，但该证明载明用人单位原名“{former}”（更名或改制），请核对改制证明"
                evidence += (ev(ended.id, "former_employer"),)
            else:
                severity, note = "error", "，如单位已更名或改制请补充证明"
            flags.append(
                Flag(
                    code="unit_mismatch",
                    severity=severity,
                    message=MESSAGES["unit_mismatch"].format(
                        letter=letter.id, placed=placed, ended=ended.id, employer=employer, note=note
                    ),
                    evidence=evidence,
                )
            )
    return flags


def _succession(ctx: CaseContext, placed: str, employer: str) -> tuple[str, str] | None:
    """(record, first month) when a contribution record of the case shows the employer paying on
    from the month after the placement unit's last row (a gap of at most one month): the social
    insurance agency's own record of a rename or restructuring (docs/documents.md#unit-names)."""
    for d in ctx.docs:
        rows = sorted(
            (r for r in d.contributions if r.get("unit") and month_index(r.get("start")) is not None),
            key=lambda r: month_index(r["start"]),
        )
        for before, after in zip(rows, rows[1:]):
            last = month_index(before.get("end")) or month_index(before["start"])
            gap = month_index(after["start"]) - last - 1
            if 0 <= gap <= 1 and same_unit(before["unit"], placed) and same_unit(after["unit"], employer):
                return d.id, month_str(month_index(after["start"]))
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


def stub_mismatch(ctx: CaseContext) -> list[Flag]:
    """U-03: a letter and its 存根 agree on serial, name, unit and date — whether the two halves
    are one scanned sheet (the stub's values in stub_* fields) or two documents."""
    flags = []

    def compare(letter: DocumentFacts, letter_field: str, stub: DocumentFacts, stub_field: str, part_zh: str) -> None:
        a, b = letter.value(letter_field), stub.value(stub_field)
        if a and b and _differ(letter_field, a, b):
            doubtful = None
            # names and units only: a stub's date is still compared as read, its digits' doubt
            # not yet weighed here as service_dates weighs it
            if not letter_field.endswith("date"):
                doubtful = doubtful_difference(letter, letter_field, b, lambda x, y: not _differ(letter_field, x, y), stub, stub_field)
            severity, key = ("info", "stub_mismatch/doubtful") if doubtful else ("error", "stub_mismatch")
            message = MESSAGES[key].format(
                letter=letter.id, stub=stub.id, part_zh=part_zh, letter_value=a, stub_value=b, chars=doubtful
            )
            flags.append(Flag("stub_mismatch", severity, message, evidence=(ev(letter.id, letter_field), ev(stub.id, stub_field))))

    placements = [d for d in ctx.docs if d.doc_type == "placement"]
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


def placement_methods(ctx: CaseContext) -> list[Flag]:
    """U-04: the 安置方式 on the discharge papers is a government-arranged job."""
    return [
        Flag(
            "placement_method",
            "error",
            MESSAGES["placement_method"].format(doc=d.id, method_zh=PLACEMENT_METHOD_ZH[d.value("placement_method")]),
            evidence=(ev(d.id, "placement_method"),),
        )
        for d in ctx.docs
        if d.value("placement_method") in _OUT_OF_SCOPE
    ]


def self_employment_grants(ctx: CaseContext) -> list[Flag]:
    """U-05: a one-off 自谋职业/自主就业 grant paid to this veteran contradicts a claim of a
    government-arranged job (a letter, the discharge papers' 安置方式 or the roster's)."""
    grants = [d for d in ctx.docs if d.doc_type == "subsidy_voucher" and d.value("payment_kind") == "self_employment_grant"]
    if not grants:
        return []
    claims = [f"安置介绍信（文件 {d.id}）" for d in ctx.docs if d.doc_type == "placement"]
    claims += [f"退出现役材料的安置方式（文件 {d.id}）" for d in ctx.docs if d.value("placement_method") == "arranged_job"]
    claims += [text for text, _ in _roster_arranged(ctx)]
    if not claims:
        return []
    return [
        Flag(
            "self_employment_grant",
            "error",
            MESSAGES["self_employment_grant"].format(doc=g.id, claim="、".join(claims)),
            evidence=(ev(g.id, "payment_kind"),),
        )
        for g in grants
    ]


def clean_record_dates(ctx: CaseContext) -> list[Flag]:
    """X-06: the 无犯罪记录证明 was issued after the job ended, so it covers the years after placement."""
    ended = ctx.dates.get("termination")
    if ended is None:
        return []
    flags = []
    for doc in ctx.docs:
        issued = month_index(doc.value("issue_date")) if doc.doc_type == "political_review" else None
        if issued is None or issued >= ended.month:
            continue
        message = MESSAGES["clean_record_date"].format(doc=doc.id, issued=doc.value("issue_date"), ended=month_str(ended.month))
        flags.append(Flag("clean_record_date", "warning", message, evidence=(ev(doc.id, "issue_date"), ended.evidence())))
    return flags


# ---- the contribution record (docs/rules.md#contributions) ---------------------------------------


def _paid_rows(ctx: CaseContext):
    """(document, row) for each paid, back-paid or deemed period row with a unit."""
    return [
        (d, row)
        for d in ctx.docs
        for row in d.contributions
        if row.get("unit") and row.get("status") in PAID_STATUSES and month_index(row.get("start")) is not None
    ]


def _months(row: dict) -> range:
    start, end = month_index(row["start"]), month_index(row.get("end")) or month_index(row["start"])
    return range(start, end + 1)


def _months_zh(months: frozenset[int]) -> str:
    return "、".join(f"{a}至{b}" if a != b else a for a, b in ranges(months))


def contribution_employer(ctx: CaseContext) -> list[Flag]:
    """U-02: during employment, the contribution record names the employer as 参保单位."""
    employment = ctx.sets.employment if ctx.sets else frozenset()
    rows = [(d, r) for d, r in _paid_rows(ctx) if employment & set(_months(r))]
    flags = []
    for ended in (d for d in ctx.docs if d.doc_type == "termination" and d.value("employer")):
        names = [ended.value("employer"), ended.value("former_employer")]
        # the employer's name before a rename the record itself shows is the employer too
        names += [d.value("placement_unit") for d in ctx.docs if d.doc_type == "placement" and d.value("placement_unit")
                  and _succession(ctx, d.value("placement_unit"), names[0])]
        if not rows or any(same_unit(name, r["unit"]) for name in names if name for _, r in rows):
            continue
        record = rows[0][0]
        units = "、".join(sorted({r["unit"] for _, r in rows}))
        message = MESSAGES["contribution_employer"].format(record=record.id, units=units, ended=ended.id, employer=names[0])
        flags.append(Flag("contribution_employer", "warning", message, evidence=(ev(ended.id, "employer"),)))
    return flags


def contribution_overlap(ctx: CaseContext) -> list[Flag]:
    """C-03: no month of one insurance is paid by two units."""
    by_month: dict[tuple[str, int], set[str]] = {}
    record = {}
    for d, row in _paid_rows(ctx):
        for m in _months(row):
            key = (row.get("insurance", "unknown"), m)
            by_month.setdefault(key, set()).add(unit_key(row["unit"]))
            record.setdefault(key, d.id)
    flags = []
    for insurance in sorted({k[0] for k in by_month}):
        twice = frozenset(m for (i, m), units in by_month.items() if i == insurance and len(units) > 1)
        if not twice:
            continue
        units = sorted({u for (i, m), us in by_month.items() if i == insurance and m in twice for u in us})
        months = _months_zh(twice)
        doc = record[(insurance, min(twice))]
        message = MESSAGES["contribution_overlap"].format(record=doc, months=months, units="、".join(units))
        flags.append(Flag("contribution_overlap", "warning", message, evidence=({"document": doc, "field": "contributions"},)))
    return flags


def contribution_after_termination(ctx: CaseContext) -> list[Flag]:
    """C-04: the employer stops paying with the month the job ended."""
    ended = ctx.dates.get("termination")
    if ended is None:
        return []
    employers = [d.value("employer") for d in ctx.docs if d.doc_type == "termination" and d.value("employer")]
    flags = []
    for d, row in _paid_rows(ctx):
        if row.get("status") == "deemed" or not any(same_unit(e, row["unit"]) for e in employers):
            continue
        late = frozenset(m for m in _months(row) if m > ended.month)
        if not late:
            continue
        months = _months_zh(late)
        message = MESSAGES["contribution_after_termination"].format(
            employer=row["unit"], ended=month_str(ended.month), months=months, record=d.id
        )
        flags.append(
            Flag("contribution_after_termination", "warning", message,
                 evidence=({"document": d.id, "field": "contributions"}, ended.evidence()))
        )
    return flags


def disqualifying_terminations(ctx: CaseContext) -> list[Flag]:
    """X-01, X-02; X-03 when the decision is an expulsion from the army (开除军籍) or dated in
    service; X-04 when dated in the pending period."""
    flags = []
    for doc in ctx.docs:
        reason = doc.value("termination_reason")
        if reason not in DISQUALIFYING_REASONS:
            continue
        when = doc.value("termination_date")
        discharged, month = ctx.dates.get("discharge"), month_index(when)
        before_discharge = discharged is not None and month is not None and month < discharged.month
        if "军籍" in (doc.fields["termination_reason"].raw or ""):
            reason_zh = "服役期间开除军籍"
        elif before_discharge:
            reason_zh = f"服役期间{REASON_ZH[reason]}"
        elif ctx.sets is not None and month in ctx.sets.pending:
            reason_zh = f"待安置期间{REASON_ZH[reason]}（未及安置）"
        else:
            reason_zh = REASON_ZH[reason]
        evidence = (ev(doc.id, "termination_reason"),) + ((ev(doc.id, "termination_date"),) if when else ())
        flags.append(
            Flag(
                code="disqualifying_termination",
                severity="error",
                message=MESSAGES["disqualifying_termination"].format(
                    doc=doc_ref(doc), reason_zh=reason_zh, when=f"（{when}）" if when else "",
                    scope=_SCOPE_ZH[ctx.exclusion_scope],
                ),
                evidence=evidence,
            )
        )
    return flags


_RESIGNATION = ("辞职", "辞退", "个人原因")


def resignations(ctx: CaseContext) -> list[Flag]:
    """X-05: a job that ended by 辞职/辞退 is eligible in principle, but the programme's treatment
    is unconfirmed (Q8, docs/programme.md#open-questions): a reviewer decides."""
    flags = []
    for doc in ctx.docs:
        f = doc.fields.get("termination_reason")
        if f is None or doc.value("termination_reason") != "other":
            continue
        word = next((w for w in _RESIGNATION if w in (f.raw or "")), None)
        if word:
            message = MESSAGES["resignation"].format(doc=doc_ref(doc), word=word)
            flags.append(Flag("resignation", "warning", message, evidence=(ev(doc.id, "termination_reason"),)))
    return flags


def contributions_before_service(ctx: CaseContext) -> list[Flag]:
    """C-06: contributions before enlistment come from a job before service; merging them is
    lawful, so this is only noted."""
    enlisted = ctx.dates.get("enlistment")
    if enlisted is None:
        return []
    early = sorted(
        (row["start"], d.id) for d in ctx.docs for row in d.contributions
        if (month_index(row.get("start")) or enlisted.month) < enlisted.month
    )
    if not early:
        return []
    start, record = early[0]
    message = MESSAGES["contribution_before_service"].format(start=start, record=record, enlisted=month_str(enlisted.month))
    return [Flag("contribution_before_service", "info", message, evidence=({"document": record, "field": "contributions"},))]
