"""Typed values shared by every stage of the domain core.

Nothing here imports Django or Celery; stages exchange these dataclasses only.
"""
from core.types import (  # noqa: F401
    DOC_TYPES,
    FIELD_NAMES,
    TERMINATION_REASONS,
    DISQUALIFYING_REASONS,
    BBox,
    Word,
    Line,
    PageText,
    PageClass,
    ExtractedField,
    EvidenceRef,
    RuleFlag,
)
from core.errors import CasefileError, InputError  # noqa: F401
