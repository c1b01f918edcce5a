"""Field confidence as a probability that the value is right.

An extractor's raw confidence is the product of how the value was found and how well the OCR
read it: the rule's factor (label on the same line 0.95, right cell 0.9, cell below 0.81, prose
0.75–0.95, fallbacks lower), the value's validation (an ID number with look-alikes repaired ×0.6,
one failing its checks ×0.3, a repaired date ×0.85, a name without a common surname ×0.85) and
the OCR line confidence (low on handwriting, seals and wear). Those factors order values well
but are not probabilities. `FieldCalibration` maps the raw confidence to one with Platt scaling
— P(right) = sigmoid(a · logit(raw) + b) — fitted per kind of value (names, ID numbers, dates,
units, codes) on the documents of the training corpora, where the truth is known.

The map is monotonic, so it never changes which value an extractor picks, only what the
confidence says. The shipped parameters live in extract/model/fields.json (`casefile train`).
"""
from __future__ import annotations

import json
import math
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

SHIPPED = Path(__file__).with_name("model") / "fields.json"
FORMAT = "casefile.field-calibration/1"
MIN_PAIRS = 20  # fewer truth values than this for a kind: that kind keeps its raw confidence
# One pseudo-observation at each end, so that a kind read right every time in training still gets
# a finite map (not "certain"), and one read wrong every time is not "impossible".
PRIOR = ((0.05, False), (0.99, True))

_KINDS = {"name": "name", "former_name": "name", "id_number": "id_number", "gender": "code",
          "termination_reason": "code", "service_unit": "unit", "placement_unit": "unit", "employer": "unit",
          "issuer": "unit", "former_employer": "unit", "stub_placement_unit": "unit"}


TEXT_FIELDS = frozenset({"name", "service_unit", "placement_unit", "employer"})


def comparable(name: str, value: object) -> str | None:
    """A value as `casefile eval` compares it with the truth: dates at month precision, names and
    units after NFKC without whitespace, everything else exactly."""
    if value is None:
        return None
    text = str(value)
    if name.endswith("_date"):
        return text.strip()[:7]
    if name in TEXT_FIELDS:
        return "".join(unicodedata.normalize("NFKC", text).split())
    return text


def field_kind(name: str) -> str:
    return _KINDS.get(name) or ("date" if name.endswith("_date") else "other")


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


@dataclass(frozen=True)
class FieldCalibration:
    params: dict[str, tuple[float, float]] = field(default_factory=dict)  # kind → (a, b)
    version: str = "raw"

    def __call__(self, name: str, raw: float) -> float:
        ab = self.params.get(field_kind(name))
        if ab is None:
            return raw
        a, b = ab
        return round(1.0 / (1.0 + math.exp(-(a * _logit(raw) + b))), 4)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"format": FORMAT, "version": self.version,
                "params": {k: [round(a, 6), round(b, 6)] for k, (a, b) in sorted(self.params.items())}}
        path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "FieldCalibration":
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"{path}: not a casefile field calibration ({data.get('format')!r})")
        return cls({k: (float(a), float(b)) for k, (a, b) in data["params"].items()}, data["version"])


def fit_calibration(pairs: list[tuple[str, float, bool]], *, version: str) -> FieldCalibration:
    """(field name, raw confidence, value right) → one Platt map per kind of value."""
    from sklearn.linear_model import LogisticRegression

    by_kind: dict[str, list[tuple[float, bool]]] = {}
    for name, raw, ok in pairs:
        by_kind.setdefault(field_kind(name), []).append((raw, ok))
    params = {}
    for kind, items in sorted(by_kind.items()):
        if len(items) < MIN_PAIRS:
            continue
        items = items + list(PRIOR)
        x = np.array([[_logit(raw)] for raw, _ in items])
        y = np.array([ok for _, ok in items])
        model = LogisticRegression(C=1.0).fit(x, y)
        params[kind] = (float(model.coef_[0][0]), float(model.intercept_[0]))
    return FieldCalibration(params, version)


@lru_cache(maxsize=1)
def default_calibration() -> FieldCalibration:
    return FieldCalibration.load(SHIPPED) if SHIPPED.exists() else FieldCalibration()
