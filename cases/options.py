"""The policy switches of the case stage, closed to unknown keys: `CaseOptions` (periods, exclusion
scope, the required documents) and the thresholds of the soft rules it carries (`RuleOptions`).
A bureau sets them in its policy file (README "Policy"). Their own module, below everything that
reads them (cases/periods.py, cases/rules/, cases/evaluate.py), so none of those import another
to reach them."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.types import DOC_TYPES


# The document types a complete case file holds by default (CaseOptions.required_doc_types).
REQUIRED_DOC_TYPES = ("enlistment", "discharge", "placement", "termination", "id_card")


class RuleOptions(BaseModel):
    """The thresholds of the soft rules ([I] in docs/rules.md: configuration, CaseOptions.rules;
    a bureau sets them in its policy file, see README "Policy")."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enlistment_age: tuple[int, int] = (16, 24)  # T-01; 士官 direct recruits may be older
    pending_note_months: int = 6  # T-07: longer is noted (historically common)
    pending_review_months: int = 24  # T-07: longer needs review
    # U-01: units known to be one (更名/改制 with evidence on file): a difference is then only noted
    renamed_units: tuple[tuple[str, str], ...] = ()
    eighteen_digit_ids_from: str = "1999-01"  # T-13: 18-digit numbers on earlier documents are unusual
    # T-03: how far the stated 兵龄 may be from the computed service months
    service_tolerance_months: int = 1  # stated in months (P69M, P5Y9M)
    service_tolerance_years: int = 12  # stated in whole years (P3Y)
    # T-04: from this month on (2011 条例, in force 2011-11-01) an arranged job needs 12 years of service
    twelve_years_from: str = "2011-11"
    report_within_months: int = 1  # T-08: 上岗 at most this long after the letter (2011 条例 Art. 36)
    # T-13: issuer names and the year their kind of office was set up (docs/rules.md#timeline [I])
    issuer_since: tuple[tuple[str, int], ...] = (
        ("退役军人事务局", 2018), ("医疗保障局", 2018), ("人力资源和社会保障局", 2008),
    )
    today: str | None = None  # T-12: YYYY-MM-DD; None = the machine's date
    # Uncertainty (issue #10): a read below these that no reviewer has confirmed is uncertain.
    # Such a document heads the review queue as 类型待确认, and a flag that may rest on it is
    # provisional (cases/rules/provisional.py). Confidences are the classifier's / extractor's, 0..1.
    type_confidence_threshold: float = Field(0.8, ge=0.0, le=1.0)  # Document.doc_type_conf
    field_confidence_threshold: float = Field(0.9, ge=0.0, le=1.0)  # Field.confidence


class CaseOptions(BaseModel):
    """Policy switches that change results; closed to unknown keys (docs/periods.md; Q1–Q3 of docs/programme.md#open-questions)."""

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
        "None: A is not covered (programme coverage unknown, Q3 [R]).",
    )
    exclusion_scope: Literal["whole_case", "after_event"] = Field(
        "whole_case",
        description="An exclusion (自动离职, 除名, 开除, 判刑) excludes the whole case (default, with mandatory review) "
        "or only the months after the event (Q1 [R]).",
    )
    rules: RuleOptions = Field(RuleOptions(), description="Thresholds of the soft rules (RuleOptions).")
    back_payment_includes_pending: bool = Field(
        False,
        description="Count unpaid pending-placement months as back-payment candidates (the gap formula) "
        "instead of reporting them apart as the government's share (Case A's worked example).",
    )

    @field_validator("required_doc_types")
    @classmethod
    def _known_types(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [t for t in value if t not in DOC_TYPES]
        if unknown:
            raise ValueError(f"unknown document types: {unknown}")
        return value
