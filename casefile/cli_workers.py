"""Commands of the distributed mode: worker, submit, status, sweep, health.

`casefile run` (cli.py) does everything in one process; these split the work between a
submitting machine and any number of worker hosts sharing one Redis, one PostgreSQL and one
blob store (README, "Scaling out").
"""
from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from casefile.cli_output import progress, say, write_report
from core.errors import ExitCode

console = Console(stderr=True)
out = Console()

EXIT_NOT_READY = ExitCode.NOT_READY
EXIT_BAD_USAGE = ExitCode.USER_ERROR

Workspace = Annotated[Optional[Path], typer.Option(help="database and stored originals (default .casefile)")]


def register(app: typer.Typer) -> None:
    for command in (worker, submit, status, sweep, health):
        app.command()(command)


def _setup(workspace: Path | None, migrate: bool = True):
    from config.bootstrap import setup

    return setup(workspace, migrate=migrate)


def _require_broker(cfg) -> None:
    if not cfg.distributed:
        console.print(
            "[red]未配置消息队列[/]：CASEFILE_BROKER_URL is not set (e.g. redis://127.0.0.1:6379/0). "
            "Without it, use `casefile run`, which does everything in this process."
        )
        raise typer.Exit(EXIT_BAD_USAGE)


def worker(
    queues: Annotated[str, typer.Option(help="queues to consume, comma-separated")] = "ocr,default",
    concurrency: Annotated[Optional[int], typer.Option(help="worker processes (default: CPU cores)")] = None,
    beat: Annotated[bool, typer.Option(help="also run the periodic sweep here (one host is enough)")] = True,
    hostname: Annotated[Optional[str], typer.Option(help="worker name, e.g. ocr1@%h")] = None,
    loglevel: Annotated[str, typer.Option(help="Celery log level")] = "INFO",
    workspace: Workspace = None,
) -> None:
    """Run a Celery worker: OCR pages, finalise files, close batches."""
    if os.environ.get(SUPERVISED) != "1":
        _supervise()
        return
    # One OCR thread per process, processes ≈ cores: parallel multi-threaded tesseract thrashes.
    os.environ["OMP_THREAD_LIMIT"] = "1"
    cfg = _setup(workspace)
    _require_broker(cfg)
    from workers.celery_app import app

    argv = ["worker", f"--queues={queues}", f"--concurrency={concurrency or cfg.workers}", "--pool=prefork"]
    argv.append(f"--loglevel={loglevel}")
    if hostname:
        argv.append(f"--hostname={hostname}")
    if beat:
        cfg.workspace.mkdir(parents=True, exist_ok=True)  # beat keeps its schedule file there
        argv.append("--beat")
    app.worker_main(argv)


SUPERVISED = "CASEFILE_WORKER_SUPERVISED"


def _supervise() -> None:
    """Run this same command as a child and start it again when it dies of an error. Seen in the
    Redis-restart test: while reconnecting, kombu's channel close restores unacknowledged messages
    over the dead connection and raises AttributeError, which Celery reports as an "unrecoverable
    error" and exits (cf. celery/celery#10205); a worker host must not stay down for that. Signals
    are passed on, so a stop is still a warm shutdown; a child that keeps failing at start-up (bad
    configuration) ends the supervisor with its exit code."""
    import signal
    import subprocess

    env = dict(os.environ, **{SUPERVISED: "1"})
    state = {"stopping": False, "child": None}

    def forward(signum, _frame):
        state["stopping"] = True
        if state["child"] is not None and state["child"].poll() is None:
            state["child"].send_signal(signum)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT):
        signal.signal(sig, forward)
    quick_failures = 0
    while True:
        started = time.monotonic()
        state["child"] = subprocess.Popen([sys.executable, *sys.argv], env=env)
        code = state["child"].wait()
        if state["stopping"] or code == 0:
            raise typer.Exit(code)
        quick_failures = quick_failures + 1 if time.monotonic() - started < 30 else 0
        if quick_failures >= 3:
            console.print(f"[red]worker 连续启动失败[/]（exit {code}）")
            raise typer.Exit(code)
        console.print(f"[yellow]worker 异常退出[/]（exit {code}），5 秒后重新启动")
        time.sleep(5)


def submit(
    inputs: Annotated[list[Path], typer.Argument(help="files, folders or .zip archives of scans")],
    roster: Annotated[Optional[Path], typer.Option(help="roster CSV/XLSX with 姓名 and 公民身份号码")] = None,
    label: Annotated[str, typer.Option(help="a note for this batch")] = "",
    wait: Annotated[bool, typer.Option("--wait", help="follow the batch until it is finished")] = False,
    report_json: Annotated[Optional[Path], typer.Option("--report-json", help="with --wait: write the report here")] = None,
    timeout: Annotated[Optional[float], typer.Option(help="with --wait: give up after this many seconds")] = None,
    workspace: Workspace = None,
) -> None:
    """Ingest INPUT and queue its pages for the workers; print the batch id."""
    cfg = _setup(workspace)
    _require_broker(cfg)
    if report_json and not wait:
        console.print("[red]错误[/] --report-json 需要同时使用 --wait：批次完成后才有报告")
        raise typer.Exit(EXIT_BAD_USAGE)
    from config.options import pipeline_options
    from pipeline.run import submit_batch
    from workers.dispatch import CeleryDispatcher

    batch_id = submit_batch(inputs, CeleryDispatcher(), pipeline_options(cfg), roster=roster, label=label)
    out.print(batch_id)
    if not wait:
        console.print(f"批次 {batch_id} 已提交；查看进度：casefile status {batch_id}")
        return
    if not _follow(batch_id, timeout):
        console.print(f"[yellow]等待超时[/]：批次 {batch_id} 仍在处理，稍后用 casefile status {batch_id} 查看")
        raise typer.Exit(EXIT_NOT_READY)
    from pipeline.report import build_report

    report = build_report(batch_id)
    if report_json:
        write_report(report, report_json)
        console.print(f"报告已写入 {report_json}")
    for error in report["errors"]:
        console.print(f"[red]错误[/] {say(error['message'])}", soft_wrap=True, emoji=False)


