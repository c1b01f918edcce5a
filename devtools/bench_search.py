"""`casefile bench-search`: latency of the document list's full-text search (records/search.py) on
a workspace of N born-digital documents, on SQLite and on PostgreSQL.

The documents are generated straight into the database as the pipeline stores a born-digital
file (a SourceFile, one Page whose text is the text layer, one Document, its fields): the texts are
the forms' wording with a veteran's name, ID number, birth date, units and dates, so no page is
rendered or read (ingest is not what is measured). Each query is timed as the list runs it
(web/views/documents.filtered for a reviewer: the count of matches and the first page of 50 with
its batch annotations, newest first); rendering the page is not included. Every answer is checked against a
plain substring scan of the same texts in Python, so a fast wrong index fails the benchmark.

Each database runs in its own process (Django is set up once per process); PostgreSQL is the
machine's own on 127.0.0.1:5432 when it answers, else a private one (devtools/postgres_service.py), in a
database created for the run and dropped after it.
"""
from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
COUNTIES = ["青河县", "临川县", "南丰县", "宜黄县", "崇仁县", "乐安县", "金溪县", "资溪县", "广昌县", "黎川县"]
UNITS = ["化肥厂", "农机修造厂", "粮食局", "供销合作社", "食品公司", "印刷厂", "水泥厂", "棉纺厂", "运输公司", "电影公司"]
TEMPLATES = {
    "termination": (
        "解除（终止）劳动合同证明书\n甲方（用人单位）：{unit}\n乙方姓名：{name}  性别：{gender}\n"
        "公民身份号码：{id}\n乙方于{start}到我单位工作，经双方协商一致，于{end}解除劳动合同。\n"
        "特此证明。\n{unit}（盖章）\n{end}"
    ),
    "placement": (
        "退伍军人安置介绍信\n（{year}）{county_short}安字第{serial}号\n{unit}：\n"
        "兹介绍退伍军人{name}同志（公民身份号码{id}）前往你单位报到，请按政策安排工作。\n"
        "该同志于{enlist}入伍，{discharge}退出现役。\n{county}退役军人事务局\n{start}"
    ),
    "discharge": (
        "士兵退出现役登记表\n姓名 {name} 性别 {gender} 出生年月 {birth}\n公民身份号码 {id}\n"
        "入伍时间 {enlist} 退出现役时间 {discharge}\n服役部队 {troop}\n安置地 {county}\n"
    ),
    "political_review": (
        "无犯罪记录证明\n兹证明 {name}（{gender}，公民身份号码：{id}）\n"
        "经查询，截至{start}，未发现其有犯罪记录。\n{county}公安局城关派出所  {start}"
    ),
}
# What every form also carries (addresses, family, remarks, the signature block): real text layers
# run to several hundred characters a page, and the scan fallback's cost grows with them.
BOILERPLATE = (
    "\n籍贯：{county}{town}镇{village}村  民族：汉族  文化程度：{school}  政治面貌：{party}\n"
    "家庭住址：{county}{town}镇{village}村{house}号  联系电话：{phone}\n"
    "家庭主要成员：父 {surname}{father}，务农；母 {mother}，务农。\n"
    "本人简历：{enlist}前在家务农；{enlist}应征入伍，在{troop}服役，历任战士、副班长；{discharge}退出现役。\n"
    "奖惩情况：服役期间表现良好，曾获嘉奖{awards}次。\n"
    "备注：本表一式三份，本人、安置地退役军人事务部门及档案各存一份。经办人：{clerk}  审核人：{checker}\n"
)
QUERY_KINDS = ("两字姓名", "三字姓名", "身份证号片段（8位）", "身份证号片段（4位）", "单位名称", "两个词")


