"""Fitting the page classifier (classify/model.py) and the field-confidence calibration
(extract/calibration.py) from labelled pages.

A training set is a list of `Sample`s — a page as the OCR read it, its true type, and the corpus
it came from (`group`, e.g. "a:7101") — stored as gzipped JSON lines
(classify/model/training-pages.jsonl.gz for the shipped model). `fit` is deterministic: the same
samples give the same model, which is what lets a test check that the shipped model is the one
its training set builds.

Calibration: the temperature is fitted on out-of-fold scores, folds grouped by corpus (a
template family's seed), so that the confidence reflects pages of corpora the weights never saw.
"""
from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold

from classify.evidence import title_evidence
from classify.model import PageModel, _vectorizer, build_features, heading_string, page_string, softmax
from core.types import DOC_TYPES, PageText
from extract import extract_fields
from extract.calibration import FieldCalibration, comparable, fit_calibration

REGULARISATION = 4.0  # LogisticRegression C; chosen on development corpora, not on measured seeds
MIN_TEMPERATURE = 0.5


@dataclass(frozen=True)
class Sample:
    """One page as the OCR read it, with what the corpus's truth says about it."""

    page: PageText
    doc_type: str
    group: str       # the corpus the page came from: folds and held-out calibration never mix corpora
    source: str = ""  # file, relative to the corpus's batch/
    number: int = 1   # page number in the file
    document: str = ""  # the truth document the page belongs to
    fields: dict = field(default_factory=dict)  # that document's true field values

    def to_json(self) -> str:
        data = {k: getattr(self, k) for k in ("doc_type", "group", "source", "number", "document", "fields")}
        data["page"] = self.page.to_dict()
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> "Sample":
        data = json.loads(line)
        return cls(PageText.from_dict(data.pop("page")), **data)


def documents(samples: list[Sample]) -> list[tuple[str, list[tuple[int, PageText]], dict]]:
    """The truth documents of a training set: (doc type, [(page number, page)], true fields)."""
    grouped: dict[tuple[str, str], list[Sample]] = {}
    for s in samples:
        grouped.setdefault((s.group, s.document), []).append(s)
    return [
        (pages[0].doc_type, [(p.number, p.page) for p in sorted(pages, key=lambda p: p.number)], pages[0].fields)
        for _, pages in sorted(grouped.items())
    ]


def write_samples(path: Path, samples: list[Sample]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same samples give the same bytes
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        for s in samples:
            f.write((s.to_json() + "\n").encode("utf-8"))


def read_samples(path: Path) -> list[Sample]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [Sample.from_json(line) for line in f if line.strip()]


@dataclass(frozen=True)
class Trained:
    pages: PageModel
    fields: FieldCalibration


def fit_all(samples: list[Sample], *, version: str) -> Trained:
    """The page model and the field-confidence calibration, from one training set."""
    return Trained(fit(samples, version=f"pages/{version}"),
                   fit_calibration(field_pairs(samples), version=f"fields/{version}"))


def field_pairs(samples: list[Sample]) -> list[tuple[str, float, bool]]:
    """(field, raw confidence, right) for every true field of every training document that the
    extractor reads (with the document's true type: this calibrates extraction, not typing).
    Fields the truth does not list are not scored, as in `casefile eval`."""
    raw = FieldCalibration()
    pairs = []
    for doc_type, pages, truth in documents(samples):
        for name, found in extract_fields(doc_type, pages, raw).items():
            if name in truth:
                pairs.append((name, found.confidence, comparable(name, found.value) == comparable(name, truth[name])))
    return pairs


def fit(samples: list[Sample], *, version: str, C: float = REGULARISATION) -> PageModel:
    if not samples:
        raise ValueError("no training pages")
    unknown = {s.doc_type for s in samples} - set(DOC_TYPES)
    if unknown:
        raise ValueError(f"unknown page types in the training set: {sorted(unknown)}")
    pairs = [(s.page, title_evidence(s.page)) for s in samples]
    y = np.array([s.doc_type for s in samples])
    groups = np.array([s.group for s in samples])

    text_vec = _vectorizer().fit([page_string(p) for p, _ in pairs])
    head_vec = _vectorizer().fit([heading_string(e) for _, e in pairs])
    X = build_features(text_vec, head_vec, pairs)
    clf = _linear(C).fit(X, y)

    temperature = _fit_temperature(X, y, groups, C)
    meta = {
        "version": version,
        "pages": len(samples),
        "pages_per_type": {t: int((y == t).sum()) for t in sorted(set(y))},
        "groups": sorted(set(groups.tolist())),
        "regularisation": C,
    }
    return PageModel(tuple(clf.classes_.tolist()), text_vec, head_vec, clf.coef_.copy(), clf.intercept_.copy(),
                     temperature, meta)


def _linear(C: float) -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=5000, class_weight="balanced")


def _fit_temperature(X, y: np.ndarray, groups: np.ndarray, C: float) -> float:
    """One temperature for all classes minimising the held-out negative log-likelihood."""
    classes = np.array(sorted(set(y)))
    n_groups = len(set(groups))
    if n_groups >= 3:
        folds = GroupKFold(n_splits=min(5, n_groups)).split(X, y, groups)
    else:
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(X, y)
    scores = np.full((len(y), len(classes)), -1e9)
    for train, test in folds:
        clf = _linear(C).fit(X[train], y[train])
        cols = np.searchsorted(classes, clf.classes_)
        scores[np.ix_(test, cols)] = clf.decision_function(X[test]) if len(clf.classes_) > 2 else _two(clf, X[test])
    target = np.searchsorted(classes, y)

    def nll(t: float) -> float:
        p = softmax(scores / t)[np.arange(len(y)), target]
        return float(-np.log(np.clip(p, 1e-12, 1.0)).mean())

    # Bounded below: held-out pages that are all right would otherwise push the temperature to
    # zero and every confidence to 1.0, which no unseen template deserves.
    return float(minimize_scalar(nll, bounds=(MIN_TEMPERATURE, 20.0), method="bounded").x)


def _two(clf: LogisticRegression, X) -> np.ndarray:
    d = clf.decision_function(X)
    return np.column_stack([-d / 2, d / 2])
