"""Dates no paper of this person can truly bear (docs/rules.md#timeline, T-01 and T-12).

A reading such as 1901-11 for the discharge of a man born in 1973, or 2054 for a termination, is
not what a form says: a worn or lost digit was read as another (an OCR misreading), or, rarely, the
form was filled in wrong. Either way it is not a fact of the case. Such a date:

- is never the case's chosen date (cases/periods.best_dates): the periods are not computed from
  it, and the rules that compare dates (order, 兵龄, the pending period, service dates) do not
  fire on it — one misread year used to raise four flags;
- raises one flag of its own, naming the document and field (`impossible_date`, or `future_date`
  for a date after today), so a reviewer corrects the reading or the paper.

The bounds are the person's own: a life event before an age it needs (enlisting before 14,
leaving the army or taking a job before 15), an enlistment after an age no one enlists at, or a
date after today. The birth month is the case's ID number's.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

from extract.normalize.idnumbers import birth_month

from cases.facts import month_index

# fact → the youngest age (whole years) at which it can happen
MIN_AGE = {"enlistment": 14, "discharge": 15, "placement": 15, "termination": 15, "report": 15}
# No one enlists at this age or older (recruits are 17–24; direct-recruited NCOs a little older).
MAX_ENLISTMENT_AGE = 35

Problem = Literal["future", "too_young", "too_old"]


@dataclass(frozen=True)
class DateBounds:
    """The months in which this person's papers can date a fact."""

    birth: int | None  # month index of the birth month, None when the ID number gives none
    today: int  # month index of the current month

    @classmethod
    def of(cls, id_number: str | None, today: str | None = None) -> "DateBounds":
        now = month_index(today) if today else None
        if now is None:
            now = month_index(datetime.date.today())
        return cls(birth=month_index(birth_month(id_number)), today=now or 0)

    def problem(self, fact: str, month: int | None) -> Problem | None:
        """Why a month cannot date this fact of this person, or None when it can."""
        if month is None:
            return None
        if month > self.today:
            return "future"
        if self.birth is None or fact not in MIN_AGE:
            return None
        age = self.age_at(month)
        if age < MIN_AGE[fact]:
            return "too_young"
        if fact == "enlistment" and age >= MAX_ENLISTMENT_AGE:
            return "too_old"
        return None

    def age_at(self, month: int) -> int:
        """Whole years of age at the month (birth month known)."""
        return (month - (self.birth or 0)) // 12

    def possible(self, fact: str, month: int | None) -> bool:
        return self.problem(fact, month) is None

