"""The shipped page model and field calibration: what `casefile train` builds, and what they do
on the pages of both template families (stored OCR of the training corpora: no OCR here)."""
from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from classify.evidence import title_evidence
from classify.model import SHIPPED as SHIPPED_MODEL
from classify.model import PageModel
from classify.training import TRAINING_SET, Sample, documents, fit, fit_all, read_samples
from core.types import Line, PageText
from extract import extract_fields
from extract.calibration import SHIPPED as SHIPPED_FIELDS
from extract.calibration import FieldCalibration, comparable


@pytest.fixture(scope="module")
def samples() -> list[Sample]:
    return read_samples(TRAINING_SET)


def family(samples: list[Sample], name: str) -> list[Sample]:
    return [s for s in samples if s.group.startswith(f"{name}:")]


def test_the_shipped_models_are_what_the_training_set_builds(samples):
    shipped = PageModel.load(SHIPPED_MODEL)
    built = fit_all(samples, version=shipped.version.removeprefix("pages/"))
    assert built.pages.classes == shipped.classes
    assert built.pages.text_vec.vocabulary_ == shipped.text_vec.vocabulary_
    assert built.pages.head_vec.vocabulary_ == shipped.head_vec.vocabulary_
    assert np.allclose(built.pages.text_coef, shipped.text_coef, atol=1e-4)
    assert np.allclose(built.pages.evidence_coef, shipped.evidence_coef, atol=1e-4)
    assert built.pages.temperature == pytest.approx(shipped.temperature, abs=1e-3)
    fields = FieldCalibration.load(SHIPPED_FIELDS)
    assert fields.params.keys() == built.fields.params.keys()
    for kind, ab in fields.params.items():
        assert built.fields.params[kind] == pytest.approx(ab, abs=1e-4)


def test_the_training_set_holds_both_families_and_distractors(samples):
    groups = {s.group.split(":")[0] for s in samples}
    assert groups == {"a", "b"}
    types = Counter(s.doc_type for s in samples)
    assert types["other"] >= 30  # distractors make `other` a real class


def test_saved_and_loaded_models_give_the_same_probabilities(samples, tmp_path):
    some = family(samples, "a")[:60]
    model = fit(some, version="test")
    model.save(tmp_path / "m.npz")
    again = PageModel.load(tmp_path / "m.npz")
    pairs = [(s.page, title_evidence(s.page)) for s in some[:10]]
    assert np.allclose(model.probabilities(pairs), again.probabilities(pairs), atol=1e-5)


# Trained on one family, measured on the other's stored pages. Issue #10 asks for doc type ≥ 0.95,
# distractors `other` ≥ 0.95 and none given a veteran type at ≥ 0.8; b → a does not reach the
# distractor floors yet (family A's 劳动合同书, 党员登记表, 完税证明 look like veteran papers to a
# model that never saw them), so these are regression floors at what the code reaches today.
CROSS_FAMILY_FLOORS = {("a", "b"): (0.95, 0.95, 0), ("b", "a"): (0.95, 0.70, 1)}


@pytest.mark.parametrize("train_on, measure_on", sorted(CROSS_FAMILY_FLOORS))
def test_a_model_of_one_family_reads_the_other(samples, train_on, measure_on):
    doc_floor, other_floor, confident_allowed = CROSS_FAMILY_FLOORS[(train_on, measure_on)]
    model = fit(family(samples, train_on), version="test")
    held_out = family(samples, measure_on)
    pairs = [(s.page, title_evidence(s.page)) for s in held_out]
    probs = model.probabilities(pairs)
    predicted = [model.classes[i] for i in probs.argmax(axis=1)]
    confidence = probs.max(axis=1)
    right = [p == s.doc_type for p, s in zip(predicted, held_out)]
    assert sum(right) / len(right) >= doc_floor
    distractors = [(p, c) for p, c, s in zip(predicted, confidence, held_out) if s.doc_type == "other"]
    assert sum(p == "other" for p, _ in distractors) / len(distractors) >= other_floor
    assert sum(p != "other" and c >= 0.8 for p, c in distractors) <= confident_allowed


# Issue #10 asks for ≥ 0.90 on the family extraction was not developed on (b); regression floors
# (the stored pages read 0.968 and 0.925 with extract/1.6; b was developed on since, so it is a
# development figure, not a measurement).
EXTRACTION_FLOORS = {"a": 0.95, "b": 0.915}


@pytest.mark.parametrize("name", sorted(EXTRACTION_FLOORS))
def test_the_extractor_reads_both_families(samples, name):
    total = right = 0
    for doc_type, pages, truth in documents(family(samples, name)):
        found = extract_fields(doc_type, pages)
        for field_name, expected in truth.items():
            total += 1
            got = found.get(field_name)
            right += got is not None and comparable(field_name, got.value) == comparable(field_name, expected)
    assert right / total >= EXTRACTION_FLOORS[name]


def test_a_page_of_nothing_known_is_other_and_not_confident():
    page = PageText(1654, 2339, [Line("第 2 页", (700, 2200, 900, 2250), 0.9)], "ocr", "test")
    model = PageModel.load(SHIPPED_MODEL)
    cls = model.classify(page)
    assert cls.doc_type == "other" or cls.confidence < 0.8
