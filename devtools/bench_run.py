"""`casefile bench-scale --run`: `casefile run` itself on N veterans' born-digital evidence (issue #15).

Generates, per veteran, six born-digital PDFs (a text layer, so no OCR: every cost measured is
casefile's own) — the five required papers (入伍登记表, 退出现役登记表, 安置介绍信, 解除劳动合同证明书,
居民身份证) and a 无犯罪记录证明 — one file per paper, and a roster; then runs `casefile run` on them
in a fresh workspace, in a process of its own, and reports wall time, CPU of the whole process tree,
peak memory (the largest process, and the whole tree's proportional set size, sampled), documents per second, and how many
documents were typed and linked as generated.

    casefile bench-scale --run --cases 200,2000
"""
from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from devtools.bench_scale import Person, print_growth_tables

FONT = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0)
PAPERS = ("enlistment", "discharge", "placement", "termination", "id_card", "political_review")


def _ym(value: str) -> str:
    year, month = value.split("-")
    return f"{year}年{int(month)}月"


def _born(p: Person) -> str:
    return f"{p.born[:4]}年{int(p.born[4:6])}月{int(p.born[6:])}日"


def paper_lines(kind: str, p: Person) -> tuple[str, list[str]]:
    """The title and the lines of one paper, as a county's office prints it."""
    gender = "男"
    if kind == "enlistment":
        return "应征公民入伍登记表", [
            f"姓名：{p.name}    性别：{gender}    出生年月：{p.born[:4]}年{int(p.born[4:6])}月",
            f"公民身份号码：{p.id_number}",
            f"批准入伍时间：{_ym(p.enlisted)}",
            "接兵部队：05318部队",
            "青河县人民武装部（征兵办公室）",
        ]
    if kind == "discharge":
        return "义务兵退出现役登记表", [
            f"姓名：{p.name}    性别：{gender}    公民身份号码：{p.id_number}",
            f"入伍时间：{_ym(p.enlisted)}    退出现役时间：{_ym(p.discharged)}",
            "部别：05318部队    退出现役原因：服役期满",
            "安置方式：政府安排工作",
        ]
    if kind == "placement":
        return "退伍军人安置介绍信", [
            f"{p.unit}：",
            f"兹介绍退伍军人{p.name}同志（公民身份号码：{p.id_number}）到你单位报到，请安排工作。",
            "青河县退伍军人安置办公室",
            f"{_ym(p.discharged)}20日",
        ]
    if kind == "termination":
        return "解除劳动合同证明书", [
            f"{p.name}同志（公民身份号码：{p.id_number}）原系我单位职工，",
            "因单位破产，于2003年6月30日与本单位解除劳动合同。",
            f"用人单位：{p.unit}",
            "2003年6月30日",
        ]
    if kind == "id_card":
        return "中华人民共和国居民身份证", [
            f"姓名 {p.name}",
            f"性别 {gender}  民族 汉",
            f"出生 {_born(p)}",
            "住址 临江省青河县城关镇解放路12号",
            f"公民身份号码 {p.id_number}",
        ]
    return "无犯罪记录证明", [
        f"兹证明 {p.name}（{gender}，公民身份号码：{p.id_number}）",
        "经查询，截至2020年3月18日，未发现其有犯罪记录。",
        "青河县公安局城关派出所  2020年3月18日",
    ]


def paper_pdf(kind: str, p: Person) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "zenhei" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("zenhei", FONT[0], subfontIndex=FONT[1]))
    title, lines = paper_lines(kind, p)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.setFont("zenhei", 18)
    c.drawCentredString(297, 770, title)
    c.setFont("zenhei", 11)
    for k, line in enumerate(lines):
        c.drawString(72, 720 - 24 * k, line)
    c.showPage()
    c.save()
    return buf.getvalue()


def generate(out: Path, cases: int, seed: int = 1) -> list[dict]:
    """OUT/batch/doc_NNNNN.pdf, OUT/roster.csv; returns the truth: one entry per document."""
    rng = random.Random(seed)
    people = [Person(i, rng) for i in range(cases)]
    batch = out / "batch"
    batch.mkdir(parents=True, exist_ok=True)
    truth = []
    with (out / "roster.csv").open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["序号", "姓名", "公民身份号码"])
        for p in people:
            writer.writerow([p.i + 1, p.name, p.id_number])
    for p in people:
        for kind in PAPERS:
            name = f"doc_{len(truth) + 1:05d}.pdf"
            (batch / name).write_bytes(paper_pdf(kind, p))
            truth.append({"source": name, "doc_type": kind, "case_id_number": p.id_number})
    return truth


