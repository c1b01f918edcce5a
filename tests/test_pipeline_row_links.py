"""A payroll that lists several rostered veterans (docs/documents.md#allowance-payroll-and-one-off-payments) is each one's evidence: every
linked row is a RowLink, each case evaluates its own row, the report, the case page and the
document page say so. Born-digital PDF: no OCR."""
from __future__ import annotations

import pytest

from config.options import PipelineOptions
from pipeline.report import build_report
from pipeline.run import submit_batch
from tests.born_digital import payroll_pdf
from tests.conftest import VETERAN_ID
from workers.local import LocalDispatcher

pytestmark = pytest.mark.django_db

LI = "360899197801053014"


@pytest.fixture
def payroll_batch(workspace):
    from records.models import Case

    Case.objects.create(id_number=VETERAN_ID, name="周立新", attributes={})
    Case.objects.create(id_number=LI, name="李海波", attributes={"退伍时间": "1996.12"})
    folder = workspace / "batch"
    folder.mkdir()
    (folder / "payroll.pdf").write_bytes(payroll_pdf())
    options = PipelineOptions()
    # uploaded by the clerk of the page test below (clerks see their own batches)
    return submit_batch([folder], LocalDispatcher(options), options, uploaded_by="u_clerk")


def test_each_veteran_on_the_payroll_gets_their_row(payroll_batch):
    from records.models import Case, Document, RowLink

    doc = Document.objects.get()
    assert doc.doc_type == "subsidy_voucher" and doc.case is None
    assert sorted((r.row, r.case.id_number) for r in RowLink.objects.all()) == [(0, VETERAN_ID), (1, LI)]
    for number in (VETERAN_ID, LI):
        case = Case.objects.get(id_number=number)
        assert list(case.evidence()) == [doc]
        assert case.derived["dates"]["discharge"]["month"] == "1996-12"  # read off the veteran's own row
        assert case.derived["dates"]["discharge"]["document"] == doc.public_id

    report = build_report(payroll_batch)
    [entry] = report["documents"]
    assert entry["case_id_number"] is None
    assert entry["row_cases"] == [{"row": 0, "case_id_number": VETERAN_ID}, {"row": 1, "case_id_number": LI}]
    assert report["unmatched_documents"] == []
    assert all(c["documents"] == [doc.public_id] for c in report["cases"])


def test_the_case_and_document_pages_show_the_rows(payroll_batch, client):
    from records.models import Case, Document
    from web.roles import CLERK, create_user

    client.force_login(create_user("u_clerk", CLERK, "pw-rowlinks-1"), backend="django.contrib.auth.backends.ModelBackend")
    doc = Document.objects.get()
    case = Case.objects.get(id_number=LI)
    assert doc.public_id in client.get(f"/cases/{case.pk}/").content.decode()
    page = client.get(f"/documents/{doc.pk}/").content.decode()
    assert "第 2 行" in page and "李海波" in page and "第 1 行" in page


def test_the_case_lists_count_the_rows(payroll_batch):
    from records.models import Case

    assert {c.id_number: c.documents_n for c in Case.objects.with_counts()} == {VETERAN_ID: 1, LI: 1}
