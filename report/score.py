"""`casefile eval`: score a casefile.report/1 report against a fixture's casefile.truth/1.

    score(truth, report) -> {"doc_type_acc", "field_acc", "case_link_acc",
                             "flag_precision", "flag_recall", "detail"}

Definitions (every metric is a float in 0..1; a metric with nothing to score is 1.0):
- doc_type_acc: per truth page, the doc_type of the report document covering (source, page)
  equals the truth doc_type. A page no report document covers counts wrong.
- field_acc: per field of each truth document, compared with the report document of the same
  source that shares the most pages with it (ties: the first in report order). Dates (`*_date`)
  are compared at month precision (first 7 characters); names and units after NFKC and removing
  whitespace; everything else exactly. No covering document, or no such field, counts wrong.
  A truth value of null means "the field should be absent".
- case_link_acc: per truth page, the case_id_number of the covering report document equals the
  truth (null == null is correct). A page no report document covers counts wrong.
- flag_precision / flag_recall over sets of (case id_number, code, doc_type or null): truth =
  expected_flags of every truth case; predicted = every non-info flag of every report case (info
  flags are notes, not problems). A flag on a case absent from the truth is a false positive.
  With nothing predicted, precision is 1.0 if nothing was expected, else 0.0; with nothing
  expected, recall is 1.0.

Sources are compared as relative paths with forward slashes ("./a\\b.jpg" == "a/b.jpg").
"""
from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict

TRUTH_SCHEMA = "casefile.truth/1"
REPORT_SCHEMA = "casefile.report/1"

TEXT_FIELDS = frozenset({"name", "service_unit", "placement_unit", "employer"})
MISSING = "(missing)"


def score(truth: dict, report: dict) -> dict:
    _check_schema(truth, TRUTH_SCHEMA, "truth")
    _check_schema(report, REPORT_SCHEMA, "report")
    report_docs = report.get("documents") or []
    covering = _page_index(report_docs)

    doc_type_acc, case_link_acc, page_detail = _score_pages(truth, covering)
    field_acc, field_detail = _score_fields(truth, report_docs)
    flag_precision, flag_recall, flag_detail = _score_flags(truth, report)

    return {
        "doc_type_acc": doc_type_acc,
        "field_acc": field_acc,
        "case_link_acc": case_link_acc,
        "flag_precision": flag_precision,
        "flag_recall": flag_recall,
        "detail": _merge_details(page_detail, field_detail, flag_detail, report_documents=len(report_docs)),
    }


# ---- helpers -----------------------------------------------------------------------------------


def _merge_details(*parts: dict, **extra_counts: int) -> dict:
    """One detail dict; every part's "counts" merged into a single "counts"."""
    detail: dict = {}
    counts: dict = dict(extra_counts)
    for part in parts:
        counts.update(part.get("counts", {}))
        detail.update({k: v for k, v in part.items() if k != "counts"})
    detail["counts"] = counts
    return detail


def _check_schema(data: dict, expected: str, what: str) -> None:
    if not isinstance(data, dict) or data.get("schema") != expected:
        found = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise ValueError(f"{what}: expected schema {expected!r}, found {found!r}")


def _source(path: str | None) -> str:
    s = (path or "").replace("\\", "/")
    while s.startswith("./"):
        s = s[2:]
    return s


def _ratio(correct: int, total: int) -> float:
    return correct / total if total else 1.0


def _page_index(report_docs: list[dict]) -> dict[tuple[str, int], dict]:
    """(source, page) → the first report document listing that page."""
    index: dict[tuple[str, int], dict] = {}
    for doc in report_docs:
        for page in doc.get("pages") or []:
            index.setdefault((_source(doc.get("source")), int(page)), doc)
    return index


def _truth_pages(truth: dict):
    for f in truth.get("files") or []:
        for page in f.get("pages") or []:
            yield _source(f.get("source")), page


# ---- pages: document type and case link ----------------------------------------------------------


