"""`casefile eval`: score a casefile.report/1 report against a fixture's casefile.truth/1.

    score(truth, report) -> {"doc_type_acc", "field_acc", "case_link_acc",
                             "flag_precision", "flag_recall",
                             "doc_type_ece", "field_ece", "distractor_other_acc",
                             "distractors_confident_veteran", "exclusions_unseen", "detail"}

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

- doc_type_ece / field_ece: expected calibration error of the reported confidences: the
  confidence range cut into ten bands, the gap between mean confidence and share correct in
  each band, weighted by its share of items. Doc types are scored per truth page with the
  covering document's `doc_type_confidence`; fields per truth field that was reported (a missing
  field has no confidence). `detail.calibration` holds the reliability tables (band → count,
  mean confidence, share correct) and the share correct at confidence ≥ 0.9.
- distractor_other_acc: per truth page of a distractor document (`layout` "distractor:…",
  another agency's form), the report types it `other`. distractors_confident_veteran: how many
  of them got a veteran document type at confidence ≥ 0.8.
- exclusions_unseen: rostered cases whose evidence holds an excluding document (a truth
  termination_reason of 自动离职, 除名, 开除 or 判刑) that carry no `disqualifying_termination`
  flag and whose excluding document is not listed among the report's `possible_exclusions`.

Sources are compared as relative paths with forward slashes ("./a\\b.jpg" == "a/b.jpg").
"""
from __future__ import annotations

from collections import Counter, defaultdict

from core.codes import DocType
from extract.calibration import comparable

TRUTH_SCHEMA = "casefile.truth/1"
REPORT_SCHEMA = "casefile.report/1"

MISSING = "(missing)"
BANDS = 10
CONFIDENT = 0.9   # pages at or above this confidence should almost never be wrong
DISTRACTOR_CONFIDENT = 0.8
EXCLUDING_REASONS = frozenset({"voluntary_departure", "removal", "dismissal", "criminal_sentence"})


def score(truth: dict, report: dict) -> dict:
    _check_schema(truth, TRUTH_SCHEMA, "truth")
    _check_schema(report, REPORT_SCHEMA, "report")
    report_docs = report.get("documents") or []
    covering = _page_index(report_docs)

    doc_type_acc, case_link_acc, page_detail = _score_pages(truth, covering)
    field_acc, field_detail = _score_fields(truth, report_docs)
    flag_precision, flag_recall, flag_detail = _score_flags(truth, report)
    distractor_acc, confident_veteran, distractor_detail = _score_distractors(truth, covering)
    unseen, exclusion_detail = _score_exclusions(truth, report)
    page_reliability = reliability(page_detail.pop("confidences"))
    field_reliability = reliability(field_detail.pop("confidences"))

    return {
        "doc_type_acc": doc_type_acc,
        "field_acc": field_acc,
        "case_link_acc": case_link_acc,
        "flag_precision": flag_precision,
        "flag_recall": flag_recall,
        "doc_type_ece": page_reliability["ece"],
        "field_ece": field_reliability["ece"],
        "distractor_other_acc": distractor_acc,
        "distractors_confident_veteran": confident_veteran,
        "exclusions_unseen": unseen,
        "detail": _merge_details(page_detail, field_detail, flag_detail, distractor_detail, exclusion_detail,
                                 {"calibration": {"doc_type": page_reliability, "fields": field_reliability}},
                                 report_documents=len(report_docs)),
    }


