"""`casefile bench-workers`: pages per minute of the distributed mode with 1 worker process
against N, on the same fixture pages, side by side in one run.

Each contender gets a fresh database, Redis db and blob store (so nothing is a duplicate of the
other's upload) and a worker that is warmed up before the batch is submitted. Throughput is
measured from the database: first page started → batch closed, so ingest and worker start-up
are left out and every contender is timed over the same work.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass
class ScalingResult:
    processes: int
    pages: int
    seconds: float

    @property
    def pages_per_minute(self) -> float:
        return 60.0 * self.pages / self.seconds


def run_scaling(pages: int = 40, seed: int = 424242, processes: tuple[int, ...] = (1, 2), keep: Path | None = None) -> list[ScalingResult]:
    from devtools.bench import prepare_pages
    from devtools.localcluster import LocalCluster
    from devtools.postgres_service import find_or_start_postgres
    from devtools.redis_service import find_or_start_redis

    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="casefile-bench-workers-"))
    images = prepare_pages(work / "input", pages, seed)
    redis_server, postgres = find_or_start_redis(), find_or_start_postgres()
    results = []
    try:
        for n in processes:
            cluster = LocalCluster(redis_server, postgres, work / f"run-{n}")
            try:
                cluster.start_worker("bench", concurrency=n, beat=False)
                cluster.wait_ready()
                cluster.finish(cluster.submit(images))
                (seconds,) = cluster.sql(
                    "SELECT EXTRACT(EPOCH FROM (SELECT max(closed_at) FROM records_batch) - min(started_at)) "
                    "FROM records_page"
                )[0]
                results.append(ScalingResult(n, len(images), float(seconds)))
            finally:
                cluster.close()
    finally:
        redis_server.stop()
        postgres.stop()
    return results


def print_scaling(results: list[ScalingResult]) -> None:
    from rich.console import Console
    from rich.table import Table

    base = results[0]
    table = Table(title=f"casefile bench-workers: {base.pages} pages, distributed mode (Celery + Redis + PostgreSQL)")
    for col in ("worker processes", "seconds", "pages/min", "speed-up"):
        table.add_column(col, justify="right")
    for r in results:
        table.add_row(str(r.processes), f"{r.seconds:.1f}", f"{r.pages_per_minute:.1f}", f"{r.pages_per_minute / base.pages_per_minute:.2f}×")
    Console().print(table)
