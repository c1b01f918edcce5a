"""Template filters of the web pages."""
from __future__ import annotations

import math

from django import template

from core.labels import value_zh
from records.models import Document

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


@register.filter
def source_files(summary: dict) -> list[dict]:
    """The files the case's documents come from, each named once with its documents' ids (the
    printout then refers to documents by id and page only)."""
    files: dict[str, list[str]] = {}
    for d in summary.get("documents", []):
        files.setdefault(d.get("file_name", ""), []).append(d["public_id"])
    return [{"name": name, "documents": id_runs(ids)} for name, ids in files.items()]


def id_runs(public_ids: list[str]) -> str:
    """D000005、D000006、D000007、D000009 → D000005–D000007、D000009."""
    runs: list[list[str]] = []
    for pid in public_ids:
        number = Document.pk_of(pid)
        last = Document.pk_of(runs[-1][-1]) if runs else None
        if number is not None and last is not None and last + 1 == number:
            runs[-1].append(pid)
        else:
            runs.append([pid])
    return "、".join(r[0] if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)

