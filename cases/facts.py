"""What the case stage knows about one document, and month arithmetic on its dates."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace

from core.types import ExtractedField
from extract.normalize.dates import parse_date


@dataclass(frozen=True)
class DocumentFacts:
    """One finalized document: its id, type and extracted fields (keyed by field name).

    file: an opaque key of the scanned file the document was split from (documents of one PDF
    share it); None when unknown. rows: for a list of several veterans (待安置生活补助费发放花名册),
    one dict of fields per row (name, id_number, discharge_date); empty for ordinary documents.
    """

    id: str
    doc_type: str
    fields: dict[str, ExtractedField] = field(default_factory=dict)
    file: str | None = None
    rows: tuple[dict[str, ExtractedField], ...] = ()
    contributions: tuple[dict, ...] = ()  # a contribution record's period rows (extract.contributions)

    def for_row(self, index: int) -> "DocumentFacts":
        """The document as one row: same id, type and file, the row's fields only, no rows.
        This is what the linker matched (Link.row) and what that case should evaluate."""
        return replace(self, fields=dict(self.rows[index]), rows=())

    def value(self, name: str) -> str | None:
        """The field's value, or None when the field is absent or blank."""
        f = self.fields.get(name)
        if f is None or not str(f.value).strip():
            return None
        return str(f.value).strip()

    def confidence(self, name: str) -> float:
        f = self.fields.get(name)
        return f.confidence if f is not None else 0.0


def month_index(value: object) -> int | None:
    """year*12 + month (month 1..12), or None when there is no month in the value.

    Text goes through extract.normalize.dates.parse_date, so roster cells may be as free as
    documents (1975.3, 1975年3月, 1975/03/14, 197503, 一九七五年三月, 75.3); extracted values are
    already YYYY-MM[-DD]. A year alone is not a month."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.year * 12 + value.month
    if value is None:
        return None
    found = parse_date(str(value))
    return found.year * 12 + found.month if found else None


def month_str(index: int) -> str:
    """Inverse of month_index: 'YYYY-MM'."""
    year, month0 = divmod(index - 1, 12)
    return f"{year:04d}-{month0 + 1:02d}"
