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
