"""Entry point: extract_fields(doc_type, [(page number, PageText)]) → {field name: ExtractedField}.

Each document type has a module in extract/doctypes/ with the fields that belong to it; other
fields are never returned for that type. A field is left out when no valid value was found
(an ID number that fails every check is still returned, as read, with low confidence).
Confidences are calibrated (extract/calibration.py): the probability that the value is right.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from core.types import ExtractedField, PageText

from extract.calibration import FieldCalibration, default_calibration
from extract.document import DocText
from extract.doubt import with_doubt
from extract.lexicon import Lexicon, using
from extract.doctypes import contribution, discharge, enlistment, id_card, other, placement, rows, simple, termination

Extractor = Callable[[DocText], dict[str, ExtractedField]]

EXTRACTORS: dict[str, tuple[tuple[str, ...], Extractor]] = {
    "enlistment": (enlistment.FIELDS, enlistment.extract),
    "discharge": (discharge.FIELDS, discharge.extract),
    "placement": (placement.FIELDS, placement.extract),
    "termination": (termination.FIELDS, termination.extract),
    "id_card": (id_card.FIELDS, id_card.extract),
    "contribution": (contribution.FIELDS, contribution.extract),
    "subsidy_voucher": (simple.SUBSIDY_FIELDS, simple.extract_subsidy),
    "political_review": (simple.REVIEW_FIELDS, simple.extract_review),
    "other": (other.FIELDS, other.extract),
}

FIELDS_BY_TYPE: dict[str, tuple[str, ...]] = {t: f for t, (f, _) in EXTRACTORS.items()}


# Document types that list several people, one per table row.
ROW_TYPES = frozenset({"subsidy_voucher"})


def extract_fields(doc_type: str, pages: list[tuple[int, PageText]],
                   calibration: FieldCalibration | None = None, learned: Lexicon | None = None,
                   ) -> dict[str, ExtractedField]:
    """`learned`: labels a workspace's reviewers taught (extract/lexicon.py)."""
    entry = EXTRACTORS.get(doc_type)
    if entry is None or not pages:
        return {}
    allowed, extractor = entry
    with using(learned):  # DocText finds its labels with the learned ones
        doc = DocText(pages)
        found = extractor(doc)
    found = with_doubt(doc, {name: f for name, f in found.items() if name in allowed})
    return _calibrated(found, calibration)


def _calibrated(found: dict[str, ExtractedField], calibration: FieldCalibration | None) -> dict[str, ExtractedField]:
    calibrate = calibration or default_calibration()
    return {name: replace(f, confidence=calibrate(name, f.confidence)) for name, f in found.items()}


def extract_rows(doc_type: str, pages: list[tuple[int, PageText]],
                 learned: Lexicon | None = None) -> list[dict[str, ExtractedField]]:
    """For list documents (ROW_TYPES): {name, id_number} of every person row, in table order.
    Empty for other types, or when no 姓名 column header is found."""
    if doc_type not in ROW_TYPES or not pages:
        return []
    with using(learned):
        return [_calibrated(row, None) for row in rows.person_rows(DocText(pages))]
