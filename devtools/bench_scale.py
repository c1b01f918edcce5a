"""`casefile bench-scale`: the costs after OCR on a county-sized workspace (issue #15), on SQLite and
PostgreSQL, for several sizes, with the growth factor.

The workspace is built straight into the database as linking and the pages see it (cases, one
source file per document or per veteran's scan, documents with the fields extraction stores; no
page is rendered or read): N veterans with their six papers each, and the papers that make
linking interact (no ID number, an unreadable number one slip off, homophone namesakes, a name
alone, someone else's number, a payroll of several veterans). Measured, each in its own process
per database and size (Django is set up once per process):

- the first linking of the whole workspace and the evaluation of every case (link_all_documents:
  the path of `casefile reread`);
- closing a batch of 100 new documents (pipeline/flow.close_batch: only what they can affect);
- a reviewer's field correction (casework/review.correct_field: re-linking around the document and
  evaluating its cases), median of `--corrections`;
- the dashboard, the case list, the review queue and the document list as a reviewer opens them
  (Django's test client, the page rendered), median of 5, and the queries each issues;
- the XLSX export of every case.

Not measured here: ingest, reading and `casefile run` (see `casefile bench`).
"""
from __future__ import annotations

import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from core.codes import DocType
from extract.normalize.idnumbers import check_char

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方俞任袁柳"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞斌辉建国志宏海波宁"
# Homophone namesakes: (roster name, another roster name that sounds the same)
HOMOPHONES = [("周立新", "周利新"), ("张伟", "章伟"), ("李明", "李鸣")]


def id_number(i: int, born: str) -> str:
    first17 = f"3608{(i // 1000) % 100:02d}{born}{i % 1000:03d}"
    return first17 + check_char(first17)


