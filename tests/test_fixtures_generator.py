"""The synthetic evidence corpus (fixtures/generate.py) is consistent with its own ground truth."""
from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image
from pypinyin import lazy_pinyin
from stdnum.cn import ric

ROOT = Path(__file__).resolve().parents[1]

from fixtures.generate import generate
from fixtures.generator.people import id_checksum_ok

SAMPLE = ROOT / "fixtures" / "sample"
SAMPLE_ARGS = {"cases": 8, "seed": 20261129}
DOC_TYPES = {"enlistment", "discharge", "placement", "termination", "id_card", "contribution",
             "subsidy_voucher", "political_review", "other"}
FIELDS = {"name", "id_number", "gender", "birth_date", "enlistment_date", "discharge_date", "service_unit",
          "placement_unit", "placement_date", "employer", "termination_date", "termination_reason", "issue_date"}
REASONS = {"mutual_agreement", "bankruptcy", "restructuring", "expiry", "voluntary_departure", "removal",
           "dismissal", "criminal_sentence", "other"}
PROBLEMS = {"missing_document", "name_variant", "id_typo", "placement_before_discharge",
            "disqualifying_termination"}
FLAG_OF = {"missing_document": "missing_document", "name_variant": "name_mismatch", "id_typo": "invalid_id_number",
           "placement_before_discharge": "date_order", "disqualifying_termination": "disqualifying_termination"}
DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def _stem(unit: str) -> str:
    """A unit's name without its county and organisation word (domain 6.5)."""
    name = re.sub(r"^.{2,3}县", "", unit)
    return re.sub(r"(有限责任公司|股份有限公司|有限公司|总公司|公司|总厂|厂)$", "", name)


def month_index(iso: str) -> int:
    return int(iso[:4]) * 12 + int(iso[5:7])


def page_count(path: Path) -> int:
    if path.suffix.lower() == ".pdf":
        pdf = pypdfium2.PdfDocument(str(path))
        try:
            return len(pdf)
        finally:
            pdf.close()
    with Image.open(path) as im:
        n = getattr(im, "n_frames", 1)
        for i in range(n):
            im.seek(i)
            im.load()
        return n


