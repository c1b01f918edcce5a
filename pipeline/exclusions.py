"""Possible exclusions (可能的排除情形): documents that record an exclusion reason (自动离职, 除名, 开除,
判刑) and belong to no case, each with the roster's closest candidates (cases/exclusions.py), for
the dashboard, the report and `casefile run`'s summary."""
from __future__ import annotations

from dataclasses import dataclass

from cases.corroborate import UNIT_FIELDS
from cases.exclusions import ExclusionCandidate, excluding_reason, rank_candidates
from core.types import DISQUALIFYING_REASONS
from pipeline.linking import document_facts, roster_entry
from records.models import Case, Document, Field


@dataclass(frozen=True)
class CaseKnowledge:
    """What the documents linked to each case tell of it, by case ID number, for ranking the
    cases an unlinked document may be (cases/exclusions.rank_candidates)."""

    units: dict[str, tuple[str, ...]]  # units they name
    files: dict[str, frozenset[str]]  # the scanned files they came from (DocumentFacts.file)

    @classmethod
    def of_linked_documents(cls) -> "CaseKnowledge":
        units: dict[str, tuple[str, ...]] = {}
        for number, value in Field.objects.filter(
            name__in=list(UNIT_FIELDS), document__case__isnull=False
        ).values_list("document__case__id_number", "value"):
            units[number] = units.get(number, ()) + (value,)
        files: dict[str, set[str]] = {}
        for number, file_id in Document.objects.filter(case__isnull=False).values_list("case__id_number", "file_id").distinct():
            files.setdefault(number, set()).add(str(file_id))
        return cls(units, {number: frozenset(f) for number, f in files.items()})


@dataclass
class PossibleExclusion:
    document: Document
    reason: str  # a DISQUALIFYING_REASONS code
    candidates: list[tuple[ExclusionCandidate, Case]]

    def to_dict(self) -> dict:
        """The report's possible_exclusions entry (casefile.report/1)."""
        return {
            "document": self.document.public_id,
            "reason": self.reason,
            "candidates": [c.to_dict() for c, _ in self.candidates],
        }


def possible_exclusions(documents: list[int] | None = None, limit: int = 3) -> list[PossibleExclusion]:
    """Unmatched excluding documents (of these document ids, or all), oldest first."""
    docs = Document.objects.filter(
        case__isnull=True,
        row_links__isnull=True,
        fields__name="termination_reason",
        fields__value__in=sorted(DISQUALIFYING_REASONS),
    ).distinct()
    if documents is not None:
        docs = docs.filter(pk__in=documents)
    docs = list(docs.select_related("file").prefetch_related("fields").order_by("pk"))
    if not docs:
        return []
    cases = {c.id_number: c for c in Case.objects.all()}
    roster = [roster_entry(c) for c in cases.values()]
    known = CaseKnowledge.of_linked_documents()
    out = []
    for doc in docs:
        facts = document_facts(doc)
        reason = excluding_reason(facts)
        if reason is None:
            continue
        ranked = rank_candidates(facts, roster, known.units, limit=limit, known_files=known.files)
        out.append(PossibleExclusion(doc, reason, [(c, cases[c.id_number]) for c in ranked]))
    return out
