"""Run as `python -m tests.search_concurrency WORKSPACE DATABASE_URL`: three threads index the same
400 documents five times each at once (two searches after a batch closed); prints the errors as JSON.
Used by tests/test_search.py against PostgreSQL (Django is set up once per process)."""
from __future__ import annotations

import json
import sys
import threading
from pathlib import Path


def main(workspace: str, url: str) -> list[str]:
    from config.bootstrap import setup

    setup(Path(workspace), database_url=url)
    from django.db import connection

    from devtools.bench_search import generate_texts, populate
    from records import search
    from records.models import Document, SearchEntry

    populate(generate_texts(400))
    errors: list[str] = []

    def run() -> None:
        try:
            for _ in range(5):
                search.index_documents(Document.objects.values_list("pk", flat=True))
        except Exception as exc:  # what a search request would have answered with
            errors.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if SearchEntry.objects.count() != 400:
        errors.append(f"{SearchEntry.objects.count()} entries")
    return errors


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
