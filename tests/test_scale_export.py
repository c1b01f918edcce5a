"""The XLSX export at county scale: 2,000 cases and 12,000 documents on SQLite (issue #15: it
failed from ~166 cases with "Expression tree is too large")."""
from __future__ import annotations

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import CaseOptions
from casework.exports import case_rows, write_cases_xlsx
from devtools import bench_scale as scale_data  # the factory of `casefile bench-scale`

pytestmark = pytest.mark.django_db


def test_exporting_2000_cases_on_sqlite():
    assert connection.vendor == "sqlite"
    built = scale_data.build(2000, linked=True, flags=True)
    buffer = io.BytesIO()
    with CaptureQueriesContext(connection) as queries:
        write_cases_xlsx(buffer, CaseOptions())
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["案卷"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2000
    headers = [c.value for c in sheet[1]]
    first, last = dict(zip(headers, rows[0])), dict(zip(headers, rows[-1]))
    assert first["公民身份号码"] == built["cases"][0].id_number and last["公民身份号码"] == built["cases"][-1].id_number
    assert first["材料数"] == 6 and last["材料数"] == 6
    assert first["未处理问题数"] == 1 and "缺少安置介绍信（0）" in first["未处理问题"]
    assert sum(1 for r in rows if dict(zip(headers, r))["未处理问题数"]) == 667  # every third case
    # a bounded number of queries: chunked, not one per case
    assert len(queries) < 60, len(queries)


def test_the_printable_summary_still_reads_one_case():
    built = scale_data.build(3, linked=True, flags=True)
    from cases import CaseOptions
    from casework.exports import case_summary

    summary = case_summary(built["cases"][0], CaseOptions())
    assert len(summary["documents"]) == 6 and summary["open_flag_count"] == 1