def reliability(items: list[tuple[float, bool]]) -> dict:
    """Reliability table and expected calibration error of (confidence, correct) pairs."""
    bands = []
    ece = 0.0
    for b in range(BANDS):
        lo, hi = b / BANDS, (b + 1) / BANDS
        inside = [(c, ok) for c, ok in items if lo <= c < hi or (b == BANDS - 1 and c == 1.0)]
        if not inside:
            continue
        mean_conf = sum(c for c, _ in inside) / len(inside)
        share = sum(ok for _, ok in inside) / len(inside)
        ece += len(inside) / len(items) * abs(mean_conf - share)
        bands.append({"band": f"{lo:.1f}-{hi:.1f}", "count": len(inside), "mean_confidence": round(mean_conf, 3),
                      "correct": round(share, 3)})
    confident = [ok for c, ok in items if c >= CONFIDENT]
    return {"ece": round(ece, 4), "bands": bands, "items": len(items),
            "confident_items": len(confident), "confident_correct": _ratio(sum(confident), len(confident))}


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
    confidences: list[tuple[float, bool]] = []
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
        confidences.append((float(doc.get("doc_type_confidence") or 0.0), predicted == page.get("doc_type")))
        expected, found = page.get("case_id_number"), doc.get("case_id_number")
        if found == expected:
            link_ok += 1
        else:
            wrong_links.append({"source": source, "page": number, "expected": expected, "found": found})
    detail = {
        "doc_type_confusion": {t: dict(c) for t, c in confusion.items()},
        "missing_pages": missing_pages,
        "wrong_case_links": wrong_links,
        "confidences": confidences,
        "counts": {"pages": total, "pages_type_correct": type_ok, "pages_link_correct": link_ok},
    }
    return _ratio(type_ok, total), _ratio(link_ok, total), detail


# ---- fields ------------------------------------------------------------------------------------


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
    confidences: list[tuple[float, bool]] = []
    for truth_doc in truth.get("documents") or []:
        doc = _best_report_doc(truth_doc, report_docs)
        found_fields = (doc or {}).get("fields") or {}
        for name, expected in (truth_doc.get("fields") or {}).items():
            reported = found_fields.get(name) or {}
            got = reported.get("value")
            ok = doc is not None and comparable(name, got) == comparable(name, expected)
            if got is not None:
                confidences.append((float(reported.get("confidence") or 0.0), ok))
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
        "confidences": confidences,
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


# ---- distractors and exclusions ------------------------------------------------------------------


def _score_distractors(truth: dict, covering: dict[tuple[str, int], dict]) -> tuple[float, int, dict]:
    distractor_docs = {d["id"] for d in truth.get("documents") or [] if str(d.get("layout", "")).startswith("distractor:")}
    total = other = confident = 0
    for source, page in _truth_pages(truth):
        if page.get("document") not in distractor_docs:
            continue
        total += 1
        doc = covering.get((source, int(page["page"])))
        predicted = doc.get("doc_type") if doc else None
        other += predicted == DocType.OTHER
        if predicted not in (None, "other") and float(doc.get("doc_type_confidence") or 0) >= DISTRACTOR_CONFIDENT:
            confident += 1
    return _ratio(other, total), confident, {"counts": {"distractor_pages": total, "distractor_pages_other": other}}


def _score_exclusions(truth: dict, report: dict) -> tuple[int, dict]:
    excluding: dict[str, list[dict]] = defaultdict(list)
    for doc in truth.get("documents") or []:
        if doc.get("case_id_number") and (doc.get("fields") or {}).get("termination_reason") in EXCLUDING_REASONS:
            excluding[doc["case_id_number"]].append(doc)
    flagged = {
        case.get("id_number")
        for case in report.get("cases") or []
        if any(f.get("code") == "disqualifying_termination" for f in case.get("flags") or [])
    }
    listed_docs = {
        (_source(d.get("source")), int(p))
        for d in report.get("documents") or []
        if d.get("id") in {x.get("document") for x in report.get("possible_exclusions") or []}
        for p in d.get("pages") or []
    }
    unseen = []
    for case_id, docs in sorted(excluding.items()):
        if case_id in flagged:
            continue
        if any((_source(d.get("source")), int(p)) in listed_docs for d in docs for p in d.get("pages") or []):
            continue
        unseen.append(case_id)
    return len(unseen), {"exclusions_unseen": unseen, "counts": {"cases_with_excluding_document": len(excluding)}}
