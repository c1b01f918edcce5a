"""The `casefile` command line."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from casefile.cli_output import console, print_summary, progress, say, write_report
from core.errors import ExitCode, UserError, bug_message, incident
from core.stages import REPORT, stage


class _App(typer.Typer):
    """Typer with casefile's one error boundary: a user's mistake is one line and exit status 2,
    anything else a bug, logged with its traceback under an incident id (ExitCode.BUG)."""

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except UserError as exc:
            console.print(f"[red]错误[/] {say(exc.message)}", soft_wrap=True, emoji=False)
            sys.exit(ExitCode.USER_ERROR)
        except Exception as exc:
            console.print(f"[red]{say(bug_message(incident(exc, 'casefile ' + ' '.join(sys.argv[1:2]))))}[/]", soft_wrap=True)
            sys.exit(ExitCode.BUG)


app = _App(help="casefile：退役士兵社保接续材料的识别、分类、提取与核对。", no_args_is_help=True, add_completion=False,
           pretty_exceptions_enable=False)


@app.command()
def run(
    inputs: Annotated[list[Path], typer.Argument(help="files, folders or .zip archives of scans")],
    report_json: Annotated[Path, typer.Option("--report-json", help="where to write the report")],
    roster: Annotated[Optional[Path], typer.Option(help="roster CSV/XLSX with 姓名 and 公民身份号码")] = None,
    workspace: Annotated[Optional[Path], typer.Option(help="database and stored originals (default .casefile)")] = None,
    engine: Annotated[Optional[str], typer.Option(help="OCR engine: rapidocr or tesseract")] = None,
    workers: Annotated[Optional[int], typer.Option(help="page processes (default: CPU cores)")] = None,
    label: Annotated[str, typer.Option(help="a note for this batch")] = "",
    summary: Annotated[bool, typer.Option(help="print a per-case summary table")] = True,
) -> None:
    """Ingest INPUT, run every stage in this process (embedded mode) and write the report."""
    from config.bootstrap import setup

    cfg = setup(workspace, ocr_engine=engine)  # --engine: a copy of the settings, the environment untouched
    from config.options import pipeline_options
    from pipeline.report import build_report
    from pipeline.run import submit_batch
    from workers.local import LocalDispatcher

    options = pipeline_options(cfg)
    if roster:
        from cases import load_roster

        load_roster(roster)  # a bad roster stops the run before anything is stored (RosterError: one line)
    started = time.perf_counter()
    with progress() as bar:
        files = bar.add_task("接收文件", total=None)
        pages = bar.add_task("识别页面", total=None)

        def show(state) -> None:  # both at once: files are split into pages while pages are read
            bar.update(files, completed=state.files_done, total=state.files_total or None)
            bar.update(pages, completed=state.pages_done, total=state.pages_total or None)

        dispatcher = LocalDispatcher(options, workers or cfg.workers, cfg.max_attempts, progress=show, settings=cfg)
        batch_id = submit_batch(inputs, dispatcher, options, roster=roster, label=label)
    with stage(REPORT):
        report = build_report(batch_id)
        elapsed = time.perf_counter() - started
        write_report(report, report_json)
    pages = sum(len(d["pages"]) for d in report["documents"])
    console.print(
        f"[bold]完成[/]：{len(report['documents'])} 份材料，{pages} 页，{len(report['cases'])} 个案卷，"
        f"{len(report['errors'])} 个错误，用时 {elapsed:.1f} 秒；报告已写入 {say(str(report_json))}",
        soft_wrap=True,
    )
    for error in report["errors"]:
        console.print(f"[red]错误[/] {say(error['message'])}", soft_wrap=True, emoji=False)
    _print_possible_exclusions(report)
    if summary:
        print_summary(report, report_json)  # bounded: a large batch shows its totals and the cases with problems


def _print_possible_exclusions(report: dict) -> None:
    """Excluding documents that matched no case, with the closest roster candidates (IDs masked)."""
    from core.labels import REASON_ZH
    from core.privacy import mask_id

    for x in report.get("possible_exclusions", []):
        near = "、".join(f"{c['name']}（{mask_id(c['id_number'])}，{c['score']:.2f}）" for c in x["candidates"]) or "无"
        console.print(f"[yellow]可能的排除情形[/] 材料 {x['document']}（{REASON_ZH.get(x.get('reason'), '排除情形')}）"
                      f"未匹配到案卷，花名册中最接近：{near}；请在工作台指定所属案卷")


@app.command()
def reread(
    workspace: Annotated[Optional[Path], typer.Option(help="database and stored originals (default .casefile)")] = None,
    report_json: Annotated[Optional[Path], typer.Option("--report-json", help="then write this batch's report here")] = None,
    batch: Annotated[Optional[int], typer.Option(help="the batch of --report-json (default: the latest)")] = None,
) -> None:
    """Classify, extract, link and evaluate the stored pages again with this version of casefile (no OCR).
    Documents a reviewer has worked on keep their type and split, and decided fields their values."""
    from config.bootstrap import setup

    cfg = setup(workspace)
    from config.options import pipeline_options
    from pipeline.report import build_report
    from pipeline.reread import reread as reread_all
    from records.models import Batch

    result = reread_all(pipeline_options(cfg))
    console.print(
        f"[bold]完成[/]：{result.files_resplit} 个文件重新分类、拆分和提取，{result.documents_reextracted} 份已复核文件中的"
        f"其他材料重新提取，{result.pages_retyped} 页类型改变，{result.cases} 个案卷重新核对"
    )
    if report_json:
        batch_id = batch or Batch.objects.order_by("-pk").values_list("pk", flat=True).first()
        if batch_id is None:
            console.print("[red]错误[/] 没有批次，无法写报告")
            raise typer.Exit(ExitCode.USER_ERROR)
        write_report(build_report(batch_id), report_json)


@app.command("eval")
def evaluate(
    truth: Annotated[Path, typer.Argument(help="truth.json written by fixtures/generate.py", exists=True, dir_okay=False)],
    report: Annotated[Path, typer.Argument(help="report written by casefile run", exists=True, dir_okay=False)],
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Score a report against fixture ground truth."""
    from report.score import score

    result = score(json.loads(truth.read_text(encoding="utf-8")), json.loads(report.read_text(encoding="utf-8")))
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        return
    table = Table(title="casefile eval")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key in ("doc_type_acc", "field_acc", "case_link_acc", "flag_precision", "flag_recall",
                "doc_type_ece", "field_ece", "distractor_other_acc"):
        table.add_row(key, f"{result[key]:.3f}")
    for key in ("distractors_confident_veteran", "exclusions_unseen"):
        table.add_row(key, str(result[key]))
    Console().print(table)
    for what, calibration in result["detail"]["calibration"].items():
        bands = Table(title=f"reliability: {what} (confidence band → share correct)")
        for column in ("band", "count", "mean confidence", "correct"):
            bands.add_column(column, justify="right")
        for band in calibration["bands"]:
            bands.add_row(band["band"], str(band["count"]), f"{band['mean_confidence']:.3f}", f"{band['correct']:.3f}")
        Console().print(bands)


