"""The statistics a bureau reports upward: cases per stage now and moved in during a period."""
from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases.workflow import WorkflowOptions
from casework.stats import case_stats
from casework.workflow import move_case

pytestmark = pytest.mark.django_db
OPTIONS = WorkflowOptions()


def test_cases_per_stage_now_and_during_a_period():
    from records.models import AuditEvent, Case, Flag

    a = Case.objects.create(id_number="360899197503141518", name="周立新")
    b = Case.objects.create(id_number="360899197503141526", name="周丽")
    Case.objects.create(id_number="360899196706011516", name="王五")
    Flag.objects.create(case=b, code="missing_document", severity="error", message="缺少居民身份证，请补充。")
    move_case(a.pk, "accepted", "", "u_reviewer", OPTIONS)
    move_case(a.pk, "first_review", "", "u_reviewer", OPTIONS)
    move_case(b.pk, "accepted", "", "u_reviewer", OPTIONS)
    # b was accepted last month: outside this month's report
    AuditEvent.objects.filter(object_id=str(b.pk)).update(at=timezone.now() - datetime.timedelta(days=40))

    today = timezone.localdate()
    result = case_stats(OPTIONS, today.replace(day=1), today)
    by_stage = {s.code: s for s in result.stages}
    assert (by_stage["draft"].now, by_stage["accepted"].now, by_stage["first_review"].now) == (1, 1, 1)
    assert (by_stage["accepted"].entered, by_stage["first_review"].entered) == (1, 1)
    assert case_stats(OPTIONS).stages[1].entered == 2  # no period: all time
    assert result.open_flags == {"缺少材料": 1} and result.cases_total == 3
