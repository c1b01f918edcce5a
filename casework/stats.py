"""The statistics a bureau reports upward: how many cases stand at each stage now, how many reached
each stage during a period (from the audit trail of stage moves), and the open flags by kind."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from cases.workflow import WorkflowOptions
from core.labels import FLAG_ZH
from records.models import AuditEvent, Case, Flag


@dataclass(frozen=True)
class StageCount:
    code: str
    zh: str
    now: int  # cases at this stage today
    entered: int  # cases moved into it during the period


@dataclass(frozen=True)
class Stats:
    start: datetime.date | None
    end: datetime.date | None
    stages: list[StageCount]
    open_flags: dict[str, int]  # Chinese flag name → open flags
    cases_total: int


def case_stats(options: WorkflowOptions, start: datetime.date | None = None, end: datetime.date | None = None) -> Stats:
    now = dict(Case.objects.values_list("stage").annotate(n=Count("id")))
    moves = AuditEvent.objects.filter(action="move_stage", object_type="Case")
    if start:
        moves = moves.filter(at__gte=_midnight(start))
    if end:
        moves = moves.filter(at__lt=_midnight(end + datetime.timedelta(days=1)))
    entered: dict[str, set[str]] = {}
    for object_id, after in moves.values_list("object_id", "after"):
        entered.setdefault((after or {}).get("stage", ""), set()).add(object_id)
    flags = Flag.objects.filter(status=Flag.Status.OPEN).values_list("code").annotate(n=Count("id"))
    return Stats(
        start=start,
        end=end,
        stages=[StageCount(s.code, s.zh, now.get(s.code, 0), len(entered.get(s.code, ()))) for s in options.stages],
        open_flags={FLAG_ZH.get(code, code): n for code, n in sorted(flags, key=lambda f: -f[1])},
        cases_total=Case.objects.count(),
    )


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