@app.command()
def bench(
    pages: Annotated[int, typer.Option(help="fixture pages to run")] = 20,
    seed: Annotated[int, typer.Option(help="fixture seed")] = 424242,
    workers: Annotated[Optional[int], typer.Option(help="processes per contender (default: cores)")] = None,
    keep: Annotated[Optional[Path], typer.Option(help="keep the work folder here")] = None,
) -> None:
    """Speed and memory of casefile (both engines) against raw tesseract and OCRmyPDF."""
    from devtools.bench import print_table, run_bench

    print_table(run_bench(pages=pages, seed=seed, processes=workers, keep=keep))


@app.command("bench-workers")
def bench_workers(
    pages: Annotated[int, typer.Option(help="fixture pages in the batch")] = 40,
    seed: Annotated[int, typer.Option(help="fixture seed")] = 424242,
    processes: Annotated[str, typer.Option(help="worker process counts to compare")] = "1,2",
    keep: Annotated[Optional[Path], typer.Option(help="keep the work folder here")] = None,
) -> None:
    """Pages per minute of Celery workers with 1 process against more, on the same batch."""
    from devtools.bench_workers import print_scaling, run_scaling

    counts = tuple(int(n) for n in processes.split(","))
    print_scaling(run_scaling(pages=pages, seed=seed, processes=counts, keep=keep))


@app.command("bench-scale")
def bench_scale(
    cases: Annotated[str, typer.Option(help="workspace sizes, in cases (six papers each and more)")] = "200,2000",
    backends: Annotated[str, typer.Option(help="databases to measure: sqlite, postgresql")] = "sqlite,postgresql",
    corrections: Annotated[int, typer.Option(help="reviewer corrections timed (median)")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="print the figures as JSON")] = False,
    run: Annotated[bool, typer.Option("--run", help="time `casefile run` itself on N veterans' born-digital PDFs")] = False,
    workers: Annotated[Optional[int], typer.Option(help="with --run: page processes (default: CPU cores)")] = None,
) -> None:
    """The costs after OCR at county scale: linking, a batch close, a correction, the pages, the export;
    with --run, `casefile run` on generated born-digital evidence (ingest, reading, linking, report)."""
    sizes = tuple(int(n) for n in cases.split(",") if n.strip())
    chosen = tuple(b.strip() for b in backends.split(",") if b.strip())
    if run:
        from devtools.bench_run import print_results, run_bench

        results = run_bench(sizes, chosen, workers)
    else:
        from devtools.bench_scale import print_results, run_scale_bench

        results = run_scale_bench(sizes, chosen, corrections)
    if as_json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    else:
        print_results(results)


@app.command("bench-search")
def bench_search(
    documents: Annotated[int, typer.Option(help="born-digital documents in the workspace")] = 10_000,
    per_kind: Annotated[int, typer.Option(help="queries of each kind (two-character names, ID fragments, …)")] = 10,
    backends: Annotated[str, typer.Option(help="databases to measure: sqlite, postgresql")] = "sqlite,postgresql",
    as_json: Annotated[bool, typer.Option("--json", help="print the figures as JSON")] = False,
) -> None:
    """Latency of the document list's full-text search, on SQLite and PostgreSQL (README figures)."""
    from devtools.bench_search import print_results, run_search_bench

    results = run_search_bench(documents, per_kind, tuple(b.strip() for b in backends.split(",") if b.strip()))
    if as_json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    else:
        print_results(results)


from casefile import cli_cases, cli_train, cli_web, cli_workers  # noqa: E402

cli_workers.register(app)  # worker, submit, status, sweep, health
cli_web.register(app)  # createuser, token, serve
cli_cases.register(app)  # cases, case, stats, export
cli_train.register(app)  # train

if __name__ == "__main__":
    app()
