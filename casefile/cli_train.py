"""Commands about the page classifier: train."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from core.errors import ExitCode

console = Console(stderr=True)



def register(app: typer.Typer) -> None:
    app.command()(train)
    app.command()(learn)
    app.command()(adapt)


def train(
    out: Annotated[Optional[Path], typer.Option(help="where to write the page model (default: the shipped one)")] = None,
    fields_out: Annotated[Optional[Path], typer.Option(help="where to write the field calibration (default: shipped)")] = None,
    pages: Annotated[Optional[Path], typer.Option(help="the training set (OCR'd pages with their types; default: shipped)")] = None,
    rebuild_pages: Annotated[bool, typer.Option(
        "--rebuild-pages", help="generate the training corpora and read them with the pipeline first (slow: OCR)"
    )] = False,
    families: Annotated[str, typer.Option(help="template families to train on, e.g. a or a,b")] = "a,b",
    work: Annotated[Optional[Path], typer.Option(help="folder for the corpora and their workspace")] = None,
    workers: Annotated[Optional[int], typer.Option(help="page processes when reading (default: cores)")] = None,
) -> None:
    """Fit the page classifier and the field-confidence calibration from the training set (and
    rebuild that set from the generators first). `casefile train --rebuild-pages` is the one
    command that rebuilds the shipped models from scratch."""
    from classify.model import SHIPPED as SHIPPED_MODEL
    from classify.training import TRAINING_SET, fit_all, read_samples, write_samples
    from extract.calibration import SHIPPED as SHIPPED_FIELDS

    out, fields_out, pages = out or SHIPPED_MODEL, fields_out or SHIPPED_FIELDS, pages or TRAINING_SET

    if rebuild_pages:
        write_samples(pages, _read_corpora(work or Path(".casefile-training"), workers))
    if not pages.exists():
        console.print(f"[red]错误[/] 找不到训练集 {pages}；用 --rebuild-pages 生成")
        raise typer.Exit(ExitCode.USER_ERROR)
    wanted = {f.strip() for f in families.split(",") if f.strip()}
    samples = [s for s in read_samples(pages) if s.group.split(":")[0] in wanted]
    if not samples:
        console.print(f"[red]错误[/] 训练集 {pages} 中没有模板族 {families} 的页面")
        raise typer.Exit(ExitCode.USER_ERROR)
    trained = fit_all(samples, version=f"{'+'.join(sorted(wanted))}/{len(samples)}")
    model = trained.pages
    model.save(out)
    trained.fields.save(fields_out)
    table = Table(title=f"page model {model.version} → {out}; field calibration → {fields_out}")
    table.add_column("type")
    table.add_column("pages", justify="right")
    for doc_type, n in model.meta["pages_per_type"].items():
        table.add_row(doc_type, str(n))
    table.add_row("temperature", f"{model.temperature:.3f}")
    for kind, (a, b) in trained.fields.params.items():
        table.add_row(f"fields: {kind}", f"a={a:.2f} b={b:.2f}")
    console.print(table)


def _read_corpora(work: Path, workers: int | None):
    """Generate the training corpora and read them in one private workspace."""
    from config.bootstrap import setup

    cfg = setup(work / "workspace")
    from config.options import pipeline_options
    from pipeline.run import submit_batch
    from pipeline.training import TRAINING_CORPORA, build_training_set
    from workers.local import LocalDispatcher

    options = pipeline_options(cfg)

    def read_batch(folder: Path, label: str) -> int:
        console.print(f"读取训练语料 {label} …")
        dispatcher = LocalDispatcher(options, workers or cfg.workers, cfg.max_attempts, settings=cfg)
        return submit_batch([folder], dispatcher, options, label=label)

    return build_training_set(TRAINING_CORPORA, work, read_batch)


def learn(
    workspace: Annotated[Optional[Path], typer.Option(help="database and stored originals (default .casefile)")] = None,
    reset: Annotated[bool, typer.Option("--reset", help="forget what was learned: back to the shipped models")] = False,
    reread: Annotated[bool, typer.Option(help="then classify and extract the stored pages again")] = True,
) -> None:
    """Learn from this workspace's reviewers: refit the page model on the document types they
    confirmed and add the labels found beside the field values they confirmed or typed."""
    from config.bootstrap import setup

    cfg = setup(workspace)
    from config.options import pipeline_options
    from pipeline.learning import LearningError
    from pipeline.learning import learn as learn_now
    from pipeline.learning import reset as forget
    from pipeline.reread import reread as reread_all

    if reset:
        console.print(f"[bold]已重置[/]：停用 {forget()} 个学习版本，恢复随软件发布的模型")
    else:
        try:
            state = learn_now()
        except LearningError as exc:
            console.print(f"[red]错误[/] {exc}")
            raise typer.Exit(ExitCode.USER_ERROR) from exc
        console.print(f"[bold]学习完成[/]：版本 {state.version}，依据 {state.documents} 份已复核材料（{state.pages} 页），"
                      f"新学到的标签 {len(state.labels)} 个")
    if reread:
        result = reread_all(pipeline_options(cfg))
        console.print(f"重新识别：{result.pages_retyped} 页类型改变，{result.cases} 个案卷重新核对")


def adapt(
    truth: Annotated[Path, typer.Argument(help="truth.json of the batch the workspace has read")],
    workspace: Annotated[Optional[Path], typer.Option(help="the workspace that read it (it is changed: use a copy)")] = None,
    steps: Annotated[str, typer.Option(help="documents of each type the simulated reviewer confirms")] = "0,1,3,5",
    base_families: Annotated[Optional[str], typer.Option(help="learn on top of these families' training pages")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """The adaptation curve: accuracy on the untouched rest of a batch as a simulated reviewer
    confirms k documents of each type and casefile learns from them."""
    import json
    import sys

    from config.bootstrap import setup

    cfg = setup(workspace)
    from devtools.adapt import run_adaptation
    from config.options import pipeline_options
    from records.models import Batch

    batch_id = Batch.objects.order_by("-pk").values_list("pk", flat=True).first()
    if batch_id is None:
        console.print("[red]错误[/] 工作区中没有批次")
        raise typer.Exit(ExitCode.USER_ERROR)
    families = tuple(f.strip() for f in base_families.split(",")) if base_families else None
    points = run_adaptation(json.loads(truth.read_text(encoding="utf-8")), batch_id,
                            tuple(int(k) for k in steps.split(",")), pipeline_options(cfg), families)
    if as_json:
        sys.stdout.write(json.dumps([{"per_type": p.per_type, "reviewed": p.reviewed, "labels": p.learned_labels,
                                      **{k: v for k, v in p.result.items() if k != "detail"}} for p in points]) + "\n")
        return
    table = Table(title="adaptation: the untouched rest of the batch")
    for column in ("per type", "reviewed", "labels", "doc_type_acc", "field_acc", "flag_precision", "flag_recall"):
        table.add_column(column, justify="right")
    for p in points:
        r = p.result
        table.add_row(str(p.per_type), str(p.reviewed), str(p.learned_labels), f"{r['doc_type_acc']:.3f}",
                      f"{r['field_acc']:.3f}", f"{r['flag_precision']:.3f}", f"{r['flag_recall']:.3f}")
    Console().print(table)
