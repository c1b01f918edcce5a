"""Family B page wear (fixtures/generator/family_b/wear.py) and distractor pages (family_b/distractors.py)."""
from __future__ import annotations

import io
import random
from functools import lru_cache

import numpy as np
import pytest
from PIL import Image

from fixtures.generator import wear as A
from fixtures.generator.family_b import wear as B
from fixtures.generator.family_b.distractors import DISTRACTORS
from fixtures.generator.model import Ctx, DocSpec
from fixtures.generator.people import make_case

DPI = 100          # wear parameters scale with the page, so a smaller page exercises the same code
FORMATS = ("jpeg", "png", "pdf", "tiff", "tiff_g4")
NEEDS = {"recopy": ["photocopy", "recopy"]}      # kinds that only exist on top of another


def render(kind: str, seed: int, dpi: int = DPI):
    rng = random.Random(seed)
    case = make_case(seed, rng, set())
    spec = DocSpec(key=f"t{seed}", kind="distractor", doc_type="other", person=case.person, case=case,
                   seed=rng.getrandbits(40), opts={"form": kind})
    return case, DISTRACTORS[kind](Ctx(spec, dpi))


@lru_cache(maxsize=None)
def page() -> Image.Image:
    return render("retirement_approval", 5)[1].pages[0]


def wear_of(kind: str, seed: int = 7, rotation: int = 0) -> B.PageWear:
    tags = NEEDS.get(kind, [kind])
    return B.PageWear(wear=sorted(tags, key=B.WEAR_KINDS.index), seed=seed, rotation=rotation,
                      skew_deg=1.8 if kind == "skew" else 0.0, jpeg_quality=30 if kind == "jpeg" else 0)


def luma(img: Image.Image) -> np.ndarray:
    return np.asarray(img.convert("L"), dtype=np.int16)


# -- distractors -------------------------------------------------------------------------------

def test_at_least_ten_distractor_kinds():
    assert len(DISTRACTORS) >= 10
    assert all(callable(f) for f in DISTRACTORS.values())


@pytest.mark.parametrize("kind", sorted(DISTRACTORS))
def test_distractor_renders_without_truth(kind):
    seen = set()
    for seed in (1, 2, 3, 11):
        _, r = render(kind, seed)
        assert r.fields == {} and r.raw == {}, f"{kind} recorded truth: {r.fields}"
        assert r.title and r.pdf is None and len(r.pages) >= 1
        for img in r.pages:
            assert img.mode == "RGB"
            assert sorted(img.size) == sorted((round(210 * DPI / 25.4), round(297 * DPI / 25.4)))
            g = luma(img)
            assert (g < 100).mean() > 0.004, f"{kind}: page is nearly blank"
        seen.add(r.pages[0].tobytes())
    assert len(seen) == 4, f"{kind}: different seeds rendered the same page"


@pytest.mark.parametrize("kind", sorted(DISTRACTORS))
def test_distractor_is_deterministic(kind):
    assert render(kind, 4)[1].pages[0].tobytes() == render(kind, 4)[1].pages[0].tobytes()


def test_distractors_carry_red_seals():
    """Official forms are stamped: most kinds show seal-red pixels."""
    red = 0
    for kind in DISTRACTORS:
        a = np.asarray(render(kind, 2)[1].pages[0], dtype=np.int16)
        red += ((a[..., 0] - a[..., 1] > 60) & (a[..., 0] > 150)).mean() > 0.0005
    assert red >= len(DISTRACTORS) - 2


# -- wear kinds -------------------------------------------------------------------------------------

def test_wear_kinds_extend_family_a():
    assert B.WEAR_KINDS[:len(A.WEAR_KINDS)] == A.WEAR_KINDS
    assert len(set(B.WEAR_KINDS)) == len(B.WEAR_KINDS)
    assert set(B.NEW_KINDS) <= set(B.WEAR_KINDS)
    assert {"photocopy", "perspective", "curl", "lowres", "bleed", "holes", "fold"} <= set(B.NEW_KINDS)


@pytest.mark.parametrize("kind", B.WEAR_KINDS)
def test_wear_kind_applies(kind):
    src = page()
    out = B.apply(src, wear_of(kind))
    assert out.mode == "RGB" and out.size == src.size
    diff = np.abs(np.asarray(out, np.int16) - np.asarray(src, np.int16))
    assert (diff.max(axis=-1) > 8).mean() > 0.0004, f"{kind} left the page unchanged"
    assert src.tobytes() == page().tobytes(), "apply modified its input"


@pytest.mark.parametrize("kind", B.WEAR_KINDS)
def test_wear_kind_deterministic_for_a_seed(kind):
    a = B.apply(page(), wear_of(kind, seed=3))
    b = B.apply(page(), wear_of(kind, seed=3))
    assert a.tobytes() == b.tobytes()
    if kind not in ("grayscale", "binarized", "jpeg"):      # these have no random parameter
        c = B.apply(page(), wear_of(kind, seed=4))
        assert c.tobytes() != a.tobytes(), f"{kind} ignores the seed"