def _score_pages(truth: dict, covering: dict[tuple[str, int], dict]) -> tuple[float, float, dict]:
    total = type_ok = link_ok = 0
    confusion: dict[str, Counter] = defaultdict(Counter)
    missing_pages, wrong_links = [], []
    for source, page in _truth_pages(truth):
        total += 1
        number = int(page["page"])
        doc = covering.get((source, number))
        predicted = doc.get("doc_type") if doc else None
        confusion[page.get("doc_type")][predicted or MISSING] += 1
        if doc is None:
            missing_pages.append({"source": source, "page": number})
            continue
        type_ok += predicted == page.get("doc_type")
        expected, found = page.get("case_id_number"), doc.get("case_id_number")
        if found == expected:
            link_ok += 1
        else:
            wrong_links.append({"source": source, "page": number, "expected": expected, "found": found})
    detail = {
        "doc_type_confusion": {t: dict(c) for t, c in confusion.items()},
        "missing_pages": missing_pages,
        "wrong_case_links": wrong_links,
        "counts": {"pages": total, "pages_type_correct": type_ok, "pages_link_correct": link_ok},
    }
    return _ratio(type_ok, total), _ratio(link_ok, total), detail


# ---- fields ------------------------------------------------------------------------------------


def _normalise(name: str, value: object) -> str | None:
    if value is None:
        return None
    text = str(value)
    if name.endswith("_date"):
        return text.strip()[:7]
    if name in TEXT_FIELDS:
        return "".join(unicodedata.normalize("NFKC", text).split())
    return text


def _best_report_doc(truth_doc: dict, report_docs: list[dict]) -> dict | None:
    source = _source(truth_doc.get("source"))
    pages = {int(p) for p in truth_doc.get("pages") or []}
    best, best_overlap = None, 0
    for doc in report_docs:
        if _source(doc.get("source")) != source:
            continue
        overlap = len(pages & {int(p) for p in doc.get("pages") or []})
        if overlap > best_overlap:
            best, best_overlap = doc, overlap
    return best


def _score_fields(truth: dict, report_docs: list[dict]) -> tuple[float, dict]:
    per_field: dict[str, Counter] = defaultdict(Counter)
    wrong = []
    for truth_doc in truth.get("documents") or []:
        doc = _best_report_doc(truth_doc, report_docs)
        found_fields = (doc or {}).get("fields") or {}
        for name, expected in (truth_doc.get("fields") or {}).items():
            got = (found_fields.get(name) or {}).get("value")
            ok = doc is not None and _normalise(name, got) == _normalise(name, expected)
            per_field[name]["total"] += 1
            per_field[name]["correct"] += ok
            if not ok:
                wrong.append({"document": truth_doc.get("id"), "field": name, "expected": expected, "found": got})
    correct = sum(c["correct"] for c in per_field.values())
    total = sum(c["total"] for c in per_field.values())
    detail = {
        "field_accuracy": {
            name: {"correct": c["correct"], "total": c["total"], "accuracy": _ratio(c["correct"], c["total"])}
            for name, c in sorted(per_field.items())
        },
        "wrong_fields": wrong,
        "counts": {"truth_documents": len(truth.get("documents") or []), "fields": total, "fields_correct": correct},
    }
    return _ratio(correct, total), detail


# ---- flags -------------------------------------------------------------------------------------


def _flag_key(case_id: str | None, flag: dict) -> tuple[str | None, str, str | None]:
    return (case_id, flag.get("code"), flag.get("doc_type"))


def _score_flags(truth: dict, report: dict) -> tuple[float, float, dict]:
    expected = {
        _flag_key(case.get("id_number"), flag)
        for case in truth.get("cases") or []
        for flag in case.get("expected_flags") or []
    }
    predicted = {
        _flag_key(case.get("id_number"), flag)
        for case in report.get("cases") or []
        for flag in case.get("flags") or []
        if flag.get("severity") != "info"
    }
    hits = expected & predicted
    if predicted:
        precision = len(hits) / len(predicted)
    else:
        precision = 1.0 if not expected else 0.0
    recall = _ratio(len(hits), len(expected))

    def listed(keys):
        ordered = sorted(keys, key=lambda k: tuple(str(x) for x in k))
        return [{"case": c, "code": code, "doc_type": t} for c, code, t in ordered]

    detail = {
        "missed_flags": listed(expected - predicted),
        "spurious_flags": listed(predicted - expected),
        "counts": {
            "flags_expected": len(expected),
            "flags_predicted": len(predicted),
            "flags_true_positive": len(hits),
        },
    }
    return precision, recall, detail
