"""`casefile adapt`: the adaptation curve — how reading improves as a reviewer teaches casefile.

On a workspace that has read a generated batch, a reviewer is simulated from the batch's truth:
for k = 0, 1, 3, 5 … documents of each type, the first k (in truth order) get their true type
and every true field value, as a reviewer would confirm or type them. Then `casefile learn`
refits the page model and learns the labels beside those values, `casefile reread` applies it,
and the batch is scored on the documents the reviewer did NOT touch. A measurement, never a test
assertion; run it on a batch that played no part in development.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

from django.utils import timezone

from config.options import PipelineOptions
from core.codes import DocType
from report.score import score


@dataclass
class AdaptPoint:
    per_type: int
    reviewed: int          # truth documents the simulated reviewer confirmed so far
    learned_labels: int
    result: dict           # `score` of the untouched rest


def run_adaptation(truth: dict, batch_id: int, steps: tuple[int, ...], options: PipelineOptions,
                   base_families: tuple[str, ...] | None = None) -> list[AdaptPoint]:
    from pipeline.learning import learn, reset
    from pipeline.report import build_report
    from pipeline.reread import reread

    reset()
    points = []
    reviewed: set[str] = set()
    for k in steps:
        batch_docs = _report_documents(batch_id)
        for truth_doc in _first_of_each_type(truth, k):
            if truth_doc["id"] not in reviewed and _review(truth_doc, batch_docs):
                reviewed.add(truth_doc["id"])
        labels = 0
        if reviewed:
            state = learn("adapt", base_families)
            labels = len(state.labels)
            reread(options)
        points.append(AdaptPoint(k, len(reviewed), labels, score(_rest(truth, reviewed), build_report(batch_id))))
    return points


def _first_of_each_type(truth: dict, k: int) -> list[dict]:
    seen: dict[str, int] = {}
    chosen = []
    for doc in truth["documents"]:
        if doc["doc_type"] == DocType.OTHER or seen.get(doc["doc_type"], 0) >= k:
            continue
        seen[doc["doc_type"]] = seen.get(doc["doc_type"], 0) + 1
        chosen.append(doc)
    return chosen


def _report_documents(batch_id: int) -> dict[str, list]:
    from records.models import BatchFile, Document

    by_source: dict[str, list] = {}
    for upload in BatchFile.objects.filter(batch_id=batch_id, file__isnull=False):
        by_source[upload.source] = list(Document.objects.filter(file_id=upload.file_id))
    return by_source


def _review(truth_doc: dict, batch_docs: dict[str, list]) -> bool:
    """Give the stored document covering the truth document its true type and field values."""
    from records.models import Document, Field

    pages = set(truth_doc["pages"])
    candidates = [(len(pages & set(d.pages)), d) for d in batch_docs.get(truth_doc["source"], [])]
    overlap, doc = max(candidates, key=lambda c: c[0], default=(0, None))
    if not overlap:
        return False
    now = timezone.now()
    doc.doc_type, doc.review_status = truth_doc["doc_type"], Document.Review.CONFIRMED
    doc.save(update_fields=["doc_type", "review_status"])
    for name, value in truth_doc["fields"].items():
        Field.objects.update_or_create(
            document=doc, name=name,
            defaults={"value": value, "confidence": 1.0, "source": Field.Source.REVIEWER, "reviewed_by": "adapt",
                      "reviewed_at": now, "page": doc.pages[0]},
        )
    return True


def _rest(truth: dict, reviewed: set[str]) -> dict:
    """The truth without the reviewed documents and their pages."""
    rest = copy.deepcopy(truth)
    rest["documents"] = [d for d in rest["documents"] if d["id"] not in reviewed]
    for f in rest["files"]:
        f["pages"] = [p for p in f["pages"] if p["document"] not in reviewed]
    return rest
