"""The trained page classifier: a linear model over what a page says and how it is laid out.

Features of one page (`PageModel.features`):
- character 1–3-grams (TF-IDF, sublinear) of the whole page text, digits folded to 0 so that
  dates and ID numbers add shape, not vocabulary;
- character 1–3-grams of its headings (classify/headings.py) — the title words, wherever the
  template puts the title;
- the rule scorer's title and phrase score per type and whether the title is a top heading
  (classify/evidence.py): this is how heading evidence and the model are combined — as inputs
  of one model whose weights are learned, not as two votes added by hand;
- a few layout numbers: line count, share of short (label-like) lines, share of lines with
  digits, an 18/15-digit number present, landscape, text layer.

A multinomial logistic regression (scikit-learn) turns them into class scores; one temperature,
fitted on held-out pages (grouped by corpus, so the pages it is fitted on come from corpora the
weights did not see), turns the scores into calibrated probabilities. The confidence of a page
is the probability of its best class.

The model is stored as one compressed .npz (vocabularies, IDF weights, coefficients,
temperature, metadata) — no pickle, so it loads on any scikit-learn release; nothing is
downloaded at run time. `casefile train` rebuilds it (classify/training.py).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from classify.evidence import TitleEvidence, title_evidence
from classify.vocabulary import TITLES
from core.types import PageClass, PageText
from extract.normalize.text import squeeze

MODEL_FORMAT = "casefile.page-model/1"
SHIPPED = Path(__file__).with_name("model") / "pages.npz"
EVIDENCE_TYPES: tuple[str, ...] = tuple(TITLES)
_DIGITS = str.maketrans("0123456789", "0000000000")
_ID_RE = re.compile(r"\d{17}[\dXx]|\d{15}")


def page_string(page: PageText) -> str:
    return squeeze(page.text).translate(_DIGITS)


def heading_string(evidence: TitleEvidence) -> str:
    return " ".join(h.text.translate(_DIGITS) for h in sorted(evidence.headings, key=lambda h: h.rank))


def dense_features(page: PageText, evidence: TitleEvidence) -> np.ndarray:
    scores = [min(evidence.scores.get(t, 0.0), 12.0) / 10.0 for t in EVIDENCE_TYPES]
    titled = [1.0 if t in evidence.titled else 0.0 for t in EVIDENCE_TYPES]
    texts = [squeeze(line.text) for line in page.lines]
    n = max(1, len(texts))
    layout = [
        math.log1p(len(texts)) / 5.0,
        sum(1 for t in texts if len(t) <= 4) / n,
        sum(1 for t in texts if any(c.isdigit() for c in t)) / n,
        1.0 if _ID_RE.search("".join(texts)) else 0.0,
        1.0 if page.width > page.height else 0.0,
        1.0 if page.source == "text_layer" else 0.0,
        1.0 if not evidence.headings else 0.0,
    ]
    return np.array(scores + titled + layout, dtype=np.float64)


def _vectorizer(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, lowercase=False,
                           min_df=2, max_features=20000, vocabulary=vocabulary, dtype=np.float64)


@dataclass
class PageModel:
    classes: tuple[str, ...]
    text_vec: TfidfVectorizer
    head_vec: TfidfVectorizer
    coef: np.ndarray          # (classes, features)
    intercept: np.ndarray     # (classes,)
    temperature: float
    meta: dict = field(default_factory=dict)

    @property
    def version(self) -> str:
        """What a result produced by this model records (with the OCR options hash)."""
        return self.meta.get("version", "pages/unversioned")

    def features(self, pages: list[tuple[PageText, TitleEvidence]]) -> sparse.csr_matrix:
        return build_features(self.text_vec, self.head_vec, pages)

    def probabilities(self, pages: list[tuple[PageText, TitleEvidence]]) -> np.ndarray:
        scores = self.features(pages) @ self.coef.T + self.intercept
        return softmax(scores / self.temperature)

    def classify(self, page: PageText, evidence: TitleEvidence | None = None) -> PageClass:
        evidence = evidence or title_evidence(page)
        probs = self.probabilities([(page, evidence)])[0]
        best = int(np.argmax(probs))
        doc_type = self.classes[best]
        runner_up = self.classes[int(np.argsort(probs)[-2])] if len(probs) > 1 else None
        return PageClass(doc_type, round(float(probs[best]), 3),
                         starts_document=doc_type != "other" and doc_type in evidence.titled,
                         runner_up=runner_up)

    # -- storage -------------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = dict(self.meta, format=MODEL_FORMAT, classes=list(self.classes), temperature=self.temperature)
        with path.open("wb") as f:
            np.savez_compressed(
                f,
                meta=np.array(json.dumps(meta, ensure_ascii=False, sort_keys=True)),
                text_vocab=np.array(_ordered(self.text_vec.vocabulary_)),
                text_idf=self.text_vec.idf_.astype(np.float32),
                head_vocab=np.array(_ordered(self.head_vec.vocabulary_)),
                head_idf=self.head_vec.idf_.astype(np.float32),
                coef=self.coef.astype(np.float32),
                intercept=self.intercept.astype(np.float32),
            )

    @classmethod
    def load(cls, path: Path) -> "PageModel":
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if meta.get("format") != MODEL_FORMAT:
                raise ValueError(f"{path}: not a casefile page model ({meta.get('format')!r})")
            text_vec = _restore(data["text_vocab"], data["text_idf"])
            head_vec = _restore(data["head_vocab"], data["head_idf"])
            return cls(tuple(meta["classes"]), text_vec, head_vec, data["coef"].astype(np.float64),
                       data["intercept"].astype(np.float64), float(meta["temperature"]), meta)


def build_features(text_vec: TfidfVectorizer, head_vec: TfidfVectorizer,
                   pages: list[tuple[PageText, TitleEvidence]]) -> sparse.csr_matrix:
    text = text_vec.transform([page_string(p) for p, _ in pages])
    head = head_vec.transform([heading_string(e) for _, e in pages])
    dense = sparse.csr_matrix(np.vstack([dense_features(p, e) for p, e in pages]))
    return sparse.hstack([text, head, dense], format="csr")


def softmax(scores: np.ndarray) -> np.ndarray:
    z = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _ordered(vocabulary: dict[str, int]) -> list[str]:
    return [term for term, _ in sorted(vocabulary.items(), key=lambda kv: kv[1])]


def _restore(vocab: np.ndarray, idf: np.ndarray) -> TfidfVectorizer:
    vec = _vectorizer({str(term): i for i, term in enumerate(vocab)})
    vec.idf_ = idf.astype(np.float64)
    return vec


@lru_cache(maxsize=1)
def default_model() -> PageModel | None:
    """The model shipped in classify/model/, or None when a checkout has none."""
    return PageModel.load(SHIPPED) if SHIPPED.exists() else None

