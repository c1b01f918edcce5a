"""Case stages and the guarded moves between them.

The stage names come from the client's description of the national 受理系统 and the entry
requirements are a design proposal (docs/programme.md#stages: [R] and [I]), so both are configuration:
WorkflowOptions holds the stages, the moves and each move's guards, with that proposal as the
default. Plain Python: the pipeline feeds a CaseState in and stores the stage that comes out.

    暂存 → 受理 → 初审 → 核查 (社保 ∥ 医保 ∥ 低保) → 困难人员认定 (optional) → 缴费 → 办结
    退回补正 (returned for more material) from any stage before 核查 is done; 不予受理 (rejected)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from pydantic import BaseModel, ConfigDict

from core.codes import CaseStage, FlagCode, Severity
from core.errors import UserError


class Stage(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    zh: str
    closed: bool = False  # no move leaves it


class Move(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    target: str
    zh: str  # the button a reviewer presses
    guards: tuple[str, ...] = ()  # names in GUARDS; every one must pass
    needs_reason: bool = False  # 退回补正 / 不予受理 say why (the 一次性告知 list)


# The stages of core/codes.py CaseStage, with their words; 办结 and 不予受理 end a case.
DEFAULT_STAGES = tuple(
    Stage(code=s.value, zh=s.zh, closed=s in (CaseStage.COMPLETED, CaseStage.REJECTED)) for s in CaseStage
)

_BEFORE_VERIFICATION = ("draft", "accepted", "first_review", "verification")
DEFAULT_MOVES = (
    Move(source="draft", target="accepted", zh="受理"),
    Move(source="accepted", target="first_review", zh="提交初审"),
    # "材料欠缺者审核不过关": incomplete or contradictory evidence does not pass the first review.
    Move(source="first_review", target="verification", zh="初审通过", guards=("no_missing_documents", "no_open_errors")),
    Move(source="verification", target="hardship", zh="转困难人员认定", guards=("verification_complete",)),
    Move(source="verification", target="payment", zh="核查完成，转缴费", guards=("verification_complete",)),
    Move(source="hardship", target="payment", zh="认定完成，转缴费"),
    Move(source="payment", target="completed", zh="办结"),
    *(Move(source=s, target="returned", zh="退回补正", needs_reason=True) for s in _BEFORE_VERIFICATION),
    Move(source="returned", target="accepted", zh="补正后重新受理"),
    *(Move(source=s, target="rejected", zh="不予受理", needs_reason=True) for s in ("draft", "accepted", "first_review")),
)


class WorkflowOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    stages: tuple[Stage, ...] = DEFAULT_STAGES
    moves: tuple[Move, ...] = DEFAULT_MOVES
    # 核查 is done by these departments in parallel; each records its result (docs/programme.md#departments [R]).
    verification_parts: tuple[str, ...] = ("社保", "医保", "低保")

    def stage(self, code: str) -> Stage:
        return next(s for s in self.stages if s.code == code)

    def stage_zh(self, code: str) -> str:
        return next((s.zh for s in self.stages if s.code == code), code)


@dataclass(frozen=True)
class OpenFlag:
    code: str
    severity: str
    message: str


@dataclass(frozen=True)
class CaseState:
    """What the guards look at."""

    stage: str
    open_flags: tuple[OpenFlag, ...] = ()
    verified: frozenset[str] = frozenset()  # verification parts recorded as done


@dataclass(frozen=True)
class MoveOption:
    move: Move
    blocked_by: tuple[str, ...] = field(default_factory=tuple)  # Chinese reasons; empty = allowed

    @property
    def allowed(self) -> bool:
        return not self.blocked_by


class WorkflowError(UserError):
    """A move that may not be made now; the message (Chinese) says why."""

    code = "move_refused"


def _no_missing_documents(state: CaseState, options: WorkflowOptions) -> str | None:
    missing = [f for f in state.open_flags if f.code == FlagCode.MISSING_DOCUMENT]
    return f"材料不齐：尚缺 {len(missing)} 项材料" if missing else None


def _no_open_errors(state: CaseState, options: WorkflowOptions) -> str | None:
    errors = [f for f in state.open_flags if f.severity == Severity.ERROR and f.code != FlagCode.MISSING_DOCUMENT]
    return f"尚有 {len(errors)} 个未处理的错误提示" if errors else None


def _verification_complete(state: CaseState, options: WorkflowOptions) -> str | None:
    left = [p for p in options.verification_parts if p not in state.verified]
    return f"{'、'.join(left)}核查尚未完成" if left else None


GUARDS: dict[str, Callable[[CaseState, WorkflowOptions], str | None]] = {
    "no_missing_documents": _no_missing_documents,
    "no_open_errors": _no_open_errors,
    "verification_complete": _verification_complete,
}


def moves_from(state: CaseState, options: WorkflowOptions) -> list[MoveOption]:
    """Every move out of the case's stage, with the reasons it is blocked (if any)."""
    return [
        MoveOption(m, tuple(r for g in m.guards if (r := GUARDS[g](state, options))))
        for m in options.moves
        if m.source == state.stage
    ]


def check_move(state: CaseState, target: str, reason: str, options: WorkflowOptions) -> Move:
    """The move to `target` if it may be made now; WorkflowError with the reason otherwise."""
    for option in moves_from(state, options):
        if option.move.target != target:
            continue
        if option.blocked_by:
            raise WorkflowError(f"不能{option.move.zh}：" + "；".join(option.blocked_by))
        if option.move.needs_reason and not reason.strip():
            raise WorkflowError(f"{option.move.zh}须写明原因（告知申请人需补正或不予受理的理由）")
        return option.move
    raise WorkflowError(f"案卷处于“{options.stage_zh(state.stage)}”阶段，不能转到“{options.stage_zh(target)}”")