def _tree_memory(root: int) -> tuple[int, int]:
    """(proportional set size of a process and its descendants together, largest resident set of
    one of them), in bytes: pages the forked pool shares with its parent are counted once."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                    children.setdefault(int(f.read().rsplit(")", 1)[1].split()[1]), []).append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    total = largest = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as f:
                values = {line.split(":")[0]: int(line.split()[1]) * 1024 for line in f if line.endswith("kB\n")}
        except (OSError, ValueError, IndexError):
            continue
        total += values.get("Pss", 0)
        largest = max(largest, values.get("Rss", 0))
    return total, largest


def run_one(cases: int, folder: Path, database_url: str = "", workers: int | None = None) -> dict:
    began = time.perf_counter()
    truth = generate(folder / "input", cases)
    generated_s = time.perf_counter() - began
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFILE_")}
    if database_url:
        env["CASEFILE_DATABASE_URL"] = database_url
    report = folder / "report.json"
    command = [sys.executable, "-c", "from casefile.cli import app; app()", "run", str(folder / "input" / "batch"), "--roster",
               str(folder / "input" / "roster.csv"), "--report-json", str(report), "--workspace",
               str(folder / "workspace"), "--no-summary"]
    if workers:
        command += ["--workers", str(workers)]
    began = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(2.0):  # rarely: the sampling is CPU the run is measured without
            total, largest = _tree_memory(proc.pid)
            peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - began
    done.set()
    sampler.join()
    stdout, stderr = proc.stdout.read(), proc.stderr.read()
    if status != 0:
        raise RuntimeError(f"casefile run failed ({status}):\n{stderr[-3000:]}\n{stdout[-2000:]}")
    got = json.loads(report.read_text(encoding="utf-8"))
    by_source = {d["source"]: d for d in got["documents"]}
    typed = sum(by_source.get(t["source"], {}).get("doc_type") == t["doc_type"] for t in truth)
    linked = sum(by_source.get(t["source"], {}).get("case_id_number") == t["case_id_number"] for t in truth)
    return {
        "backend": "postgresql" if database_url else "sqlite",
        "cases": cases,
        "documents": len(truth),
        "generate_s": round(generated_s, 1),
        "wall_s": round(wall, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "documents_per_s": round(len(truth) / wall, 1),
        "peak_process_mb": usage.ru_maxrss // 1024,
        "peak_tree_mb": peak[0] // 1048576,
        "typed": typed,
        "linked": linked,
        "documents_found": len(got["documents"]),
        "errors": len(got["errors"]),
    }


def run_bench(sizes: tuple[int, ...], backends: tuple[str, ...] = ("sqlite",), workers: int | None = None) -> list[dict]:
    from devtools.services import scratch_database

    results = []
    for backend in backends:
        for n in sizes:
            with tempfile.TemporaryDirectory(prefix="casefile-bench-run-", ignore_cleanup_errors=True) as tmp:
                with scratch_database(backend, Path(tmp), "casefile_bench_run_") as url:
                    results.append(run_one(n, Path(tmp), url, workers))
            print(json.dumps(results[-1], ensure_ascii=False), file=sys.stderr, flush=True)  # each as it is measured
    return results


ROWS = (
    ("documents", "材料数（每份一个 PDF）", ""), ("wall_s", "casefile run 总用时", "s"), ("cpu_s", "CPU（全部进程）", "s"),
    ("documents_per_s", "每秒材料数", ""), ("peak_process_mb", "单进程峰值内存 MB", ""),
    ("peak_tree_mb", "全部进程峰值内存合计（PSS）MB", ""), ("typed", "类型正确的材料", ""), ("linked", "归入正确案卷的材料", ""),
    ("errors", "错误", ""),
)


def print_results(results: list[dict]) -> None:
    print_growth_tables(results, ROWS, "casefile run（{backend}，原生电子 PDF）")
