"""What the case stage knows about one document, and month arithmetic on its dates."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from core.types import ExtractedField
from extract.contributions import ContributionPeriod
from extract.normalize.dates import month_index, month_str

__all__ = ["DocumentFacts", "month_index", "month_str"]  # the month arithmetic lives with the date parser


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
    contributions: tuple[ContributionPeriod, ...] = ()  # a contribution record's period rows
    # What the case stage needs to say a flag is provisional (cases/rules/provisional.py):
    pages: tuple[int, ...] = ()  # 1-based page numbers in the scanned file
    type_confidence: float | None = None  # the classifier's; None = unknown (not judged uncertain)
    # Other types the classifier thought likely (its runner-up), when stored; None = not stored,
    # so the document might be of any type other than its own.
    possible_types: tuple[str, ...] | None = None
    confirmed: bool = False  # a reviewer confirmed the whole document (its type and every field)
    reviewed_fields: frozenset[str] = frozenset()  # fields a reviewer confirmed or entered
    link_method: str = ""  # how the linker attached it (cases.corroborate.LinkMethod); "" not known

    def for_row(self, index: int) -> "DocumentFacts":
        """The document as one row: same id, type and file, no rows; the person fields are the
        row's, the list's own fields (所属期间, 款项, issuer) stay, as pipeline adopt_row keeps them.
        This is what the linker matched (Link.row) and what that case should evaluate."""
        person = {name for row in self.rows for name in row}
        whole_list = {name: f for name, f in self.fields.items() if name not in person}
        return replace(self, fields=whole_list | dict(self.rows[index]), rows=())

    def value(self, name: str) -> str | None:
        """The field's value, or None when the field is absent or blank."""
        f = self.fields.get(name)
        if f is None or not str(f.value).strip():
            return None
        return str(f.value).strip()

    def doubt(self, name: str) -> tuple[int, ...]:
        """Positions of the field's value the OCR read unsure (extract/doubt.py); none once a
        reviewer has confirmed the document or the field."""
        f = self.fields.get(name)
        if f is None or self.confirmed or name in self.reviewed_fields:
            return ()
        return f.doubtful

    def confidence(self, name: str) -> float:
        f = self.fields.get(name)
        return f.confidence if f is not None else 0.0
