"""Commands about cases: cases, case, stats, export."""
from __future__ import annotations

import datetime
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from core.errors import ExitCode

console = Console(stderr=True)
out = Console()
Workspace = Annotated[Optional[Path], typer.Option(help="database and stored originals (default .casefile)")]


def register(app: typer.Typer) -> None:
    for command in (cases, case, stats, export, rules):
        app.command()(command)


def _setup(workspace: Path | None):
    from config.bootstrap import setup
    from config.options import pipeline_options

    return pipeline_options(setup(workspace))


def cases(
    stage: Annotated[Optional[str], typer.Option(help="only cases at this stage (draft, accepted, first_review, …)")] = None,
    flag: Annotated[Optional[str], typer.Option(help="only cases with an open flag of this code")] = None,
    show_ids: Annotated[bool, typer.Option("--show-ids", help="print ID numbers in full")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON (full ID numbers)")] = False,
    workspace: Workspace = None,
) -> None:
    """List cases with their stage, priority marks and open flags."""
    options = _setup(workspace)
    from casework.queue import priority_marks
    from core.privacy import mask_id
    from records.models import Case, Flag

    rows = Case.objects.with_counts().order_by("id")
    if stage:
        rows = rows.filter(stage=stage)
    if flag:
        rows = rows.filter(flags__code=flag, flags__status=Flag.Status.OPEN).distinct()
    items = [
        {
            "id_number": c.id_number,
            "name": c.name,
            "stage": options.workflow.stage_zh(c.stage),
            "marks": priority_marks(c, options.priority),
            "documents": c.documents_n,
            "open_flags": c.open_flags,
        }
        for c in rows
    ]
    if as_json:
        sys.stdout.write(json.dumps(items, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"案卷（{len(items)} 件）")
    for col in ("姓名", "公民身份号码", "阶段", "标记", "材料数", "未处理问题"):
        table.add_column(col)
    for i in items:
        shown = i["id_number"] if show_ids else mask_id(i["id_number"])
        table.add_row(i["name"], shown, i["stage"], "、".join(i["marks"]), str(i["documents"]), str(i["open_flags"] or ""))
    out.print(table)


def case(
    id_number: Annotated[str, typer.Argument(help="the veteran's 公民身份号码")],
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    workspace: Workspace = None,
) -> None:
    """One case: identity, stage, evidence, key dates, periods and flags with the evidence they cite."""
    options = _setup(workspace)
    from casework.exports import case_summary
    from casework.workflow import stage_moves
    from records.models import Case

    found = Case.objects.filter(id_number=id_number.strip().upper()).first()
    if found is None:
        console.print("[red]没有这个公民身份号码的案卷[/]")
        raise typer.Exit(ExitCode.USER_ERROR)
    summary = case_summary(found, options.cases)
    moves = [
        {"to": options.workflow.stage_zh(o.move.target), "action": o.move.zh, "blocked_by": list(o.blocked_by)}
        for o in stage_moves(found, options.workflow)
    ]
    if as_json:
        sys.stdout.write(json.dumps({**summary, "moves": moves}, ensure_ascii=False, default=str) + "\n")
        return
    _print_case(summary, moves)


def _print_case(s: dict, moves: list[dict]) -> None:
    out.print(f"[bold]{s['name']}[/] {s['id_number']}　阶段：{s['stage']}")
    if s["attributes"]:
        out.print("花名册：" + "；".join(f"{a['key']}：{a['value']}" for a in s["attributes"]))
    dates = Table(title="关键时间")
    for col in ("事实", "时间", "依据"):
        dates.add_column(col)
    for d in s["dates"]:
        doc = d["document"] or {}
        where = f"{doc.get('public_id', '')} {doc.get('file_name', '')} 第 {'、'.join(map(str, doc.get('pages', [])))} 页" if doc else "—"
        dates.add_row(d["label"], d["value"] or "—", where)
    out.print(dates)
    out.print(
        f"服役月数：{_dash(s['service_months'])}　待安置月数：{_dash(s['pending_placement_months'])}"
        + (f"（{s['pending_period']}，{s['pending_rule']}）" if s["pending_period"] else "")
    )
    docs = Table(title="材料清单")
    for col in ("材料", "状态", "材料编号（文件 / 页）"):
        docs.add_column(col, overflow="fold")
    for item in s["checklist"]:
        refs = [f"{d['public_id']}（{d['file_name']} 第 {'、'.join(map(str, d['pages']))} 页）" for d in item["documents"]]
        docs.add_row(item["label"], "已有" if item["present"] else "缺少", "\n".join(refs))
    out.print(docs)
    flags = Table(title="问题提示")
    for col in ("级别", "状态", "内容", "依据"):
        flags.add_column(col, overflow="fold")
    for f in s["flags"]:
        flags.add_row(f["severity"], f["status"], f["message"], "、".join(f["evidence"]))
    out.print(flags)
    for m in moves:
        target = f"（转到{m['to']}）" if m["to"] != m["action"] else ""
        blocked = f"　暂不可办理：{'；'.join(m['blocked_by'])}" if m["blocked_by"] else ""
        out.print(f"可办理：{m['action']}{target}{blocked}")


def _dash(value) -> str:
    return "—" if value is None else str(value)


def stats(
    start: Annotated[Optional[datetime.datetime], typer.Option("--from", formats=["%Y-%m-%d"], help="first day")] = None,
    end: Annotated[Optional[datetime.datetime], typer.Option("--to", formats=["%Y-%m-%d"], help="last day")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    workspace: Workspace = None,
) -> None:
    """Cases per stage (now, and moved in during the period) and open flags by kind."""
    options = _setup(workspace)
    from casework.stats import case_stats

    result = case_stats(options.workflow, start and start.date(), end and end.date())
    if as_json:
        sys.stdout.write(json.dumps(asdict(result), ensure_ascii=False, default=str) + "\n")
        return
    period = f"{result.start or '开始'} 至 {result.end or '今天'}"
    table = Table(title=f"案卷统计（共 {result.cases_total} 件；期间 {period}）")
    for col in ("阶段", "当前件数", "期间进入件数"):
        table.add_column(col)
    for s in result.stages:
        table.add_row(s.zh, str(s.now), str(s.entered))
    out.print(table)
    for name, n in result.open_flags.items():
        out.print(f"未处理问题：{name} {n}")


def export(
    xlsx: Annotated[Path, typer.Option("--xlsx", help="where to write the workbook")],
    workspace: Workspace = None,
) -> None:
    """Every case with identity, key dates, derived periods and open flags, as XLSX."""
    options = _setup(workspace)
    from casework.exports import write_cases_xlsx

    xlsx.parent.mkdir(parents=True, exist_ok=True)
    write_cases_xlsx(xlsx, options.cases)
    console.print(f"已导出到 {xlsx}")


def rules(markdown: Annotated[bool, typer.Option("--markdown", help="the README's table")] = False) -> None:
    """Every evidence rule casefile applies: code, severity, what it checks, source."""
    from cases.rules import RULE_PACK, rule_table

    if markdown:
        sys.stdout.write(rule_table())
        return
    table = Table(title="核对规则", show_lines=True)
    for col in ("code", "severity", "checks", "source"):
        table.add_column(col, overflow="fold")
    for r in RULE_PACK:
        table.add_row(r.code, r.severity, r.checks, r.source)
    out.print(table)
