"""`casefile reread`: stored pages classified, split and extracted again without OCR; whatever a
reviewer decided stays. Uses the born-digital certificate (no OCR)."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from casefile.cli import app
from config.options import PipelineOptions
from pipeline.reread import reread
from tests.conftest import VETERAN_ID

pytestmark = pytest.mark.django_db


def test_stale_types_and_fields_are_brought_up_to_date(evidence):
    from records.models import Case, Document, Field, Page

    before = {d.pk: (d.doc_type, sorted(d.fields.values_list("name", "value"))) for d in Document.objects.all()}
    # what an older casefile might have left: a page typed otherwise, a field lost, a field misread
    Page.objects.filter(number=2).update(doc_type="other", doc_type_conf=0.3)
    Field.objects.filter(name="issue_date").delete()
    Field.objects.filter(name="name").update(value="周利新")
    Case.objects.filter(id_number=VETERAN_ID).update(derived={})

    result = reread(PipelineOptions())

    assert (result.files_resplit, result.documents_reextracted, result.pages_retyped) == (1, 0, 1)
    after = sorted((d.doc_type, sorted(d.fields.values_list("name", "value"))) for d in Document.objects.all())
    assert after == sorted(before.values())
    case = Case.objects.get(id_number=VETERAN_ID)
    assert case.derived and case.documents.count() == 2  # linked and evaluated again


def test_a_reviewers_decisions_survive(evidence):
    from casework.review import confirm_document, correct_field
    from records.models import Document, Field

    options = PipelineOptions()
    doc = evidence["doc"]
    correct_field(doc.pk, "name", "周立鑫", "reviewer", options)
    confirm_document(doc.pk, "reviewer", options)
    other = Document.objects.exclude(pk=doc.pk).get()
    Field.objects.filter(document=other, name="issue_date").delete()

    result = reread(options)

    assert (result.files_resplit, result.documents_reextracted) == (0, 1)  # the file's split is the reviewer's now
    assert Field.objects.get(document=doc, name="name").value == "周立鑫"
    assert Field.objects.filter(document=other, name="issue_date").exists()
    assert Document.objects.filter(pk=doc.pk).exists()  # not split again: same document


def test_the_command_writes_the_report(evidence, workspace):
    out = workspace / "report.json"
    run = CliRunner().invoke(app, ["reread", "--report-json", str(out)])
    assert run.exit_code == 0, run.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [c["id_number"] for c in report["cases"]] == [VETERAN_ID]
    assert "个文件重新分类" in run.output

