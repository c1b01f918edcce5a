"""What a case's evaluation works out from its evidence (docs/periods.md): the key dates used, the
service and pending-placement months, and the month sets — as typed values (`CaseDerived`).

`CaseDerived.to_dict()` is the `derived` of a case in the report contract (casefile.report/1) and
what records.models.Case stores; `from_dict` reads it back, so the pages, the exports and the API
use these types and no code digs into the stored JSON.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.labels import PERIOD_ZH, runs_zh
from core.types import EvidenceRef

from cases.facts import month_str
from cases.monthsets import MonthSets, ranges
from cases.periods import FACT_ORDER, FactSource

if TYPE_CHECKING:
    from cases.options import CaseOptions


@dataclass(frozen=True)
class KeyDate:
    """The value chosen for a fact (cases/periods.py best_dates): as read, its month, where from."""

    value: str  # the document's normalised value (may carry a day)
    month: str  # YYYY-MM
    document: str
    field: str

    @property
    def evidence(self) -> EvidenceRef:
        return EvidenceRef(self.document, self.field)

    def to_dict(self) -> dict:
        return {"value": self.value, "month": self.month, "document": self.document, "field": self.field}

    @classmethod
    def of(cls, source: FactSource) -> "KeyDate":
        return cls(source.value, month_str(source.month), source.document, source.field)


@dataclass(frozen=True)
class PendingPeriod:
    """The 待安置 period, both ends inclusive, with the conventions that set them (CaseOptions)."""

    start: str  # YYYY-MM
    end: str
    start_rule: str
    end_rule: str
    start_evidence: EvidenceRef  # the discharge date's
    end_evidence: EvidenceRef  # the placement letter's

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "start_rule": self.start_rule, "end_rule": self.end_rule,
                "start_evidence": self.start_evidence.to_dict(), "end_evidence": self.end_evidence.to_dict()}

    @classmethod
    def from_dict(cls, data: dict) -> "PendingPeriod":
        return cls(data["start"], data["end"], data["start_rule"], data["end_rule"],
                   EvidenceRef.from_dict(data["start_evidence"]), EvidenceRef.from_dict(data["end_evidence"]))


@dataclass(frozen=True)
class MonthSet:
    """One month set of cases/monthsets.py: how many months, their runs, and — for the sets the
    key dates bound (service, pending, employment, after termination) — the evidence at each end."""

    months: int
    ranges: tuple[tuple[str, str], ...]  # consecutive runs, first and last YYYY-MM
    ends: tuple[EvidenceRef | None, EvidenceRef | None] | None = None

    @property
    def ranges_zh(self) -> str:
        return runs_zh(self.ranges)

    def to_dict(self) -> dict:
        out: dict = {"months": self.months, "ranges": [list(run) for run in self.ranges]}
        if self.ends is not None:
            out["start_evidence"], out["end_evidence"] = (e.to_dict() if e else None for e in self.ends)
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "MonthSet":
        ends = None
        if "start_evidence" in data:
            ends = tuple(EvidenceRef.from_dict(e) if e else None for e in (data["start_evidence"], data.get("end_evidence")))
        return cls(data["months"], tuple(tuple(run) for run in data["ranges"]), ends)


# The facts at each end of the sets they bound (None: the set has no fact at that end).
_SET_ENDS = {
    "service": ("enlistment", "discharge"),
    "pending": ("discharge", "placement"),
    "employment": ("placement", "termination"),
    "after_termination": ("termination", None),
}


@dataclass(frozen=True)
class CaseDerived:
    service_months: int | None
    pending_placement_months: int | None
    pending_period: PendingPeriod | None
    dates: dict[str, KeyDate]  # by fact, in FACT_ORDER
    periods: dict[str, MonthSet]  # by set name, in the order of core.labels.PERIOD_ZH
    contribution_record: bool  # a contribution record was read (else no month counts as paid)

    @classmethod
    def empty(cls) -> "CaseDerived":
        """What a page shows of a case not evaluated yet: nothing worked out."""
        return cls(None, None, None, {}, {}, False)

    def period_rows(self) -> list[dict]:
        """The non-empty month sets as label, month count and runs (YYYY-MM 至 YYYY-MM), as the
        case page and the printed summary list them."""
        return [
            {"key": key, "label": label, "months": self.periods[key].months, "ranges": self.periods[key].ranges_zh}
            for key, label in PERIOD_ZH.items()
            if key in self.periods and self.periods[key].months
        ]

    def to_dict(self) -> dict:
        return {
            "service_months": self.service_months,
            "pending_placement_months": self.pending_placement_months,
            "pending_period": self.pending_period.to_dict() if self.pending_period else None,
            "dates": {fact: date.to_dict() for fact, date in self.dates.items()},
            "periods": {name: s.to_dict() for name, s in self.periods.items()} | {"contribution_record": self.contribution_record},
        }

    @classmethod
    def from_dict(cls, data: dict) -> "CaseDerived":
        periods = dict(data.get("periods") or {})
        contribution_record = bool(periods.pop("contribution_record", False))
        pending = data.get("pending_period")
        return cls(
            service_months=data.get("service_months"),
            pending_placement_months=data.get("pending_placement_months"),
            pending_period=PendingPeriod.from_dict(pending) if pending else None,
            dates={fact: KeyDate(**d) for fact, d in (data.get("dates") or {}).items()},
            periods={name: MonthSet.from_dict(s) for name, s in periods.items()},
            contribution_record=contribution_record,
        )


def derive(dates: dict[str, FactSource], sets: MonthSets, options: "CaseOptions") -> CaseDerived:
    """The dates used (with their documents), the two month counts and the month sets.

    service_months = idx(discharge) − idx(enlistment) (+1 with `service_inclusive`); the pending
    period and its count as cases/periods.py explains (a negative count is reported as computed:
    the date_order rule flags it)."""
    enlisted, discharged, placed = (dates.get(k) for k in ("enlistment", "discharge", "placement"))
    service_months = None
    if enlisted and discharged:
        service_months = discharged.month - enlisted.month + (1 if options.service_inclusive else 0)
    pending = None
    if discharged and placed:
        start = discharged.month + (1 if options.pending_start == "after_discharge_month" else 0)
        end = placed.month - (1 if options.pending_end == "month_before_letter" else 0)
        pending = PendingPeriod(month_str(start), month_str(end), options.pending_start, options.pending_end,
                                discharged.evidence(), placed.evidence())
    return CaseDerived(
        service_months=service_months,
        pending_placement_months=None if pending is None else end - start + 1,
        pending_period=pending,
        dates={fact: KeyDate.of(dates[fact]) for fact in FACT_ORDER if fact in dates},
        periods=_month_sets(sets, dates),
        contribution_record=sets.has_contribution_record,
    )


def _month_sets(sets: MonthSets, dates: dict[str, FactSource]) -> dict[str, MonthSet]:
    def evidence(fact: str | None) -> EvidenceRef | None:
        return dates[fact].evidence() if fact in dates else None

    out = {}
    for name in PERIOD_ZH:
        months = getattr(sets, name)
        ends = _SET_ENDS.get(name)
        out[name] = MonthSet(len(months), tuple(tuple(run) for run in ranges(months)),
                             None if ends is None else (evidence(ends[0]), evidence(ends[1])))
    return out