def _name(i: int) -> str:
    # distinct for i < len(SURNAMES) * len(GIVEN) ** 2 (≈ 125,000)
    g = len(GIVEN)
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % g] + GIVEN[(i // (len(SURNAMES) * g)) % g]


def _month(rng: random.Random, lo: int, hi: int) -> tuple[int, int]:
    return rng.randint(lo, hi), rng.randint(1, 12)


class Person:
    def __init__(self, i: int, rng: random.Random, name: str | None = None) -> None:
        self.i = i
        by, bm = _month(rng, 1960, 1980)
        self.born = f"{by}{bm:02d}{rng.randint(1, 28):02d}"
        self.id_number = id_number(i, self.born)
        self.name = name or _name(i)
        ey = by + rng.randint(17, 21)
        self.enlisted = f"{ey}-{rng.randint(1, 12):02d}"
        self.discharged = f"{ey + rng.randint(3, 12)}-{rng.randint(1, 12):02d}"
        self.unit = f"青河县第{i}机械厂"


def build(n_cases: int, *, seed: int = 1, tricky: bool = False, flags: bool = False, linked: bool = False) -> dict:  # noqa: C901
    """Writes the workspace; returns {"cases": [Case], "documents": [Document]}. `linked`: each
    person's own papers are attached to his case already (as linking would), for tests of what
    reads linked cases (exports, pages)."""
    from cases.derived import CaseDerived, KeyDate, PendingPeriod
    from core.types import EvidenceRef
    from records.models import Case, Document, Field, Flag, SourceFile

    rng = random.Random(seed)
    people = [Person(i, rng) for i in range(n_cases)]
    if tricky:
        for k, (a, b) in enumerate(HOMOPHONES):
            if 2 * k + 1 < n_cases:
                people[2 * k].name, people[2 * k + 1].name = a, b
    cases = Case.objects.bulk_create(
        Case(id_number=p.id_number, name=p.name, attributes={"入伍时间": p.enlisted} if p.i % 7 == 0 else {})
        for p in people
    )
    specs: list[tuple[int | None, str, dict, list]] = []  # (file group, doc type, fields, rows)
    owner: dict[int, int] = {}  # spec index of a person's own six papers → the person
    for p in people:
        group = p.i
        base = {"name": p.name, "id_number": p.id_number}
        specs += [
            (group, "enlistment", {**base, "birth_date": p.born[:4] + "-" + p.born[4:6], "enlistment_date": p.enlisted}, []),
            (group, "discharge", {**base, "enlistment_date": p.enlisted, "discharge_date": p.discharged}, []),
            (group, "placement", {**base, "placement_unit": p.unit, "issue_date": p.discharged + "-20"}, []),
            (group, "termination", {**base, "employer": p.unit, "termination_date": "2003-06-30"}, []),
            (group, "id_card", {**base, "birth_date": p.born[:4] + "-" + p.born[4:6]}, []),
            (None, "contribution", dict(base), []),
        ]
        owner.update({k: p.i for k in range(len(specs) - 6, len(specs))})
        if not tricky:
            continue
        if p.i % 5 == 1:  # no ID number: the name and the discharge month
            specs.append((None, "discharge", {"name": p.name, "discharge_date": p.discharged}, []))
        if p.i % 5 == 2:  # no ID number, scanned with his ID-numbered papers: the same file
            specs.append((group, "political_review", {"name": p.name}, []))
        if p.i % 5 == 3:  # no ID number, in a file of its own: his unit (from the linked letter)
            specs.append((None, "termination", {"name": p.name, "employer": p.unit}, []))
        if p.i % 11 == 4:  # an unreadable ID number one digit off his
            slip = p.id_number[:10] + str((int(p.id_number[10]) + 1) % 10) + p.id_number[11:]
            specs.append((None, "enlistment", {"name": p.name, "id_number": slip}, []))
        if p.i % 13 == 5:  # a name and nothing else (the last resort)
            specs.append((None, "other", {"name": p.name}, []))
        if p.i % 17 == 6:  # someone else's paper: a valid number not on the roster
            other = id_number(90000 + p.i, "19700101")
            specs.append((None, "discharge", {"name": p.name, "id_number": other}, []))
    if tricky:
        for k, (a, b) in enumerate(HOMOPHONES):  # papers that sound like both namesakes
            if 2 * k + 1 < n_cases:
                pa = people[2 * k]
                specs.append((None, "discharge", {"name": b, "discharge_date": pa.discharged}, []))
                specs.append((None, "other", {"name": a}, []))
        # a payroll listing several veterans, one per row
        rows = [{"name": _field_json(people[j].name), "id_number": _field_json(people[j].id_number)}
                for j in range(0, min(n_cases, 30), 3)]
        specs.append((None, "subsidy_voucher", {}, rows))
        specs.append((None, "subsidy_voucher", {}, rows[:1]))  # a payroll of one veteran only
    files: dict[object, SourceFile] = {}
    keys = [spec[0] if spec[0] is not None else ("own", k) for k, spec in enumerate(specs)]
    new_files = []
    for key in dict.fromkeys(keys):
        new_files.append(SourceFile(sha256=f"{len(new_files):064x}", kind="pdf", size=1, storage_key="k",
                                    first_name=f"scan-{len(new_files)}.pdf", status="done"))
    for key, f in zip(dict.fromkeys(keys), SourceFile.objects.bulk_create(new_files)):
        files[key] = f
    counters: dict[int, int] = {}
    docs = []
    for key, (_, doc_type, _, rows) in zip(keys, specs):
        f = files[key]
        index = counters.get(f.pk, 0)
        counters[f.pk] = index + 1
        docs.append(Document(file=f, index=index, pages=[index + 1], doc_type=doc_type, doc_type_conf=0.97, rows=rows))
    if linked:
        for k, d in enumerate(docs):
            if k in owner:
                d.case, d.link_method, d.link_reason = cases[owner[k]], "id_number", "公民身份号码与花名册一致"
    docs = Document.objects.bulk_create(docs, batch_size=500)
    Field.objects.bulk_create(
        (Field(document=d, name=name, value=value, raw=value, confidence=0.95, page=d.pages[0], bbox=[1, 1, 2, 2],
               source="text_layer")
         for d, (_, _, fields, _) in zip(docs, specs) for name, value in fields.items()),
        batch_size=1000,
    )
    if flags:
        by_number = {c.id_number: c for c in cases}
        for c, p in zip(cases, people):
            c.derived_values = CaseDerived(
                service_months=60, pending_placement_months=9,
                pending_period=PendingPeriod("1997-01", "1997-09", "after_discharge_month", "letter_month",
                                             EvidenceRef("D000001", "discharge_date"), EvidenceRef("D000001", "placement_date")),
                dates={"enlistment": KeyDate(p.enlisted, p.enlisted, "D000001", "enlistment_date")},
                periods={}, contribution_record=False,
            )
        Case.objects.bulk_update(cases, ["derived"], batch_size=500)
        Flag.objects.bulk_create(
            (Flag(case=by_number[p.id_number], code="missing_document", doc_type="placement", severity="error",
                  message=f"缺少安置介绍信（{p.i}）", evidence=[]) for p in people if p.i % 3 == 0),
            batch_size=1000,
        )
    return {"cases": cases, "documents": docs}


def _field_json(value: str) -> dict:
    return {"value": value, "raw": value, "confidence": 0.95, "page": 1, "bbox": [1, 1, 2, 2]}


# ---- the benchmark --------------------------------------------------------------------------------

PAGES = (("dashboard", "/"), ("case list", "/cases/"), ("review queue", "/review/"), ("document list", "/documents/"))
BATCH_DOCUMENTS = 100


def _timed(fn):
    began = time.perf_counter()
    result = fn()
    return time.perf_counter() - began, result


def _new_batch(people_from: int, documents: int = BATCH_DOCUMENTS) -> int:
    """A closed-to-be batch of new papers: five with ID numbers and one without, per veteran, of
    veterans already on the roster (the second upload of a county's scans)."""
    from records.models import Batch, BatchFile, Case, Document, Field, SourceFile

    batch = Batch.objects.create(label="补充材料", status=Batch.Status.OPEN)
    cases = list(Case.objects.order_by("id")[people_from:people_from + documents // 6 + 1])
    made = 0
    for k, case in enumerate(cases):
        scan = SourceFile.objects.create(sha256=f"b{people_from:031x}{k:032x}", kind="pdf", size=1, storage_key="k",
                                         first_name=f"batch-{k}.pdf", status="done")
        BatchFile.objects.create(batch=batch, source=scan.first_name, file=scan)
        for index, doc_type in enumerate(("enlistment", "discharge", "placement", "termination", "id_card", "other")):
            if made == documents:
                break
            doc = Document.objects.create(file=scan, index=index, pages=[index + 1], doc_type=doc_type, doc_type_conf=0.97)
            fields = {"name": case.name} | ({"id_number": case.id_number} if doc_type != DocType.OTHER else {})
            Field.objects.bulk_create(Field(document=doc, name=n, value=v, raw=v, confidence=0.95, page=index + 1,
                                            bbox=[1, 1, 2, 2], source="text_layer") for n, v in fields.items())
            made += 1
    return batch.pk


def run_one(cases: int, corrections: int, workspace: Path, database_url: str = "") -> dict:
    """In this process: set up Django on the database, build the workspace, measure."""
    from config.bootstrap import setup

    cfg = setup(workspace, database_url=database_url)  # "": SQLite in the workspace
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from casework import review
    from casework.exports import write_cases_xlsx
    from config.options import pipeline_options
    from pipeline.flow import close_batch
    from pipeline.linking import evaluate_cases, link_all_documents
    from records.models import Case, Document
    from web.roles import REVIEWER, create_user

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    options = pipeline_options(cfg)
    out: dict = {"backend": connection.vendor, "cases": cases}
    out["build_s"], _ = _timed(lambda: build(cases, tricky=True))
    out["documents"] = Document.objects.count()
    out["link_all_s"], _ = _timed(link_all_documents)
    out["evaluate_all_s"], _ = _timed(lambda: evaluate_cases(list(Case.objects.values_list("id_number", flat=True)), options.cases))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    batch = _new_batch(people_from=cases // 2)
    out["batch_close_s"], closed = _timed(lambda: close_batch(batch, options))
    assert closed, "the batch should close"
    targets = list(Document.objects.filter(doc_type="discharge", fields__name="id_number").order_by("pk")[:corrections])
    times = []
    for i, doc in enumerate(targets):
        began = time.perf_counter()
        review.correct_field(doc.pk, "discharge_date", f"1990年{i % 12 + 1}月", "bench", options)
        times.append(time.perf_counter() - began)
    out["correction_ms"] = round(statistics.median(times) * 1000, 1)
    client = Client()
    client.force_login(create_user("bench_reviewer", REVIEWER, "Bench-Reviewer-2026!"),
                       backend="django.contrib.auth.backends.ModelBackend")
    for name, url in PAGES:
        client.get(url)
        ms = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get(url)
                ms.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        out[f"{name}_ms"] = round(statistics.median(ms), 1)
        out[f"{name}_queries"] = len(queries)
    out["export_s"], _ = _timed(lambda: write_cases_xlsx(io.BytesIO(), options.cases))
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in out.items()}


def run_scale_bench(sizes: tuple[int, ...] = (200, 2000), backends: tuple[str, ...] = ("sqlite", "postgresql"),
                    corrections: int = 20) -> list[dict]:
    from devtools.postgres_service import scratch_database  # psycopg and redis: not in the measured child

    results = []
    for backend in backends:
        for n in sizes:
            with tempfile.TemporaryDirectory(prefix="casefile-bench-scale-") as tmp:
                env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFILE_")}
                with scratch_database(backend, Path(tmp), "casefile_bench_scale_") as url:
                    proc = subprocess.run([sys.executable, "-m", "devtools.bench_scale", str(n), str(corrections), tmp, url],
                                          env=env, capture_output=True, text=True, check=False)
                if proc.returncode != 0:
                    raise RuntimeError(f"bench-scale on {backend} ({n} cases) failed:\n{proc.stderr[-3000:]}")
                results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return results


ROWS = (
    ("documents", "材料数", ""), ("link_all_s", "全部关联（首次 / reread）", "s"), ("evaluate_all_s", "全部案卷核对", "s"),
    ("batch_close_s", f"关闭 {BATCH_DOCUMENTS} 份材料的批次", "s"), ("correction_ms", "复核人修改一个字段（中位数）", "ms"),
    ("dashboard_ms", "工作台", "ms"), ("case list_ms", "案卷列表", "ms"), ("review queue_ms", "复核队列", "ms"),
    ("document list_ms", "文件列表", "ms"), ("dashboard_queries", "工作台查询数", ""), ("case list_queries", "案卷列表查询数", ""),
    ("review queue_queries", "复核队列查询数", ""), ("document list_queries", "文件列表查询数", ""),
    ("export_s", "导出全部案卷（Excel）", "s"), ("peak_mb", "峰值内存 MB", ""),
)


def print_results(results: list[dict]) -> None:
    print_growth_tables(results, ROWS, "规模测试（{backend}）", lambda runs: f"{runs[-1]['cases'] // runs[0]['cases']}× 案卷时的增长")


def print_growth_tables(results: list[dict], rows, title: str, growth_header=lambda runs: "增长") -> None:
    """One table per backend: a column per case count and, with two or more, the growth from the
    first to the last (`casefile bench-scale` and its `--run`)."""
    from rich.console import Console
    from rich.table import Table

    for backend in dict.fromkeys(r["backend"] for r in results):
        runs = sorted((r for r in results if r["backend"] == backend), key=lambda r: r["cases"])
        table = Table(title=title.format(backend=backend))
        table.add_column("")
        for r in runs:
            table.add_column(f"{r['cases']} 个案卷")
        if len(runs) > 1:
            table.add_column(growth_header(runs))
        for key, label, unit in rows:
            cells = [f"{r[key]}{(' ' + unit) if unit else ''}" for r in runs]
            if len(runs) > 1:
                first, last = runs[0][key], runs[-1][key]
                cells.append(f"{last / first:.1f}×" if first else "")
            table.add_row(label, *cells)
        Console().print(table)

if __name__ == "__main__":
    n, corrections, workspace, url = sys.argv[1:5]
    print(json.dumps(run_one(int(n), int(corrections), Path(workspace), url), ensure_ascii=False))