def _follow(batch_id: int, timeout: float | None) -> bool:
    """Live progress until the batch is closed; False if `timeout` passed first."""
    from casework.progress import batch_progress

    deadline = time.monotonic() + timeout if timeout else None
    with progress() as bar:
        files = bar.add_task("接收文件", total=None)
        task = bar.add_task("识别页面", total=None)
        while True:
            state = batch_progress(batch_id, with_files=False)
            failed = f"（失败 {state.pages_failed} 页）" if state.pages_failed else ""
            bar.update(files, completed=state.files_split, total=state.files_total)
            bar.update(
                task, completed=state.pages_done, total=state.pages_total, description=f"识别页面{failed}"
            )
            if state.finished:
                return True
            if deadline and time.monotonic() > deadline:
                return False
            time.sleep(1.0)


def say_label(text: str) -> str:
    return say(text or "")


def status(
    batch: Annotated[Optional[int], typer.Argument(help="batch id (default: list recent batches)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    workspace: Workspace = None,
) -> None:
    """Progress of a batch and the state of each of its files, from the database."""
    _setup(workspace)
    from casework.progress import batch_progress, recent_batches
    from records.models import Batch

    if batch is not None and not Batch.objects.filter(pk=batch).exists():
        console.print(f"[red]没有批次 {batch}[/]")
        raise typer.Exit(EXIT_BAD_USAGE)
    states = [batch_progress(batch)] if batch is not None else recent_batches()
    if as_json:
        sys.stdout.write(json.dumps([asdict(s) for s in states], ensure_ascii=False) + "\n")
        return
    table = Table(title="批次进度" if batch is None else f"批次 {batch}")
    for col in ("批次", "说明", "状态", "文件（已拆页/总数）", "页数（完成/总数）", "失败页", "提交时间"):
        table.add_column(col)
    for s in states:
        pages = f"{s.pages_done}/{s.pages_total}" + ("+" if s.receiving else "")  # more pages to come
        table.add_row(str(s.batch_id), say_label(s.label), s.status_label, f"{s.files_split}/{s.files_total}", pages,
                      str(s.pages_failed), s.created_at)
    out.print(table)
    if batch is not None:
        files = Table(title="文件")
        for col in ("文件", "状态", "页数（完成/总数）", "说明"):
            files.add_column(col, overflow="fold")
        for f in states[0].files:  # names and reasons as typed: no markup, one line each
            files.add_row(say(f.source), f.status_label, f"{f.pages_done}/{f.pages_total}", say(f.message or ""))
        out.print(files)


def sweep(workspace: Workspace = None) -> None:
    """Re-queue lost or stalled pages, finish stuck files and batches (workers also do this periodically)."""
    cfg = _setup(workspace)
    from datetime import timedelta

    from pipeline.sweep import sweep as run_sweep

    if cfg.distributed:
        from workers.dispatch import CeleryDispatcher, queue_depth

        dispatcher, queue_empty = CeleryDispatcher(), queue_depth() == 0
    else:
        from config.options import pipeline_options
        from workers.local import LocalDispatcher

        dispatcher = LocalDispatcher(pipeline_options(cfg), cfg.workers, cfg.max_attempts, settings=cfg)
        queue_empty = True
    result = run_sweep(dispatcher, timedelta(seconds=cfg.stale_after), cfg.max_attempts, queue_empty=queue_empty)
    out.print(
        f"重新拆分 {result.resplit_files} 个文件，重新排队 {result.requeued_pages} 页，放弃 {result.failed_pages} 页，"
        f"重新整理 {result.refinalized_files} 个文件，完成 {result.closed_batches} 个批次"
    )


def health(
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    timeout: Annotated[float, typer.Option(help="seconds to wait for workers to answer")] = 2.0,
    workspace: Workspace = None,
) -> None:
    """Workers alive, queue depths and page counts. Exit 1 if no worker answers (distributed mode)."""
    cfg = _setup(workspace, migrate=False)
    from workers.health import broker_health, database_health

    try:
        database = database_health()
    except Exception as exc:  # unreachable, or never migrated
        database = {"error": type(exc).__name__}
    report = {"mode": "distributed" if cfg.distributed else "embedded", "database": database}
    if cfg.distributed:
        report |= broker_health(timeout)
    healthy = "error" not in database and (not cfg.distributed or bool(report["workers"]))
    if as_json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
    else:
        out.print(f"模式：{'分布式（Celery + Redis）' if cfg.distributed else '单机（进程内）'}")
        if cfg.distributed:
            out.print(f"消息队列：{report['broker']}；在线 worker：{', '.join(report['workers']) or '无'}")
            out.print("排队消息：" + "，".join(f"{q} {n}" for q, n in report["queues"].items()))
        if "error" in database:
            out.print(f"[red]数据库不可用[/]（{database['error']}）")
        else:
            out.print("页面：" + "，".join(f"{k} {v}" for k, v in database["pages"].items()))
            if database["oldest_pending_seconds"] is not None:
                out.print(f"最早排队的页面已等待 {database['oldest_pending_seconds']} 秒")
    if not healthy:
        raise typer.Exit(EXIT_NOT_READY)
