"""What every `casefile` command prints and writes the same way: outside text made safe for the
console, the live progress bar, the report file. Its own module so that the command modules
(cli.py, cli_workers.py, …) share it without importing one another."""
from __future__ import annotations

import json
import os
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

console = Console(stderr=True)


def say(text: str) -> str:
    """Text from outside (file names, messages quoting them) for the console: one line, no markup."""
    from rich.markup import escape

    from ingest.names import printable

    return escape(printable(text))


def write_report(report: dict, path: Path) -> None:
    from report import validate_report

    validate_report(report)
    path.parent.mkdir(parents=True, exist_ok=True)
    # written beside and renamed into place: a run killed mid-write never leaves half a report
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(partial, path)


def progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )


SUMMARY_ALL_UP_TO = 50  # cases: up to this many, every case has its row
SUMMARY_ROWS = 100  # beyond: the cases with problems, at most this many rows
SUMMARY_FLAGS = 5  # messages per row beyond SUMMARY_ALL_UP_TO cases
SUMMARY_UNMATCHED = 30  # unmatched document ids listed


def has_problem(case: dict) -> bool:
    """A flag that is not a note about the evidence (severity info)."""
    return any(f.get("severity") != "info" for f in case["flags"])


def print_summary(report: dict, report_path: Path | None = None) -> None:
    """The per-case table of `casefile run`, bounded: a small batch shows every case; a large one
    the totals and the cases with problems (at most SUMMARY_ROWS, the most flagged first, a few
    messages each); the rest is in the report."""
    from rich.table import Table

    from core.privacy import mask_id

    out = Console()
    cases = report["cases"]
    small = len(cases) <= SUMMARY_ALL_UP_TO
    shown = cases if small else sorted(filter(has_problem, cases), key=lambda c: -len(c["flags"]))[:SUMMARY_ROWS]
    where = f"报告 {say(str(report_path))}" if report_path else "报告"
    if not small:
        problems = sum(map(has_problem, cases))
        out.print(f"案卷 {len(cases)} 个，其中有问题的 {problems} 个，未匹配到名册的材料 {len(report['unmatched_documents'])} 份。"
                  f"下表列出{'问题最多的 ' + str(len(shown)) + ' 个' if problems > len(shown) else '全部有问题的'}案卷，"
                  f"其余见{where}。", soft_wrap=True)
    if shown:
        table = Table(title="案卷汇总" if small else "有问题的案卷", expand=True, show_lines=True)
        for col in ("姓名", "公民身份号码", "材料数", "服役月数", "待安置月数"):
            table.add_column(col, no_wrap=True)
        table.add_column("问题", overflow="fold", ratio=1)  # every message whole, one per line
        for case in shown:
            derived = case.get("derived", {})
            flags = case["flags"] if small else [f for f in case["flags"] if f.get("severity") != "info"]
            lines = [f"• {say(f['message'])}" for f in (flags if small else flags[:SUMMARY_FLAGS])]
            if len(flags) > len(lines):
                lines.append(f"（另有 {len(flags) - len(lines)} 条，见报告）")
            table.add_row(say(case["name"]), mask_id(case["id_number"]), str(len(case["documents"])),
                          _num(derived.get("service_months")), _num(derived.get("pending_placement_months")),
                          "\n".join(lines) or "—")
        out.print(table)
    unmatched = report["unmatched_documents"]
    if unmatched:
        listed = unmatched if small else unmatched[:SUMMARY_UNMATCHED]
        more = f" 等 {len(unmatched)} 份（见{where}）" if len(listed) < len(unmatched) else ""
        out.print(f"未匹配到名册的材料：{', '.join(listed)}{more}")


def _num(value) -> str:
    return "—" if value is None else str(value)
