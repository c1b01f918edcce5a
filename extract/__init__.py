"""Field extraction: per-type extractors over OCR lines, and value normalisers (extract.normalize).

    extract_fields(doc_type, [(page_number, PageText), ...]) -> {field name: ExtractedField}
    extract_rows(doc_type, pages) -> [{field name: ExtractedField}, ...]   # lists (payrolls):
                                                                          # name, id_number, discharge_date

EXTRACTOR_VERSION is stored with every field; bump it when rules change results.
"""
from extract.fields import FIELDS_BY_TYPE, ROW_TYPES, extract_fields, extract_rows

EXTRACTOR_VERSION = "extract/1.12"

__all__ = ["EXTRACTOR_VERSION", "FIELDS_BY_TYPE", "ROW_TYPES", "extract_fields", "extract_rows"]
