"""`casefile bench`: the same fixture pages through casefile and two baselines, side by side.

Contenders run as child processes; CPU seconds and peak memory come from the kernel's rusage
of each child and its waited-for descendants (so pool workers are counted), wall seconds from
the clock. Figures are ratios against raw tesseract: a benchmark, never a test assertion.

casefile's own runs also write the stage timer's totals (core/stages.py) of every process
(CASEFILE_STAGE_TIMES, config/settings.py and workers/local.py), so the same runs give the per-stage table: CPU seconds
per page and share of the run's CPU for each stage, model load and peak RSS per process. What no
stage counts (interpreter start-up, imports, Django set-up and migrations, the pool's
bookkeeping) is the table's last row, so the rows add up to the run's CPU.
"""
from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image


@dataclass
class Measurement:
    name: str
    pages: int
    wall: float
    cpu: float
    peak_mb: float
    ok: bool
    note: str = ""
    processes: list[dict] = field(default_factory=list)  # core.stages.flush() of each process (casefile only)

    @property
    def cpu_per_page(self) -> float:
        return self.cpu / self.pages

    @property
    def wall_per_page(self) -> float:
        return self.wall / self.pages


def prepare_pages(out: Path | str, pages: int, seed: int) -> list[Path]:
    """Render a fixture corpus and take its first `pages` pages as PNG files (same input for all)."""
    out = Path(out)
    from fixtures.generate import generate
    from ingest import IngestOptions, collect, open_pages

    corpus = out / "corpus"
    generate(corpus, cases=max(4, pages // 4 + 1), seed=seed)
    images_dir = out / "pages"
    images_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    options = IngestOptions()
    for item in collect([corpus / "batch"], options):
        if not hasattr(item, "data"):
            continue
        for page in open_pages(item.data, item.kind, item.source, options):
            if page.image is None:
                continue
            path = images_dir / f"page_{len(written) + 1:03d}.png"
            Image.fromarray(page.image[:, :, ::-1]).save(path, dpi=(page.dpi, page.dpi))
            written.append(path)
            if len(written) == pages:
                return written
    return written


def measure(name: str, pages: int, cmd: list[str], env: dict) -> Measurement:
    """Run one contender as a single child; wait4 gives CPU and peak RSS of it and its descendants."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    note = "" if proc.returncode == 0 else (stderr.strip().splitlines() or ["failed"])[-1][:160]
    return Measurement(name, pages, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, proc.returncode == 0, note)


def run_bench(pages: int = 20, seed: int = 424242, processes: int | None = None, keep: Path | None = None) -> list[Measurement]:
    processes = processes or os.cpu_count() or 1
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="casefile-bench-"))
    # Prepare the pages in a child process: a forked child inherits its parent's peak RSS in
    # ru_maxrss, so the measuring process itself must stay small.
    subprocess.run(
        [sys.executable, "-c", f"from devtools.bench import prepare_pages; prepare_pages({str(work)!r}, {pages}, {seed})"],
        check=True,
    )
    images = sorted((work / "pages").glob("page_*.png"))
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    results: list[Measurement] = []

    # Raw tesseract: one process per page, `processes` at a time, one thread each.
    tesseract_out = work / "tesseract"
    tesseract_out.mkdir(exist_ok=True)
    # the text goes to its own folder: written beside the pages, casefile would be handed it too
    read = f'tesseract "$1" "{tesseract_out}/$(basename "$1")" -l chi_sim+eng'
    xargs = ["xargs", "-P", str(processes), "-I{}", "sh", "-c", shlex.quote(read), "_", "{}"]
    list_file = work / "pages.txt"
    list_file.write_text("\n".join(str(p) for p in images) + "\n")
    results.append(measure("tesseract raw", len(images), ["sh", "-c", " ".join(xargs) + f" < {list_file} > /dev/null"], env))

    pdf = work / "pages.pdf"
    frames = [Image.open(p).convert("RGB") for p in images]
    frames[0].save(pdf, "PDF", save_all=True, append_images=frames[1:], resolution=float(frames[0].info.get("dpi", (200,))[0]))
    ocrmypdf = shutil.which("ocrmypdf")
    if ocrmypdf:
        results.append(measure(
            "OCRmyPDF", len(images),
            [ocrmypdf, "-l", "chi_sim+eng", "--force-ocr", "--jobs", str(processes), "--optimize", "0",
             "--output-type", "pdf", str(pdf), str(work / "ocrmypdf.pdf")], env))
    for engine in ("tesseract", "rapidocr"):
        workspace, timings = work / f"ws-{engine}", work / f"stages-{engine}"
        shutil.rmtree(workspace, ignore_errors=True)
        shutil.rmtree(timings, ignore_errors=True)
        m = measure(
            f"casefile {engine}", len(images),
            [sys.executable, "-m", "casefile.cli", "run", str(work / "pages"), "--engine", engine,
             "--workers", str(processes), "--workspace", str(workspace),
             "--report-json", str(workspace / "report.json"), "--no-summary"],
            env | {"CASEFILE_STAGE_TIMES": str(timings)})
        m.processes = read_stage_times(timings)
        results.append(m)
    return results


def read_stage_times(folder: Path) -> list[dict]:
    """The stage totals every process of one run wrote (core.stages.flush), run process first."""
    found = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
    return sorted(found, key=lambda d: (d["role"] != "run", d["pid"]))


PAGE_GLUE = "page processes, no stage (fork, Python glue)"
RUN_GLUE = "run process, no stage (start-up, imports, Django, migrations)"


def stage_rows(m: Measurement) -> list[tuple[str, float]]:
    """(stage, CPU seconds) summed over the run's processes, in pipeline order, then what no
    stage counted: in the page processes, and in the run process (the run's CPU less the rest)."""
    from core.stages import ORDER

    sums: dict[str, float] = {}
    page_glue = 0.0
    for proc in m.processes:
        staged = 0.0
        for name, figures in proc["stages"].items():
            sums[name] = sums.get(name, 0.0) + figures["cpu_s"]
            staged += figures["cpu_s"]
        if proc["role"] != "run":  # its children (tesseract runs) are counted in its stages
            page_glue += max(0.0, proc["cpu_s"] + proc.get("children_cpu_s", 0.0) - staged)
    rows = [(name, sums.pop(name)) for name in ORDER if name in sums]
    rows += sorted(sums.items())  # a stage a plug-in added
    rows.append((PAGE_GLUE, page_glue))
    rows.append((RUN_GLUE, max(0.0, m.cpu - sum(cpu for _, cpu in rows))))
    return rows


def print_table(results: list[Measurement]) -> None:
    from rich.console import Console
    from rich.table import Table

    base = results[0]
    table = Table(title=f"casefile bench: {base.pages} fixture pages, side by side; ×tess = ratio to raw tesseract")
    for col in ("contender", "CPU s/page", "wall s/page", "peak MB", "CPU ×tess", "wall ×tess", "ok"):
        table.add_column(col, justify="right" if col != "contender" else "left")
    for m in results:
        table.add_row(
            m.name, f"{m.cpu_per_page:.2f}", f"{m.wall_per_page:.2f}", f"{m.peak_mb:.0f}",
            f"{m.cpu / base.cpu:.2f}", f"{m.wall / base.wall:.2f}", "yes" if m.ok else f"no: {m.note}",
        )
    console = Console(width=140)
    console.print(table)
    staged = [m for m in results if m.processes]
    if not staged:
        return
    by_engine = [dict(stage_rows(m)) for m in staged]
    from core.stages import ORDER

    present = {name for rows in by_engine for name in rows}
    names = [n for n in ORDER if n in present] + sorted(present - set(ORDER) - {PAGE_GLUE, RUN_GLUE})
    names += [PAGE_GLUE, RUN_GLUE]
    table = Table(title=f"per stage, the same {base.pages} pages and runs: CPU s/page and share of the run's CPU")
    table.add_column("stage")
    for m in staged:
        table.add_column(f"{m.name} s/page", justify="right")
        table.add_column("share", justify="right")
    for name in names:
        cells = []
        for m, rows in zip(staged, by_engine):
            cpu = rows.get(name)
            cells += ["—", "—"] if cpu is None else [f"{cpu / m.pages:.3f}", f"{cpu / m.cpu:.1%}"]
        table.add_row(name, *cells)
    table.add_row("total (rusage of the run)", *[x for m in staged for x in (f"{m.cpu_per_page:.3f}", "100%")])
    console.print(table)
    table = Table(title="per process: pages read, model load (CPU s), peak RSS")
    for col in ("contender", "process", "pages", "model load s", "CPU s", "peak RSS MB"):
        table.add_column(col, justify="left" if col in ("contender", "process") else "right")
    for m in staged:
        for proc in m.processes:
            st = proc["stages"]
            table.add_row(
                m.name, f"{proc['role']} {proc['pid']}", str(st.get("classification", {}).get("calls", 0)),
                f"{st.get('model load', {}).get('cpu_s', 0.0):.2f}", f"{proc['cpu_s']:.1f}", f"{proc['peak_rss_mb']:.0f}",
            )
    console.print(table)
