"""The evidence for each fact (docs/rules.md#minimum-evidence): every required document type is
present, or the case says what may stand in for it; a fact proven only by a substitute, or by
nothing, is noted with what proves it or what to bring."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from core.codes import DocType, FlagCode, Severity
from core.types import EvidenceRef, RuleFlag

from cases.facts import DocumentFacts
from cases.rules.context import MESSAGES, CaseContext
from cases.rules.placement import is_stub, roster_arranged
from cases.rules.timeline import paid_period

# What in the case file proves a fact: (in words, the field it rests on or None for the roster).
Found = tuple[str, EvidenceRef | None]
Finder = Callable[[CaseContext], list[Found]]


def _docs(label: str, field: str, test: Callable[[DocumentFacts], bool]) -> Finder:
    return lambda ctx: [(f"{label}（文件 {d.id}）", EvidenceRef(d.id, field)) for d in ctx.docs if test(d)]


@dataclass(frozen=True)
class EvidenceFact:
    """One fact of the minimum-evidence table: the document that proves it and what may stand in for it."""

    fact_zh: str
    required_type: DocType | None  # the document type whose absence missing_document reports
    primary_zh: str
    primary: Callable[[DocumentFacts], bool]
    substitutes: tuple[Finder, ...]
    options_zh: str  # what the veteran may bring instead (the 一次性告知 list)


EVIDENCE_FACTS: tuple[EvidenceFact, ...] = (
    EvidenceFact(
        "身份", DocType.ID_CARD, "居民身份证", lambda d: d.doc_type == DocType.ID_CARD, (),
        "公安机关出具的户籍证明",
    ),
    EvidenceFact(
        "入伍时间", DocType.ENLISTMENT, "入伍批准书或入伍登记表", lambda d: d.doc_type == DocType.ENLISTMENT,
        (_docs("退出现役材料所载入伍时间", "enlistment_date", lambda d: d.doc_type == DocType.DISCHARGE and bool(d.value("enlistment_date"))),),
        "入伍批准书、入伍登记表、入伍通知书或退伍证",
    ),
    EvidenceFact(
        "退出现役时间", DocType.DISCHARGE, "退出现役登记表或退伍证", lambda d: d.doc_type == DocType.DISCHARGE, (),
        "退出现役登记表、退伍证或安置部门出具的档案证明",
    ),
    EvidenceFact(
        "政府安排工作及待安置结束时间", DocType.PLACEMENT, "安置介绍信",
        lambda d: d.doc_type == DocType.PLACEMENT and not is_stub(d),
        (
            _docs("安置介绍信存根", "placement_date", is_stub),
            _docs("待安置生活补助发放表", "paid_period", lambda d: paid_period(d) is not None),
            _docs("退出现役材料所载安置方式“安排工作”", "placement_method", lambda d: d.value("placement_method") == "arranged_job"),
            roster_arranged,
            _docs("单位证明所载报到时间（较弱）", "report_date", lambda d: d.doc_type == DocType.TERMINATION and bool(d.value("report_date"))),
        ),
        "安置介绍信存根、安置计划或花名册、待安置生活补助发放表、接收单位证明及人事档案记载",
    ),
    EvidenceFact(
        "解除（终止）劳动合同时间及原因", DocType.TERMINATION, "解除（终止）劳动合同证明书",
        lambda d: d.doc_type == DocType.TERMINATION, (),
        "解除（终止）劳动合同证明书、企业破产或改制文件、原单位出具的证明",
    ),
    EvidenceFact(
        "无排除情形（无犯罪记录）", None, "无犯罪记录证明", lambda d: d.doc_type == DocType.POLITICAL_REVIEW,
        (),
        "公安机关出具的无犯罪记录证明",
    ),
    EvidenceFact(
        "参保缴费情况", None, "参保缴费明细", lambda d: d.doc_type == DocType.CONTRIBUTION, (),
        "社保、医保经办机构出具的缴费明细或养老保险手册",
    ),
)


def missing_documents(ctx: CaseContext) -> list[RuleFlag]:
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
                doc_type_zh=DocType(t).zh, found="；".join(found), fact_zh=fact.fact_zh
            )
        elif fact:
            message = MESSAGES["missing_document/options"].format(doc_type_zh=DocType(t).zh, substitutes=fact.options_zh)
        else:
            message = MESSAGES["missing_document"].format(doc_type_zh=DocType(t).zh)
        flags.append(RuleFlag(code=FlagCode.MISSING_DOCUMENT, severity=Severity.ERROR, message=message, doc_type=t))
    return flags


def fact_evidence(ctx: CaseContext) -> list[RuleFlag]:
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
        flags.append(RuleFlag(code=FlagCode.FACT_EVIDENCE, severity=Severity.INFO, message=message, evidence=evidence))
    return flags
