"""Evaluating one case: its documents in, derived periods and flags out."""
from __future__ import annotations

from dataclasses import dataclass, field

from core.types import RuleFlag

from cases.derived import CaseDerived, derive
from cases.facts import DocumentFacts
from cases.monthsets import contribution_statuses, exclusion_month, month_sets
from cases.options import CaseOptions
from cases.periods import best_dates
from cases.plausible import DateBounds
from cases.roster import RosterEntry
from cases.rules import CaseContext, run_rules
from cases.rules.provisional import mark_provisional


@dataclass
class CaseResult:
    id_number: str
    name: str
    documents: list[str]
    derived: CaseDerived
    flags: list[RuleFlag] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The case entry of the casefile.report/1 contract."""
        return {
            "id_number": self.id_number,
            "name": self.name,
            "documents": list(self.documents),
            "derived": self.derived.to_dict(),
            "flags": [f.to_dict() for f in self.flags],
        }


def evaluate_case(entry: RosterEntry, docs: list[DocumentFacts], options: CaseOptions | None = None) -> CaseResult:
    """Run every rule over the documents linked to this case (see link_documents)."""
    options = options or CaseOptions()
    bounds = DateBounds.of(entry.id_number, options.rules.today)
    dates = best_dates(docs, bounds)
    sets = month_sets(
        dates,
        contribution_statuses(docs),
        pending_start=options.pending_start,
        pending_end=options.pending_end,
        service_inclusive=options.service_inclusive,
        after_termination_until=options.after_termination_until,
        back_payment_includes_pending=options.back_payment_includes_pending,
        exclusion=exclusion_month(docs),
        exclusion_scope=options.exclusion_scope,
    )
    derived = derive(dates, sets, options)
    pending = derived.pending_period
    ctx = CaseContext(
        entry=entry,
        docs=list(docs),
        dates=dates,
        bounds=bounds,
        options=options.rules,
        required_doc_types=options.required_doc_types,
        exclusion_scope=options.exclusion_scope,
        pending_months=derived.pending_placement_months,
        pending_period=(pending.start, pending.end) if pending else None,
        sets=sets,
    )
    return CaseResult(
        id_number=entry.id_number,
        name=entry.name,
        documents=[doc.id for doc in docs],
        derived=derived,
        # One pass after every rule: a flag an uncertain, unconfirmed page may cause says so.
        flags=mark_provisional(run_rules(ctx), ctx.docs, options.rules),
    )
