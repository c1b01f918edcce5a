"""Commands about the page classifier: train."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

console = Console(stderr=True)

TRAINING_SET = Path("classify/model/training-pages.jsonl.gz")
SHIPPED_MODEL = Path("classify/model/pages.npz")
SHIPPED_FIELDS = Path("extract/model/fields.json")


def register(app: typer.Typer) -> None:
    app.command()(train)


def train(
    out: Annotated[Path, typer.Option(help="where to write the page model")] = SHIPPED_MODEL,
    fields_out: Annotated[Path, typer.Option(help="where to write the field calibration")] = SHIPPED_FIELDS,
    pages: Annotated[Path, typer.Option(help="the training set (OCR'd pages with their true types)")] = TRAINING_SET,
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
    from classify.training import fit_all, read_samples, write_samples

    if rebuild_pages:
        write_samples(pages, _read_corpora(work or Path(".casefile-training"), workers))
    if not pages.exists():
        console.print(f"[red]错误[/] 找不到训练集 {pages}；用 --rebuild-pages 生成")
        raise typer.Exit(1)
    wanted = {f.strip() for f in families.split(",") if f.strip()}
    samples = [s for s in read_samples(pages) if s.group.split(":")[0] in wanted]
    if not samples:
        console.print(f"[red]错误[/] 训练集 {pages} 中没有模板族 {families} 的页面")
        raise typer.Exit(1)
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
    os.environ.setdefault("CASEFILE_OCR_ENGINE", "rapidocr")
    from casefile.bootstrap import setup

    setup(work / "workspace")
    from casefile.config import get_settings
    from pipeline.options import from_settings
    from pipeline.run import submit_batch
    from pipeline.training import TRAINING_CORPORA, build_training_set
    from workers.local import LocalDispatcher

    cfg = get_settings()
    options = from_settings()

    def read_batch(folder: Path, label: str) -> int:
        console.print(f"读取训练语料 {label} …")
        dispatcher = LocalDispatcher(options, workers or cfg.workers, cfg.max_attempts)
        return submit_batch([folder], dispatcher, options, label=label)

    return build_training_set(TRAINING_CORPORA, work, read_batch)
