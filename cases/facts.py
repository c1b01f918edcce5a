"""What the case stage knows about one document, and month arithmetic on its dates."""
from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from core.types import ExtractedField


@dataclass(frozen=True)
class DocumentFacts:
    """One finalized document: its id, type and extracted fields (keyed by field name)."""

    id: str
    doc_type: str
    fields: dict[str, ExtractedField] = field(default_factory=dict)

    def value(self, name: str) -> str | None:
        """The field's value, or None when the field is absent or blank."""
        f = self.fields.get(name)
        if f is None or not str(f.value).strip():
            return None
        return str(f.value).strip()

    def confidence(self, name: str) -> float:
        f = self.fields.get(name)
        return f.confidence if f is not None else 0.0


# Month-precision dates. Extraction normalises to YYYY-MM[-DD]; roster cells are freer
# (1975.3, 1975年3月, 1975/03/14, 197503, datetime).
_MONTH = re.compile(r"^\s*(\d{4})\s*(?:[-./年]\s*(\d{1,2})(?!\d)|(\d{2})(?:\d{2})?(?!\d))")


def month_index(value: object) -> int | None:
    """year*12 + month (month 1..12), or None when there is no month in the value."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.year * 12 + value.month
    if value is None:
        return None
    m = _MONTH.match(unicodedata.normalize("NFKC", str(value)))
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2) or m.group(3))
    if not 1 <= month <= 12:
        return None
    return year * 12 + month


def month_str(index: int) -> str:
    """Inverse of month_index: 'YYYY-MM'."""
    year, month0 = divmod(index - 1, 12)
    return f"{year:04d}-{month0 + 1:02d}"
