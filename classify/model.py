"""The trained page classifier: two linear experts, combined in one documented way.

- The **text expert** reads what the page says: character 1–3-grams (TF-IDF, sublinear) of the
  whole page text, digits folded to 0 so that dates and ID numbers add shape, not vocabulary,
  and character 1–3-grams of its headings (classify/headings.py) — the title words wherever the
  template puts the title.
- The **evidence expert** reads the domain's knowledge of titles: the rule scorer's title and
  phrase score per type and whether that title is a top heading (classify/evidence.py), plus a
  few layout numbers (line count, share of short label-like lines, share of lines with digits,
  an 18/15-digit number, landscape, text layer, no heading at all).

Each is a multinomial logistic regression (scikit-learn). The page's class scores are
    s = TEXT_WEIGHT · log p_text + (1 − TEXT_WEIGHT) · log p_evidence
and one temperature turns s into calibrated probabilities (softmax(s / T)). Why two experts and
not one model over all features: within one template family the n-grams separate the types
perfectly, so a single model learns to ignore the title evidence — and then calls every page of
an unseen family whose words differ `other`. TEXT_WEIGHT was chosen by training on one family and
measuring on the other (development corpora; README "Reading"). The temperature is fitted on
held-out pages grouped by corpus. The confidence of a page is the probability of its best class.

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
from typing import BinaryIO

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


def new_vectorizer(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, lowercase=False,
                           min_df=2, max_features=20000, vocabulary=vocabulary, dtype=np.float64)


TEXT_WEIGHT = 0.8


@dataclass
class PageModel:
    classes: tuple[str, ...]
    text_vec: TfidfVectorizer
    head_vec: TfidfVectorizer
    text_coef: np.ndarray       # (classes, n-gram features)
    text_intercept: np.ndarray  # (classes,)
    evidence_coef: np.ndarray   # (classes, dense features)
    evidence_intercept: np.ndarray
    temperature: float
    meta: dict = field(default_factory=dict)

    @property
    def version(self) -> str:
        """What a result produced by this model records (with the OCR options hash)."""
        return self.meta.get("version", "pages/unversioned")

    def scores(self, pages: list[tuple[PageText, TitleEvidence]]) -> np.ndarray:
        """The combined class scores, before the temperature."""
        text = text_features(self.text_vec, self.head_vec, pages) @ self.text_coef.T + self.text_intercept
        evidence = evidence_features(pages) @ self.evidence_coef.T + self.evidence_intercept
        return combine(text, evidence)

    def probabilities(self, pages: list[tuple[PageText, TitleEvidence]]) -> np.ndarray:
        return softmax(self.scores(pages) / self.temperature)

    def classify(self, page: PageText, evidence: TitleEvidence | None = None) -> PageClass:
        evidence = evidence or title_evidence(page)
        probs = self.probabilities([(page, evidence)])[0]
        best = int(np.argmax(probs))
        doc_type = self.classes[best]
        runner_up = self.classes[int(np.argsort(probs)[-2])] if len(probs) > 1 else None
        return PageClass(doc_type, round(float(probs[best]), 3),
                         starts_document=doc_type in evidence.titled or opens_document(evidence),
                         runner_up=runner_up)

    # -- storage -------------------------------------------------------------------------------
    def save(self, target: Path | BinaryIO) -> None:
        """To a file path, or to a binary stream (a learned model goes to the blob store)."""
        if isinstance(target, Path):
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as f:
                return self.save(f)
        meta = dict(self.meta, format=MODEL_FORMAT, classes=list(self.classes), temperature=self.temperature)
        np.savez_compressed(
                target,
                meta=np.array(json.dumps(meta, ensure_ascii=False, sort_keys=True)),
                text_vocab=np.array(_ordered(self.text_vec.vocabulary_)),
                text_idf=self.text_vec.idf_.astype(np.float32),
                head_vocab=np.array(_ordered(self.head_vec.vocabulary_)),
                head_idf=self.head_vec.idf_.astype(np.float32),
                text_coef=self.text_coef.astype(np.float32),
                text_intercept=self.text_intercept.astype(np.float32),
                evidence_coef=self.evidence_coef.astype(np.float32),
                evidence_intercept=self.evidence_intercept.astype(np.float32),
            )

    @classmethod
    def load(cls, source: Path | BinaryIO) -> "PageModel":
        with np.load(source, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if meta.get("format") != MODEL_FORMAT:
                raise ValueError(f"{source}: not a casefile page model ({meta.get('format')!r})")
            text_vec = _restore(data["text_vocab"], data["text_idf"])
            head_vec = _restore(data["head_vocab"], data["head_idf"])
            arrays = [data[k].astype(np.float64) for k in
                      ("text_coef", "text_intercept", "evidence_coef", "evidence_intercept")]
            return cls(tuple(meta["classes"]), text_vec, head_vec, *arrays, float(meta["temperature"]), meta)


def text_features(text_vec: TfidfVectorizer, head_vec: TfidfVectorizer,
                  pages: list[tuple[PageText, TitleEvidence]]) -> sparse.csr_matrix:
    text = text_vec.transform([page_string(p) for p, _ in pages])
    head = head_vec.transform([heading_string(e) for _, e in pages])
    return sparse.hstack([text, head], format="csr")


def evidence_features(pages: list[tuple[PageText, TitleEvidence]]) -> np.ndarray:
    return np.vstack([dense_features(p, e) for p, e in pages])


def log_softmax(scores: np.ndarray) -> np.ndarray:
    z = scores - scores.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def combine(text_scores: np.ndarray, evidence_scores: np.ndarray) -> np.ndarray:
    return TEXT_WEIGHT * log_softmax(text_scores) + (1 - TEXT_WEIGHT) * log_softmax(evidence_scores)


# How the title of a document ends (…登记表, …证明书, …介绍信, 存根, …的决定, …通知): a top heading
# ending so opens a new document even when its wording is not in the title catalogue.
TITLE_ENDINGS = ("表", "书", "证", "信", "单", "册", "卡", "簿", "根", "证明", "决定", "通知", "通报", "凭证", "收据")


def opens_document(evidence: TitleEvidence) -> bool:
    return any(h.top and len(h.text) >= 3 and h.text.endswith(TITLE_ENDINGS) for h in evidence.headings)


def softmax(scores: np.ndarray) -> np.ndarray:
    z = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _ordered(vocabulary: dict[str, int]) -> list[str]:
    return [term for term, _ in sorted(vocabulary.items(), key=lambda kv: kv[1])]


def _restore(vocab: np.ndarray, idf: np.ndarray) -> TfidfVectorizer:
    vec = new_vectorizer({str(term): i for i, term in enumerate(vocab)})
    vec.idf_ = idf.astype(np.float64)
    return vec


@lru_cache(maxsize=1)
def default_model() -> PageModel | None:
    """The model shipped in classify/model/, or None when a checkout has none."""
    return PageModel.load(SHIPPED) if SHIPPED.exists() else None

