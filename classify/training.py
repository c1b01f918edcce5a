"""Fitting the page classifier (classify/model.py) and the field-confidence calibration
(extract/calibration.py) from labelled pages.

A training set is a list of `Sample`s — a page as the OCR read it, its true type, and the corpus
it came from (`group`, e.g. "a:7101") — stored as gzipped JSON lines
(classify/model/training-pages.jsonl.gz for the shipped model). `fit` is deterministic: the same
samples give the same model, which is what lets a test check that the shipped model is the one
its training set builds.

Calibration: the temperature is fitted on out-of-fold combined scores. With two or more template
families in the training set the folds leave one family out, so the confidence is priced for
paper of a family the weights never saw (a bureau's own forms); with one family the folds leave
whole corpora (seeds) out.
"""
from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, LeaveOneGroupOut, StratifiedKFold

from classify.evidence import title_evidence
from classify.model import (TEXT_WEIGHT, PageModel, combine, evidence_features, heading_string, new_vectorizer,
                            page_string, softmax, text_features)
from core.types import DOC_TYPES, PageText
from extract import extract_fields
from extract.calibration import FieldCalibration, comparable, fit_calibration

TRAINING_SET = Path(__file__).with_name("model") / "training-pages.jsonl.gz"
REGULARISATION = 4.0  # LogisticRegression C of the text expert; chosen on development corpora
EVIDENCE_REGULARISATION = 10.0  # the evidence expert has few features: little to regularise
MIN_TEMPERATURE = 0.2


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

    text_vec = new_vectorizer().fit([page_string(p) for p, _ in pairs])
    head_vec = new_vectorizer().fit([heading_string(e) for _, e in pairs])
    X_text = text_features(text_vec, head_vec, pairs)
    X_evidence = evidence_features(pairs)
    text = _linear(C).fit(X_text, y)
    evidence = _linear(EVIDENCE_REGULARISATION).fit(X_evidence, y)
    if list(text.classes_) != list(evidence.classes_):
        raise AssertionError("the two experts saw different classes")

    temperature = _fit_temperature(X_text, X_evidence, y, groups, C)
    meta = {
        "version": version,
        "pages": len(samples),
        "pages_per_type": {t: int((y == t).sum()) for t in sorted(set(y))},
        "groups": sorted(set(groups.tolist())),
        "regularisation": C,
        "text_weight": TEXT_WEIGHT,
    }
    return PageModel(tuple(text.classes_.tolist()), text_vec, head_vec, text.coef_.copy(), text.intercept_.copy(),
                     evidence.coef_.copy(), evidence.intercept_.copy(), temperature, meta)


def _linear(C: float) -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=5000)


def _fit_temperature(X_text, X_evidence, y: np.ndarray, groups: np.ndarray, C: float) -> float:
    """One temperature for all classes minimising the held-out negative log-likelihood of the
    combined scores."""
    classes = np.array(sorted(set(y)))
    families = np.array([g.split(":")[0] for g in groups])
    n_groups = len(set(groups))
    if len(set(families)) >= 2:
        # Leave one template family out: confidence priced for paper of an unseen family, which
        # is what every bureau's own forms are.
        folds = LeaveOneGroupOut().split(X_text, y, families)
    elif n_groups >= 3:
        folds = GroupKFold(n_splits=min(5, n_groups)).split(X_text, y, groups)
    else:
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(X_text, y)
    scores = np.full((len(y), len(classes)), -50.0)  # a class a fold never saw is all but impossible
    for train, test in folds:
        text = _linear(C).fit(X_text[train], y[train])
        evidence = _linear(EVIDENCE_REGULARISATION).fit(X_evidence[train], y[train])
        cols = np.searchsorted(classes, text.classes_)
        scores[np.ix_(test, cols)] = combine(_decision(text, X_text[test]), _decision(evidence, X_evidence[test]))
    target = np.searchsorted(classes, y)

    def nll(t: float) -> float:
        p = softmax(scores / t)[np.arange(len(y)), target]
        return float(-np.log(np.clip(p, 1e-12, 1.0)).mean())

    # Bounded below: held-out pages that are all right would otherwise push the temperature to
    # zero and every confidence to 1.0, which no unseen template deserves.
    return float(minimize_scalar(nll, bounds=(MIN_TEMPERATURE, 20.0), method="bounded").x)


def _decision(clf: LogisticRegression, X) -> np.ndarray:
    d = clf.decision_function(X)
    return d if d.ndim == 2 else np.column_stack([-d / 2, d / 2])
