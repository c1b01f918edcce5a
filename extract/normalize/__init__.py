"""Normalisers for values read off evidence pages: dates, ID numbers, names, units, reasons.

Plain functions over strings; no OCR geometry here (see extract/ for that).
"""
from extract.normalize.dates import DateMatch, find_dates, parse_date
from extract.normalize.idnumbers import (
    IdNumber,
    birth_date_from_id,
    birth_month,
    canonical_id,
    clean_id,
    find_id_numbers,
    gender_from_id,
    id_problem,
    is_valid_id,
    normalize_id,
)
from extract.normalize.names import name_similarity, normalize_name, same_name, sound_keys
from extract.normalize.reasons import classify_reason, reason_hits
from extract.normalize.units import normalize_unit, same_unit, service_unit, unit_key

__all__ = [
    "DateMatch",
    "IdNumber",
    "birth_date_from_id",
    "birth_month",
    "canonical_id",
    "classify_reason",
    "clean_id",
    "find_dates",
    "find_id_numbers",
    "gender_from_id",
    "id_problem",
    "is_valid_id",
    "name_similarity",
    "normalize_id",
    "normalize_name",
    "normalize_unit",
    "parse_date",
    "reason_hits",
    "same_name",
    "same_unit",
    "service_unit",
    "sound_keys",
    "unit_key",
]
