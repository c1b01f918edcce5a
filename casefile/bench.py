"""`casefile bench`: the same fixture pages through casefile and two baselines, side by side.

Contenders run as child processes; CPU seconds and peak memory come from the kernel's rusage
of each child and its waited-for descendants (so pool workers are counted), wall seconds from
the clock. Figures are ratios against raw tesseract: a benchmark, never a test assertion.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
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
        [sys.executable, "-c", f"from casefile.bench import prepare_pages; prepare_pages({str(work)!r}, {pages}, {seed})"],
        check=True,
    )
    images = sorted((work / "pages").glob("page_*.png"))
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    results: list[Measurement] = []

    # Raw tesseract: one process per page, `processes` at a time, one thread each.
    tesseract_out = work / "tesseract"
    tesseract_out.mkdir(exist_ok=True)
    xargs = ["xargs", "-P", str(processes), "-I{}", "tesseract", "{}", "{}.txt", "-l", "chi_sim+eng"]
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
        workspace = work / f"ws-{engine}"
        shutil.rmtree(workspace, ignore_errors=True)
        results.append(measure(
            f"casefile {engine}", len(images),
            [sys.executable, "-m", "casefile.cli", "run", str(work / "pages"), "--engine", engine,
             "--workers", str(processes), "--workspace", str(workspace),
             "--report-json", str(workspace / "report.json"), "--no-summary"], env))
    return results


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
    Console(width=120).print(table)
