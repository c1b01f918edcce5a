"""Case stages: each guard blocks with its reason and lets the case through once satisfied; the
stages are configuration and the database's stage names follow the default workflow."""
from __future__ import annotations

import datetime

import pytest

from cases.priority import PriorityOptions, priority_marks
from cases.workflow import CaseState, OpenFlag, WorkflowError, WorkflowOptions, check_move, moves_from

OPTIONS = WorkflowOptions()
MISSING = OpenFlag("missing_document", "error", "缺少安置介绍信（或存根），请补充。")
NAME_ERROR = OpenFlag("name_mismatch", "error", "姓名不一致")
NAME_WARNING = OpenFlag("name_mismatch", "warning", "可能为曾用名")


def test_a_case_with_a_missing_document_cannot_pass_the_first_review():
    with pytest.raises(WorkflowError, match="材料不齐"):
        check_move(CaseState("first_review", (MISSING,)), "verification", "", OPTIONS)


def test_a_case_with_an_open_error_cannot_pass_the_first_review_but_a_warning_does_not_stop_it():
    with pytest.raises(WorkflowError, match="未处理的错误"):
        check_move(CaseState("first_review", (NAME_ERROR,)), "verification", "", OPTIONS)
    assert check_move(CaseState("first_review", (NAME_WARNING,)), "verification", "", OPTIONS).target == "verification"


def test_verification_needs_every_department():
    state = CaseState("verification", verified=frozenset({"社保", "医保"}))
    with pytest.raises(WorkflowError, match="低保核查尚未完成"):
        check_move(state, "payment", "", OPTIONS)
    done = CaseState("verification", verified=frozenset({"社保", "医保", "低保"}))
    assert check_move(done, "payment", "", OPTIONS).target == "payment"
    assert check_move(done, "hardship", "", OPTIONS).target == "hardship"  # the optional stage


def test_returning_or_rejecting_needs_the_reason_the_applicant_is_told():
    with pytest.raises(WorkflowError, match="须写明原因"):
        check_move(CaseState("accepted"), "returned", " ", OPTIONS)
    assert check_move(CaseState("accepted"), "returned", "缺少安置介绍信", OPTIONS).target == "returned"
    assert check_move(CaseState("draft"), "rejected", "不属于政府安排工作的退役士兵", OPTIONS).target == "rejected"


def test_no_skipping_stages_and_nothing_leaves_a_closed_case():
    with pytest.raises(WorkflowError, match="不能转到"):
        check_move(CaseState("draft"), "payment", "", OPTIONS)
    assert moves_from(CaseState("completed"), OPTIONS) == []
    assert moves_from(CaseState("rejected"), OPTIONS) == []


def test_the_blocked_moves_are_listed_with_their_reasons():
    options = {o.move.target: o for o in moves_from(CaseState("first_review", (MISSING, NAME_ERROR)), OPTIONS)}
    assert not options["verification"].allowed and len(options["verification"].blocked_by) == 2
    assert options["returned"].allowed and options["rejected"].allowed


def test_stages_and_guards_are_configuration():
    lenient = WorkflowOptions(
        moves=tuple(m.model_copy(update={"guards": ()}) if m.target == "verification" else m for m in OPTIONS.moves)
    )
    assert check_move(CaseState("first_review", (MISSING,)), "verification", "", lenient).target == "verification"


def test_the_database_knows_the_default_stages():
    from records.models import Case

    assert [(s.code, s.zh) for s in OPTIONS.stages] == Case._meta.get_field("stage").choices == Case.Stage.labelled()


@pytest.mark.parametrize(
    "id_number, attributes, marks",
    [
        ("360899197503141518", {}, []),  # a man of 51
        ("360899196706011516", {}, ["临近退休"]),  # a man of 59: within 2 years of 60
        ("360899197503141526", {}, ["临近退休"]),  # a woman of 51: past 50
        ("360899197503141518", {"低保": "是", "安置方式": "自谋职业"}, ["低保", "自谋职业"]),
        ("360899197503141518", {"低保": "否"}, []),
    ],
)
def test_priority_marks(id_number, attributes, marks):
    assert priority_marks(id_number, attributes, datetime.date(2026, 11, 29), PriorityOptions()) == marks