def _id_number(rng: random.Random, birth: tuple[int, int, int]) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    first17 = f"3608{rng.randint(10, 99)}{birth[0]:04d}{birth[1]:02d}{birth[2]:02d}{rng.randint(0, 999):03d}"
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def generate_texts(n: int, seed: int = 13) -> list[tuple[str, str, dict]]:
    """n documents: (doc_type, text layer, fields)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        given = rng.choice(GIVEN) if rng.random() < 0.4 else rng.choice(GIVEN) + rng.choice(GIVEN)
        name = rng.choice(SURNAMES) + given
        birth = (rng.randint(1955, 1985), rng.randint(1, 12), rng.randint(1, 28))
        number = _id_number(rng, birth)
        county = rng.choice(COUNTIES)
        unit = county + rng.choice(UNITS)
        enlist = birth[0] + rng.randint(17, 22)
        discharge = enlist + rng.randint(2, 12)
        doc_type = rng.choice(list(TEMPLATES))
        values = {
            "name": name, "gender": "男" if int(number[16]) % 2 else "女", "id": number, "unit": unit,
            "birth": f"{birth[0]}年{birth[1]}月", "enlist": f"{enlist}年{rng.randint(1, 12)}月",
            "discharge": f"{discharge}年{rng.randint(1, 12)}月", "start": f"{discharge + 1}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
            "end": f"{discharge + rng.randint(5, 20)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
            "county": county, "county_short": county[:2], "year": str(discharge + 1)[2:], "serial": f"{rng.randint(1, 300):03d}",
            "troop": f"{rng.randint(30000, 99999)}部队",
        }
        values.update(
            town=rng.choice("城关新华东岭西坪南港北塘"), village=rng.choice(["红旗", "前进", "东风", "和平", "长青", "向阳"]),
            house=rng.randint(1, 200), phone=f"13{rng.randint(100000000, 999999999)}", school=rng.choice(["初中", "高中", "中专"]),
            party=rng.choice(["中共党员", "共青团员", "群众"]), surname=name[0], father=rng.choice(GIVEN) + rng.choice(GIVEN),
            mother=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN), awards=rng.randint(1, 4),
            clerk=rng.choice(SURNAMES) + rng.choice(GIVEN), checker=rng.choice(SURNAMES) + rng.choice(GIVEN),
        )
        fields = {"name": name, "id_number": number}
        out.append((doc_type, (TEMPLATES[doc_type] + BOILERPLATE).format(**values), fields))
    return out


def queries(texts: list[tuple[str, str, dict]], per_kind: int, seed: int = 7) -> list[tuple[str, str]]:
    """(kind, query) drawn from the generated documents."""
    rng = random.Random(seed)
    two = [f["name"] for _, _, f in texts if len(f["name"]) == 2]
    three = [f["name"] for _, _, f in texts if len(f["name"]) == 3]
    ids = [f["id_number"] for _, _, f in texts]
    out = []
    for _ in range(per_kind):
        number = rng.choice(ids)
        at = rng.randint(0, 10)
        out += [
            ("两字姓名", rng.choice(two)),
            ("三字姓名", rng.choice(three)),
            ("身份证号片段（8位）", number[at:at + 8]),
            ("身份证号片段（4位）", number[-4:]),
            ("单位名称", rng.choice(COUNTIES) + rng.choice(UNITS)),
            ("两个词", f"{rng.choice(two)} {rng.choice(list(TEMPLATES.values()))[:4]}"),
        ]
    return out


def populate(texts: list[tuple[str, str, dict]]) -> None:
    """Store the documents as the pipeline stores a born-digital file, then index them."""
    from django.db import transaction

    from records.models import Document, Field, Page, SourceFile
    from records.search import ensure_indexed

    for start in range(0, len(texts), 1000):
        chunk = texts[start:start + 1000]
        with transaction.atomic():
            files = SourceFile.objects.bulk_create(
                SourceFile(sha256=f"{start + i:064x}", kind="pdf", size=1000, storage_key=f"bench/{start + i}",
                           first_name=f"扫描件/{start + i:05d}.pdf", pages_total=1, pages_done=1, status="done")
                for i in range(len(chunk))
            )
            Page.objects.bulk_create(
                Page(file=f, number=1, image_key="", has_text_layer=True, text=text, doc_type=doc_type, doc_type_conf=0.99,
                     status="done", starts_document=True)
                for f, (doc_type, text, _) in zip(files, chunk)
            )
            docs = Document.objects.bulk_create(
                Document(file=f, index=0, pages=[1], doc_type=doc_type, doc_type_conf=0.99)
                for f, (doc_type, _, _) in zip(files, chunk)
            )
            Field.objects.bulk_create(
                Field(document=d, name=name, value=value, confidence=0.99, page=1, source="text_layer")
                for d, (_, _, fields) in zip(docs, chunk)
                for name, value in fields.items()
            )
    ensure_indexed()


def measure(qs: list[tuple[str, str]], repeat: int = 3) -> list[dict]:
    """Each query as the list runs it (count + first page), the best of `repeat` runs is not
    taken: every run is a sample."""
    from django.contrib.auth.models import User
    from django.test import RequestFactory

    from records.models import SearchEntry
    from records.search import normalize, terms
    from web.roles import REVIEWER, create_user
    from web.views.documents import PER_PAGE, filtered

    texts = dict(SearchEntry.objects.values_list("document_id", "text"))
    user = User.objects.filter(username="bench-reviewer").first() or create_user("bench-reviewer", REVIEWER, "Bench-Search-2026!")
    rows = []
    for kind, query in qs:
        wanted = sorted((pk for pk, text in texts.items() if all(t in text for t in terms(query))), reverse=True)
        for _ in range(repeat):
            request = RequestFactory().get("/documents/", {"q": query})
            request.user = user
            began = time.perf_counter()
            found = filtered(request, request.GET)  # the list's own query: scope, annotations, order
            count = found.count()
            first = [d.pk for d in found[:PER_PAGE]]
            ms = (time.perf_counter() - began) * 1000
            if count != len(wanted) or first != wanted[:50]:
                raise AssertionError(f"search for {normalize(query)!r}: {count} found, {len(wanted)} contain it")
            rows.append({"kind": kind, "query_chars": len(query), "hits": count, "ms": ms})
    return rows


def summarize(rows: list[dict]) -> dict:
    ms = sorted(r["ms"] for r in rows)

    def pct(p: float) -> float:
        return ms[min(len(ms) - 1, int(round(p * (len(ms) - 1))))]

    per_kind = {}
    for kind in QUERY_KINDS:
        mine = [r["ms"] for r in rows if r["kind"] == kind]
        if mine:
            per_kind[kind] = {"median_ms": round(statistics.median(mine), 1), "max_ms": round(max(mine), 1),
                              "mean_hits": round(statistics.mean(r["hits"] for r in rows if r["kind"] == kind), 1)}
    return {"queries": len(rows), "median_ms": round(statistics.median(ms), 1), "p90_ms": round(pct(0.9), 1),
            "max_ms": round(ms[-1], 1), "per_kind": per_kind}


def run_backend(backend: str, documents: int, per_kind: int, workspace: Path, database_url: str = "") -> dict:
    """In this process: set up Django on the backend, fill it, measure."""
    from config.bootstrap import setup

    setup(workspace, database_url=database_url)  # "": SQLite in the workspace
    from django.db import connection

    texts = generate_texts(documents)
    began = time.perf_counter()
    populate(texts)
    filled = time.perf_counter() - began
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    result = summarize(measure(queries(texts, per_kind)))
    return {"backend": connection.vendor, "documents": documents, "fill_seconds": round(filled, 1),
            "indexes": indexes_usable(), **result}


def indexes_usable() -> dict:
    """Whether each kind of term can be served by its index: the plan of a two-character and of a
    six-character search, with sequential scans (and walks of the primary key) discouraged so that a
    small table shows it too."""
    from django.db import connection, transaction

    from records.models import Document
    from records.search import search

    out = {}
    for kind, query in (("short", "夏新"), ("long", "青河县化肥厂")):
        sql, params = search(Document.objects.all(), query).values("pk").query.sql_with_params()
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_indexscan = off")  # nor a walk of the primary key
                cursor.execute("EXPLAIN " + sql, params)
                plan = " ".join(row[0] for row in cursor.fetchall())
                out[kind] = ("records_searchentry_chars" if kind == "short" else "records_searchentry_trgm") in plan
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                plan = " ".join(str(row) for row in cursor.fetchall())
                table = "records_searchentry_chars" if kind == "short" else "records_searchentry_fts"
                out[kind] = f"SCAN {table} VIRTUAL TABLE INDEX" in plan
    return out


def run_search_bench(documents: int = 10_000, per_kind: int = 10, backends: tuple[str, ...] = ("sqlite", "postgresql")) -> list[dict]:
    from devtools.postgres_service import scratch_database  # psycopg and redis: not in the measured child

    results = []
    for backend in backends:
        with tempfile.TemporaryDirectory(prefix="casefile-bench-search-") as tmp:
            env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFILE_")}
            with scratch_database(backend, Path(tmp), "casefile_bench_search_") as url:
                proc = subprocess.run(
                    [sys.executable, "-m", "devtools.bench_search", backend, str(documents), str(per_kind), tmp, url],
                    env=env, capture_output=True, text=True, check=False,
                )
            if proc.returncode != 0:
                raise RuntimeError(f"bench-search on {backend} failed:\n{proc.stderr[-3000:]}")
            results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return results


def print_results(results: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="文件检索耗时（计数 + 第一页 50 条）")
    for col in ("数据库", "文件数", "查询次数", "中位数 ms", "P90 ms", "最大 ms", *QUERY_KINDS):
        table.add_column(col)
    for r in results:
        kinds = [f"{r['per_kind'][k]['median_ms']}" if k in r["per_kind"] else "" for k in QUERY_KINDS]
        table.add_row(r["backend"], str(r["documents"]), str(r["queries"]), str(r["median_ms"]), str(r["p90_ms"]),
                      str(r["max_ms"]), *kinds)
    Console().print(table)


if __name__ == "__main__":
    backend, documents, per_kind, workspace, url = sys.argv[1:6]
    print(json.dumps(run_backend(backend, int(documents), int(per_kind), Path(workspace), url), ensure_ascii=False))
