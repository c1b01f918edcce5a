"""Moving a case through its stages (cases/workflow.py decides what is allowed). Every move and
every department's verification result is an audit event with the reviewer's reason."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cases.workflow import CaseState, MoveOption, OpenFlag, WorkflowError, WorkflowOptions, check_move, moves_from
from casework.review import audit
from records.models import Case, Flag

__all__ = ["WorkflowError", "case_state", "move_case", "record_verification", "stage_moves"]


def case_state(case: Case) -> CaseState:
    flags = case.flags.filter(status=Flag.Status.OPEN)
    return CaseState(
        stage=case.stage,
        open_flags=tuple(OpenFlag(f.code, f.severity, f.message) for f in flags),
        verified=frozenset(case.verified),
    )


def stage_moves(case: Case, options: WorkflowOptions) -> list[MoveOption]:
    return moves_from(case_state(case), options)


@transaction.atomic
def move_case(case_id: int, target: str, reason: str, actor: str, options: WorkflowOptions) -> Case:
    case = Case.objects.select_for_update().get(pk=case_id)
    move = check_move(case_state(case), target, reason, options)
    before = {"stage": case.stage}
    case.stage, case.stage_changed_at = move.target, timezone.now()
    if move.target == "returned":
        case.verified = []  # material comes back: the departments check again
    case.save(update_fields=["stage", "stage_changed_at", "verified"])
    audit(actor, "move_stage", case, before, {"stage": case.stage, "note": reason.strip()})
    return case


@transaction.atomic
def record_verification(case_id: int, part: str, note: str, actor: str, options: WorkflowOptions) -> Case:
    """One department (社保 / 医保 / 低保) has finished its check of the case."""
    case = Case.objects.select_for_update().get(pk=case_id)
    if part not in options.verification_parts:
        raise WorkflowError(f"未知的核查项：{part}")
    if case.stage != "verification":
        raise WorkflowError(f"案卷处于“{options.stage_zh(case.stage)}”阶段，不在核查阶段")
    before = {"verified": list(case.verified)}
    case.verified = sorted(set(case.verified) | {part})
    case.save(update_fields=["verified"])
    audit(actor, "record_verification", case, before, {"verified": case.verified, "note": note.strip()})
    return case
