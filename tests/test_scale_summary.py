"""`casefile run`'s console summary stays bounded on a large batch (issue #15): the totals and the
cases with problems, the rest in the report; a small batch still shows every case."""
from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from casefile import cli_output


def _report(n_cases: int, with_problems: int) -> dict:
    cases = []
    for i in range(n_cases):
        flags = [{"code": "service_years", "severity": "info", "message": f"服役年限说明 {i}"}]
        if i < with_problems:
            flags += [{"code": "missing_document", "severity": "error", "message": f"缺少材料 {i}-{k}"} for k in range(1 + i % 9)]
        cases.append({"name": f"人员{i}", "id_number": "360899197503141518", "documents": ["D000001"] * 6,
                      "derived": {"service_months": 48}, "flags": flags})
    return {"cases": cases, "unmatched_documents": [f"D{i:06d}" for i in range(500)]}


def _printed(report: dict, monkeypatch) -> str:
    buffer = io.StringIO()
    monkeypatch.setattr(cli_output, "Console", lambda: Console(file=buffer, width=140))
    cli_output.print_summary(report, Path("/tmp/r.json"))
    return buffer.getvalue()


def test_a_large_batch_prints_totals_and_the_cases_with_problems(monkeypatch):
    small = _printed(_report(2000, 300), monkeypatch)
    large = _printed(_report(20000, 300), monkeypatch)
    assert "案卷 2000 个，其中有问题的 300 个" in small and "未匹配到名册的材料 500 份" in small
    assert "问题最多的 100 个" in small and "/tmp/r.json" in small
    assert "人员8" in small  # nine errors: among the most flagged
    assert "服役年限说明" not in small  # notes are in the report
    assert "另有" in small  # a row's messages beyond five are counted, not printed
    assert len(large.splitlines()) == len(small.splitlines())  # ten times the cases, the same length
    assert "等 500 份" in small


def test_a_small_batch_shows_every_case_and_every_message(monkeypatch):
    printed = _printed(_report(12, 3), monkeypatch)
    for i in range(12):
        assert f"人员{i}" in printed and f"服役年限说明 {i}" in printed
    assert "缺少材料 2-2" in printed and "另有" not in printed
    assert "D000499" in printed