@pytest.mark.parametrize("kind", B.WEAR_KINDS)
def test_wear_kind_keeps_page_legible(kind):
    """Ink stays far darker than paper in the body of the page (a proxy for a human reading it)."""
    g = luma(B.apply(page(), wear_of(kind)))
    h, w = g.shape
    body = g[h // 8: h * 3 // 4, w // 6: w * 5 // 6]
    ink, paper = np.percentile(body, 1), np.percentile(body, 60)
    assert paper - ink > 90, f"{kind}: ink {ink} vs paper {paper}"


def test_phone_photo_has_desk_background_and_page_inside():
    out = np.asarray(B.apply(page(), B.PageWear(wear=["perspective"], seed=9)), dtype=np.int16)
    src = np.asarray(page(), dtype=np.int16)
    h, w = out.shape[:2]
    corner = out[: h // 40, : w // 40]
    assert np.abs(corner - src[: h // 40, : w // 40]).mean() > 20, "no background around the page"
    assert out[h // 2 - 20: h // 2 + 20, w // 2 - 20: w // 2 + 20].mean() > 180, "page not in the middle"


def test_grey_and_binary_outputs():
    for kind in ("grayscale", "photocopy", "recopy"):
        a = np.asarray(B.apply(page(), wear_of(kind)))
        assert (a[..., 0] == a[..., 1]).all() and (a[..., 1] == a[..., 2]).all(), kind
    b = np.asarray(B.apply(page(), B.PageWear(wear=["photocopy", "grayscale", "binarized"], seed=1)))
    assert set(np.unique(b)) <= {0, 255}


@pytest.mark.parametrize("rotation", (90, 180, 270))
def test_rotation_is_clockwise(rotation):
    img = Image.new("RGB", (200, 300), (255, 255, 255))
    img.paste((0, 0, 0), (0, 0, 40, 40))                       # marker in the top-left corner
    out = np.asarray(B.apply(img, B.PageWear(wear=["fold"], seed=2, rotation=rotation)).convert("L"))
    assert out.shape == ((300, 200) if rotation == 180 else (200, 300))
    h, w = out.shape
    corners = {"tl": out[:20, :20], "tr": out[:20, w - 20:], "br": out[h - 20:, w - 20:], "bl": out[h - 20:, :20]}
    dark = min(corners, key=lambda k: corners[k].mean())
    assert dark == {90: "tr", 180: "br", 270: "bl"}[rotation]


def test_no_wear_returns_the_page():
    src = page()
    assert B.apply(src, B.PageWear()) is src


# -- plans --------------------------------------------------------------------------------------------

def plans(n: int = 400):
    rng = random.Random(5)
    for i in range(n):
        fmt, phone, old = FORMATS[i % len(FORMATS)], i % 7 == 0, i % 3 == 0
        if phone:
            fmt = "jpeg"
        yield fmt, phone, B.plan_wear(rng, old, fmt, phone)


def test_plans_respect_containers():
    seen: set[str] = set()
    for fmt, phone, w in plans():
        tags = set(w.wear)
        seen |= tags
        assert w.wear == sorted(tags, key=B.WEAR_KINDS.index)
        assert tags <= set(B.WEAR_KINDS)
        assert w.rotation in (0, 90, 180, 270)
        assert bool(w.skew_deg) == ("skew" in tags) and abs(w.skew_deg) <= 3
        assert bool(w.jpeg_quality) == ("jpeg" in tags)
        assert "recopy" not in tags or "photocopy" in tags
        assert "photocopy" not in tags or phone or tags & {"grayscale", "binarized"}
        assert "color_cast" not in tags or not tags & {"grayscale", "binarized"}
        assert len(tags & {"blur", "motion_blur", "recopy", "lowres", "jpeg", "faded"}) <= 2
        assert phone == ("perspective" in tags)
        assert phone or not tags & {"perspective", "vignette", "shadow", "motion_blur", "color_cast"}
        if fmt in ("png", "tiff", "tiff_g4"):
            assert not tags & {"noise", "yellowed", "jpeg"}, (fmt, tags)
        if fmt == "tiff":
            assert "grayscale" in tags
        if fmt == "tiff_g4":
            assert "binarized" in tags and not tags & {"grayscale", "shadow", "vignette", "bleed", "color_cast"}
    assert set(B.NEW_KINDS) <= seen, f"never planned: {set(B.NEW_KINDS) - seen}"


def test_lossless_pages_do_not_bloat():
    """Planned PNG pages stay within a small factor of the clean page's PNG size."""
    def png_size(img: Image.Image, grey: bool) -> int:
        buf = io.BytesIO()
        (img.convert("L") if grey else img).save(buf, "PNG", compress_level=6)
        return len(buf.getvalue())

    rng = random.Random(8)
    src = page()
    for _ in range(12):
        w = B.plan_wear(rng, True, "png", False)
        grey = "grayscale" in w.wear
        ratio = png_size(B.apply(src, w), grey) / png_size(src, grey)
        assert ratio < 3.0, (w.wear, ratio)


def test_planned_pages_apply():
    rng = random.Random(12)
    src = page()
    for fmt in FORMATS:
        for phone in (False, True):
            w = B.plan_wear(rng, True, fmt, phone)
            out = B.apply(src, w)
            assert out.mode == "RGB"
            assert out.size == (src.size if w.rotation in (0, 180) else src.size[::-1])