def file_hashes(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus10")
    truth = generate(out, cases=10, seed=7)
    return out, truth


def check_corpus(out: Path, truth: dict):
    """Every invariant the pipeline's evaluation relies on."""
    assert truth["schema"] == "casefile.truth/1"
    batch = out / "batch"
    on_disk = {p.relative_to(batch).as_posix() for p in batch.rglob("*") if p.is_file()}
    listed = [f["source"] for f in truth["files"]]
    assert sorted(listed) == sorted(on_disk) and len(set(listed)) == len(listed)

    docs = {d["id"]: d for d in truth["documents"]}
    seen_pages: dict[str, set[int]] = {}
    for f in truth["files"]:
        n = page_count(batch / f["source"])
        numbers = [p["page"] for p in f["pages"]]
        assert numbers == list(range(1, n + 1)), f["source"]
        for p in f["pages"]:
            d = docs[p["document"]]
            assert d["source"] == f["source"] and p["page"] in d["pages"]
            assert p["doc_type"] == d["doc_type"] in DOC_TYPES
            assert p["case_id_number"] == d["case_id_number"]
            assert p["rotation"] in (0, 90, 180, 270)
            seen_pages.setdefault(d["id"], set()).add(p["page"])
    assert all(set(d["pages"]) == seen_pages[d["id"]] for d in docs.values())

    cases = {c["id_number"]: c for c in truth["cases"]}
    assert len(cases) == truth["cases_total"]
    for d in docs.values():
        assert set(d["fields"]) <= FIELDS, d["fields"]
        for k, v in d["fields"].items():
            if k.endswith("_date"):
                assert DATE.match(v), (k, v)
        assert d["fields"].get("gender", "male") in ("male", "female")
        assert d["fields"].get("termination_reason", "other") in REASONS
        if d["layout"].startswith("distractor:"):  # another agency's form: type other, nothing scored
            assert d["doc_type"] == "other" and d["fields"] == {} and d["case_id_number"] is not None
            continue
        assert "name" in d["fields"]
        if d["case_id_number"] is not None:
            assert d["case_id_number"] in cases

    # the person who is not on the roster
    strangers = {d["doc_type"] for d in docs.values() if d["case_id_number"] is None}
    assert {"id_card", "termination"} <= strangers

    for cid, c in cases.items():
        # stdnum's is_valid also checks the (invented) region code; its check digit wants all 18 chars
        assert id_checksum_ok(cid) and ric.calc_check_digit(cid) == cid[-1]
        own = [d for d in docs.values() if d["case_id_number"] == cid and not d["layout"].startswith("distractor:")]
        types = {d["doc_type"] for d in own}
        assert c["problem"] in PROBLEMS | {None}
        expected = [] if c["problem"] is None else [FLAG_OF[c["problem"]]]
        facts = c["facts"]
        renamed = _stem(facts["employer"]) != _stem(facts["placement_unit"])
        if renamed and {"placement", "termination"} <= types and "contribution" not in types:
            expected.append("unit_mismatch")  # a successor employer with no record of the succession (U-01)
        assert [f["code"] for f in c["expected_flags"]] == expected
        numbers = [d["fields"]["id_number"] for d in own if "id_number" in d["fields"]]
        bad = [n for n in numbers if not id_checksum_ok(n)]
        names = [d["fields"]["name"] for d in own]
        if c["problem"] == "id_typo":
            assert len(bad) == 1 and len(bad[0]) == 18
            assert sum(a != b for a, b in zip(bad[0], cid)) == 1
        else:
            assert bad == [] and all(n == cid for n in numbers)
        if c["problem"] == "name_variant":
            variants = [n for n in names if n != c["name"]]
            assert len(variants) == 1 and lazy_pinyin(variants[0]) == lazy_pinyin(c["name"])
        else:
            assert set(names) == {c["name"]}
        if c["problem"] == "missing_document":
            missing = c["expected_flags"][0]["doc_type"]
            assert missing not in types
            assert types >= {"enlistment", "discharge", "placement", "termination", "id_card"} - {missing}
        else:
            assert types >= {"enlistment", "discharge", "placement", "termination", "id_card"}
        facts, derived = c["facts"], c["derived"]
        if derived["service_months"] is not None:
            assert derived["service_months"] == month_index(facts["discharge_date"]) - month_index(facts["enlistment_date"])
        pending = derived["pending_placement_months"]
        if c["problem"] == "placement_before_discharge":
            assert pending is not None and pending < 0
            assert all(d["fields"]["placement_date"] < facts["discharge_date"][:7]
                       for d in own if "placement_date" in d["fields"])
        elif pending is not None:
            assert 1 <= pending <= 24
        reasons = {d["fields"].get("termination_reason") for d in own if d["doc_type"] == "termination"}
        disqualifying = {"voluntary_departure", "removal", "dismissal", "criminal_sentence"}
        assert bool(reasons & disqualifying) == (c["problem"] == "disqualifying_termination")

    rows = list(csv.DictReader((out / "roster.csv").open(encoding="utf-8-sig")))
    assert {(r["姓名"], r["公民身份号码"]) for r in rows} == {(c["name"], c["id_number"]) for c in cases.values()}
    assert len(rows) == len(cases)


def check_difficulty(out: Path, truth: dict):
    pages = [p for f in truth["files"] for p in f["pages"]]
    assert sum(1 for p in pages if set(p["wear"]) - {"grayscale"}) >= len(pages) / 3
    assert any(p["rotation"] for p in pages)
    formats = {f["format"] for f in truth["files"]}
    assert {"jpeg", "pdf", "pdf_digital"} <= formats and formats & {"tiff", "tiff_g4"}
    assert any(len({p["document"] for p in f["pages"]}) > 2 for f in truth["files"]), "no per-case PDF/TIFF"
    assert {c["problem"] for c in truth["cases"]} >= PROBLEMS
    for f in truth["files"]:
        if f["format"] == "pdf_digital":
            pdf = pypdfium2.PdfDocument(str(out / "batch" / f["source"]))
            text = pdf[0].get_textpage().get_text_range()
            pdf.close()
            doc = next(d for d in truth["documents"] if d["source"] == f["source"])
            assert doc["fields"]["name"] in text and doc["fields"]["id_number"] in text


def test_corpus_is_consistent(corpus):
    check_corpus(*corpus)


def test_family_b_corpus_is_consistent_and_has_distractors(tmp_path):
    """The same invariants hold for the independently written family; both families hold
    distractor pages of their own kinds."""
    truth = generate(tmp_path, cases=10, seed=7, family="b")
    assert truth["family"] == "b"
    check_corpus(tmp_path, truth)
    kinds_b = {d["layout"] for d in truth["documents"] if d["layout"].startswith("distractor:")}
    assert kinds_b
    kinds_a = {d["layout"] for d in generate(tmp_path / "a", cases=10, seed=7)["documents"]}
    assert not kinds_b & kinds_a  # disjoint distractor sets: the other family's are never seen


def test_corpus_has_every_difficulty(corpus):
    check_difficulty(*corpus)


def test_file_names_reveal_nothing(corpus):
    _, truth = corpus
    words = ("enlist", "discharge", "placement", "termination", "card", "入伍", "退伍", "介绍信", "身份证")
    assert not [f["source"] for f in truth["files"] if any(w in f["source"].lower() for w in words)]


def test_same_seed_same_bytes(corpus, tmp_path):
    out, truth = corpus
    again = generate(tmp_path, cases=10, seed=7)
    assert again == truth
    assert file_hashes(tmp_path) == file_hashes(out)


def test_committed_sample_is_consistent_and_current(tmp_path):
    truth = json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))
    check_corpus(SAMPLE, truth)
    check_difficulty(SAMPLE, truth)
    assert sum(p.stat().st_size for p in SAMPLE.rglob("*") if p.is_file()) < 10_000_000
    assert any(c["problem"] is None for c in truth["cases"])
    regenerated = generate(tmp_path, **SAMPLE_ARGS)
    assert regenerated == truth, "fixtures/sample is stale: python fixtures/generate.py fixtures/sample --cases 8 --seed 20261129"


def test_family_b_writes_any_length_of_service_in_chinese_numerals():
    """Seed 730400 drew an NCO of 13 years, past the end of the hand-kept numerals the 兵龄 used."""
    from types import SimpleNamespace

    from fixtures.generator.family_b.military import _years

    for years, words in ((4, "四年"), (12, "十二年"), (13, "十三年"), (16, "十六年")):
        ctx = SimpleNamespace(case=SimpleNamespace(service_months=years * 12), choice=lambda options: options[-1])
        assert _years(ctx) == words
