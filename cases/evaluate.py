"""Evaluating one case: its documents in, derived periods and flags out."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.types import DOC_TYPES, Flag

from cases.facts import DocumentFacts
from cases.monthsets import contribution_statuses, exclusion_month, month_sets, set_evidence
from cases.periods import best_dates, derive
from cases.roster import RosterEntry
from cases.rules import CaseContext, RuleOptions, run_rules
from cases.rules.context import REQUIRED_DOC_TYPES
from cases.rules.provisional import mark_provisional


class CaseOptions(BaseModel):
    """Policy switches that change results; closed to unknown keys (domain.md §1.4, §1.5, Q2)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    required_doc_types: tuple[str, ...] = Field(
        REQUIRED_DOC_TYPES,
        description="Document types a complete case file must contain; each absent one is a missing_document error.",
    )
    pending_start: Literal["after_discharge_month", "discharge_month"] = Field(
        "after_discharge_month",
        description="First month of the 待安置 period: the month after discharge (default) or the discharge month itself.",
    )
    pending_end: Literal["letter_month", "month_before_letter"] = Field(
        "letter_month",
        description="Last month of the 待安置 period: the month the 安置介绍信 was issued (default) or the month before.",
    )
    service_inclusive: bool = Field(
        False,
        description="Count service months inclusively (+1). Default: idx(discharge) − idx(enlistment).",
    )
    after_termination_until: str | None = Field(
        None,
        description="Last month (YYYY-MM, e.g. the application month) of the after-termination set A; "
        "None: A is not covered (programme coverage unknown, domain.md Q3 [R]).",
    )
    exclusion_scope: Literal["whole_case", "after_event"] = Field(
        "whole_case",
        description="An exclusion (自动离职, 除名, 开除, 判刑) excludes the whole case (default, with mandatory review) "
        "or only the months after the event (domain.md Q1 [R]).",
    )
    rules: RuleOptions = Field(RuleOptions(), description="Thresholds of the soft rules (cases/rules/context.py).")
    back_payment_includes_pending: bool = Field(
        False,
        description="Count unpaid pending-placement months as back-payment candidates (domain.md §1.6 formula) "
        "instead of reporting them apart as the government's share (§5.13 worked example).",
    )

    @field_validator("required_doc_types")
    @classmethod
    def _known_types(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [t for t in value if t not in DOC_TYPES]
        if unknown:
            raise ValueError(f"unknown document types: {unknown}")
        return value


@dataclass
class CaseResult:
    id_number: str
    name: str
    documents: list[str]
    derived: dict
    flags: list[Flag] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The case entry of the casefile.report/1 contract."""
        return {
            "id_number": self.id_number,
            "name": self.name,
            "documents": list(self.documents),
            "derived": self.derived,
            "flags": [f.to_dict() for f in self.flags],
        }


def evaluate_case(entry: RosterEntry, docs: list[DocumentFacts], options: CaseOptions | None = None) -> CaseResult:
    """Run every rule over the documents linked to this case (see link_documents)."""
    options = options or CaseOptions()
    dates = best_dates(docs)
    derived = derive(dates, options)
    pending = derived["pending_period"]
    sets = month_sets(
        dates,
        contribution_statuses(docs),
        pending_start=options.pending_start,
        pending_end=options.pending_end,
        service_inclusive=options.service_inclusive,
        after_termination_until=options.after_termination_until,
        back_payment_includes_pending=options.back_payment_includes_pending,
        exclusion=exclusion_month(docs),
        exclusion_scope=options.exclusion_scope,
    )
    ctx = CaseContext(
        entry=entry,
        docs=list(docs),
        dates=dates,
        options=options.rules,
        required_doc_types=options.required_doc_types,
        exclusion_scope=options.exclusion_scope,
        pending_months=derived["pending_placement_months"],
        pending_period=(pending["start"], pending["end"]) if pending else None,
        sets=sets,
    )
    return CaseResult(
        id_number=entry.id_number,
        name=entry.name,
        documents=[doc.id for doc in docs],
        derived=derived | {"periods": sets.to_dict(set_evidence(dates))},
        # One pass after every rule: a flag an uncertain, unconfirmed page may cause says so.
        flags=mark_provisional(run_rules(ctx), ctx.docs, options.rules),
    )
