"""Template family B (fixtures/generator/family_b) renders every planned kind with truth that agrees with the case."""
from __future__ import annotations

import datetime as dt
import random
import re

import pypdfium2
import pytest

from fixtures.generator import names as N
from fixtures.generator.family_b import DIGITAL, RENDERERS, prepare_case
from fixtures.generator.family_b.preview import spec_for
from fixtures.generator.model import Ctx
from fixtures.generator.people import homophone_variant, id_checksum_ok, id_typo
from fixtures.generator.plan import DOC_TYPE

DPI = 100
SEEDS = range(1, 7)
DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
FIELDS = {"name", "id_number", "gender", "birth_date", "enlistment_date", "discharge_date", "service_unit",
          "placement_unit", "placement_date", "employer", "termination_date", "termination_reason", "issue_date"}
REQUIRED = {
    "enlistment": {"name", "enlistment_date"}, "discharge": {"name", "discharge_date", "service_unit"},
    "placement": {"name", "placement_unit", "placement_date"},
    "termination": {"name", "employer", "termination_date", "termination_reason"},
    "id_card": {"name", "gender", "birth_date", "id_number"}, "contribution": {"name", "id_number", "employer"},
    "subsidy_voucher": {"name", "discharge_date"}, "political_review": {"name", "gender", "id_number", "issue_date"},
    "other": {"name"},
}


def _at(d: dt.date, value: str) -> str:
    return d.isoformat()[:len(value)]


def check_truth(spec, r):
    case, f = spec.case, r.fields
    assert set(f) <= FIELDS, set(f) - FIELDS
    assert REQUIRED[spec.doc_type] <= set(f), (spec.kind, REQUIRED[spec.doc_type] - set(f))
    assert r.title
    for k, v in f.items():
        if k.endswith("_date"):
            assert DATE.match(v), (k, v)
    facts = {"birth_date": case.person.birth, "enlistment_date": case.enlist, "discharge_date": case.discharge,
             "termination_date": case.termination,
             "placement_date": spec.opts.get("letter_date", case.letter)}
    for k, d in facts.items():
        if k in f:
            assert f[k] == _at(d, f[k]), (spec.kind, k, f[k], d)
    assert f["name"] == spec.opts.get("name", case.person.name)
    if "id_number" in f:
        if "id_override" in spec.opts:
            assert f["id_number"] == spec.opts["id_override"] and not id_checksum_ok(f["id_number"])
        else:
            assert f["id_number"] == case.person.id18 and id_checksum_ok(f["id_number"])
    if "gender" in f:
        assert f["gender"] == case.person.gender
    if "service_unit" in f:
        assert f["service_unit"] == f"{case.unit_code}部队"
    if "placement_unit" in f:
        assert f["placement_unit"] == case.placement_unit
    if "employer" in f:
        assert f["employer"] == case.employer
    if "termination_reason" in f:
        assert f["termination_reason"] == case.reason
    if spec.doc_type == "id_card":
        assert len(f["birth_date"]) == 10
    if "issue_date" in f:
        assert spec.doc_type == "political_review"


def test_every_plan_kind_has_a_renderer():
    assert set(RENDERERS) == set(DOC_TYPE)
    assert set(DIGITAL) == {"contribution", "political_review"}


@pytest.mark.parametrize("kind", sorted(DOC_TYPE))
def test_kind_renders_with_valid_truth(kind):
    for seed in SEEDS:
        spec = spec_for(kind, seed)
        r = RENDERERS[kind](Ctx(spec, DPI))
        assert len(r.pages) == spec.pages, (kind, seed)
        for img in r.pages:
            assert img.mode == "RGB" and img.width > 300 and img.height > 300
            lo, hi = img.convert("L").getextrema()
            assert lo < 100 and hi > 200            # something is printed on paper
        check_truth(spec, r)


@pytest.mark.parametrize("kind,pages", [("enlistment_form", 2), ("id_card", 2), ("id_card", 1)])
def test_multi_page_variants(kind, pages):
    for seed in SEEDS:
        spec = spec_for(kind, seed, pages=pages)
        spec.opts["back"] = True
        r = RENDERERS[kind](Ctx(spec, DPI))
        assert len(r.pages) == pages
        check_truth(spec, r)


@pytest.mark.parametrize("stub", [None, "top", "left"])
def test_placement_opts(stub):
    for seed in SEEDS:
        spec = spec_for("placement_letter", seed)
        spec.opts.update(stub=stub, letter_date=spec.case.discharge - dt.timedelta(days=40), with_dates=False)
        r = RENDERERS["placement_letter"](Ctx(spec, DPI))
        check_truth(spec, r)
        assert "enlistment_date" not in r.fields and "discharge_date" not in r.fields


def test_injected_name_and_id():
    rng = random.Random(5)
    for seed in SEEDS:
        for kind in ("political_review", "termination_letter", "termination_table"):
            spec = spec_for(kind, seed)
            spec.opts["id_override"] = id_typo(spec.person.id18, rng)
            spec.opts["name"] = homophone_variant(spec.person.name, rng)
            r = RENDERERS[kind](Ctx(spec, DPI))
            check_truth(spec, r)
            assert r.fields["name"] == spec.opts["name"] != spec.person.name
            assert r.fields["id_number"] == spec.opts["id_override"]


def test_disciplinary_reasons_follow_the_case():
    seen = set()
    for seed in range(1, 13):
        spec = spec_for("disciplinary_decision", seed)
        r = RENDERERS["disciplinary_decision"](Ctx(spec, DPI))
        check_truth(spec, r)
        seen.add(r.fields["termination_reason"])
    assert seen <= {"removal", "dismissal", "voluntary_departure"} and len(seen) >= 2


def test_rendering_is_deterministic():
    for kind in ("placement_letter", "discharge_form", "subsidy_voucher"):
        a = RENDERERS[kind](Ctx(spec_for(kind, 3), DPI))
        b = RENDERERS[kind](Ctx(spec_for(kind, 3), DPI))
        assert a.fields == b.fields and a.raw == b.raw
        assert a.pages[0].tobytes() == b.pages[0].tobytes()


@pytest.mark.parametrize("kind", sorted(DIGITAL))
def test_born_digital_pdf_has_a_text_layer(kind):
    for seed in (1, 2, 3):
        spec = spec_for(kind, seed, digital=True)
        r = DIGITAL[kind](Ctx(spec, DPI))
        assert r.pages == [] and r.pdf.startswith(b"%PDF")
        assert r.pdf == DIGITAL[kind](Ctx(spec_for(kind, seed, digital=True), DPI)).pdf
        check_truth(spec, r)
        doc = pypdfium2.PdfDocument(r.pdf)
        assert len(doc) == 1
        text = doc[0].get_textpage().get_text_range()
        assert r.fields["name"] in text and r.fields["id_number"] in text


def test_prepare_case_uses_family_b_units():
    a_units = set(N.OLD_UNITS) | set(N.NEW_UNITS)
    for seed in range(40):
        spec = spec_for("termination_letter", seed)
        case = spec.case
        county = case.person.county.name
        assert case.placement_unit.startswith(county) and case.employer.startswith(county)
        assert case.placement_unit[len(county):] not in a_units
        if case.employer != case.placement_unit:
            assert case.reason == "restructuring"
            assert "有限" in case.employer
        prepare_case(case, random.Random(seed))      # idempotent in kind: still a family-B unit
        assert case.placement_unit[len(county):] not in a_units
