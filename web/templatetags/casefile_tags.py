"""Template filters of the web pages."""
from __future__ import annotations

import math

from django import template

from core.labels import value_zh

register = template.Library()


@register.filter
def conf(value) -> str:
    """A confidence as shown beside its colour: cut, not rounded, to two places, so that the
    figure is below a threshold (0.8, 0.9) exactly when the colour says so (0.899 is 0.89, not 0.90)."""
    if value in (None, ""):
        return ""
    return f"{math.floor(float(value) * 100 + 1e-9) / 100:.2f}"


@register.filter
def field_value_zh(value: str, name: str) -> str:
    """A stored field value in words (core.labels.value_zh): {{ f.value|field_value_zh:f.name }}."""
    return value_zh(name, value or "")


# Identity is printed once, at the top of the printout: the roster's own columns for it are not repeated.
PRINTED_IDENTITY = {"姓名", "公民身份号码", "身份证号", "身份证号码", "性别", "出生日期", "出生年月"}


@register.filter
def attribute_pairs(attributes: list[dict]) -> list[list[dict]]:
    """The roster's other columns two to a row, without the identity printed above them."""
    kept = [a for a in attributes or [] if a["key"] not in PRINTED_IDENTITY]
    return [kept[i : i + 2] for i in range(0, len(kept), 2)]


@register.filter
def unlisted_documents(summary: dict) -> list[dict]:
    """The case's documents that the checklist of required types does not already list."""
    listed = {d["public_id"] for c in summary.get("checklist", []) for d in c["documents"]}
    return [d for d in summary.get("documents", []) if d["public_id"] not in listed]
