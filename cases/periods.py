"""The case's key dates (one best value per fact) and how the periods are derived from them
(cases/derived.py works them out).

Best value per fact: several documents may state the same fact. Prefer the month more documents
agree on (two papers that say 1999-11 outvote one read as 1989-01: a misread year is far more
common than two papers repeating the same wrong date), then a month read without doubt over one
with an unsure digit (extract/doubt.py), then the authoritative document type for
that fact (docs/periods.md#key-dates), then the dedicated field over a document's issue_date,
then the higher extraction confidence, then the smaller document id (so the choice does not
depend on document order). Whichever wins, the disagreeing documents are flagged (service_dates).
A date the person's papers cannot bear (cases/plausible.py: after today, or before the age the
fact needs) is never chosen; when it is the only one, the fact is unknown.

| fact        | fields read, in order            | document types, most authoritative first |
|-------------|----------------------------------|------------------------------------------|
| enlistment  | enlistment_date                  | enlistment, discharge, others            |
| discharge   | discharge_date                   | discharge, others                        |
| placement   | placement_date, then stub_placement_date and issue_date of a placement document (the stub on the letter's sheet is issued with it) | placement, others |
| termination | termination_date, then issue_date of a termination document                 | termination, others |

Month arithmetic (idx = year*12 + month; documents usually give only year and month):
- service_months = idx(discharge) − idx(enlistment)   (+1 with `service_inclusive`).
- pending_placement_months: months of the 待安置 period [pending_start, pending_end], both ends
  inclusive. Default convention (docs/periods.md#pending-placement-months): from the month AFTER the discharge month
  (military pay covers the discharge month) to the month the 安置介绍信 was issued (the receiving
  unit is liable from that month), which equals idx(letter) − idx(discharge): Case A, discharged
  1996-12, letter 1997-09-20 → 1997-01…1997-09 = 9 months. The other conventions are options
  because the programme text was not found (Q2): start at the discharge month (+1 month), or end
  at the month before the letter (−1 month). A negative count is reported as computed; the
  date_order rule flags it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.types import EvidenceRef

from cases.facts import DocumentFacts, month_index

if TYPE_CHECKING:
    from cases.plausible import DateBounds


@dataclass(frozen=True)
class FactSource:
    fact: str  # enlistment / discharge / placement / termination
    month: int  # month index
    value: str  # the document's normalised value (may carry a day)
    document: str
    field: str

    def evidence(self) -> EvidenceRef:
        return EvidenceRef(self.document, self.field)


# fact → (fields, each with the doc types allowed to give it (None = any); preferred doc types).
# Ranking: document type first, then field order (a placement letter's issue_date beats a
# placement_date read off some other document), then confidence, then document id.
_FACTS: dict[str, tuple[tuple[tuple[str, tuple[str, ...] | None], ...], tuple[str, ...]]] = {
    "enlistment": ((("enlistment_date", None),), ("enlistment", "discharge")),
    "discharge": ((("discharge_date", None),), ("discharge",)),
    "placement": ((("placement_date", None), ("stub_placement_date", ("placement",)), ("issue_date", ("placement",))),
                  ("placement",)),
    "termination": ((("termination_date", None), ("issue_date", ("termination",))), ("termination",)),
}
FACT_ORDER: tuple[str, ...] = tuple(_FACTS)


def fact_fields(fact: str, doc_type: str) -> tuple[str, ...]:
    """The fields of a document of this type that state the fact."""
    return tuple(name for name, allowed in _FACTS[fact][0] if allowed is None or doc_type in allowed)


def best_dates(docs: list[DocumentFacts], bounds: "DateBounds | None" = None) -> dict[str, FactSource]:
    """The chosen value for each fact that some document states (a possible one, given `bounds`)."""
    chosen: dict[str, FactSource] = {}
    for fact, (fields, preferred) in _FACTS.items():
        options = []
        for field_rank, (field_name, allowed_types) in enumerate(fields):
            for doc in docs:
                if allowed_types is not None and doc.doc_type not in allowed_types:
                    continue
                month = month_index(doc.value(field_name))
                if month is None or (bounds is not None and not bounds.possible(fact, month)):
                    continue
                type_rank = preferred.index(doc.doc_type) if doc.doc_type in preferred else len(preferred)
                unsure = any(i < 7 for i in doc.doubt(field_name))  # a year or month digit read unsure
                key = (unsure, type_rank, field_rank, -doc.confidence(field_name), doc.id)
                options.append((key, FactSource(fact, month, doc.value(field_name) or "", doc.id, field_name)))
        if options:
            support: dict[int, set[str]] = {}
            for _, source in options:
                support.setdefault(source.month, set()).add(source.document)
            chosen[fact] = min(options, key=lambda o: (-len(support[o[1].month]), o[0]))[1]
    return chosen

