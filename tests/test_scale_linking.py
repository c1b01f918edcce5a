"""Incremental linking (issue #15, item 2): a reviewer's change and a batch close link again only
the documents they can affect (pipeline/linking.link_around), and the links and flags are
exactly those a full re-link of the workspace (`casefile reread`'s path) gives."""
from __future__ import annotations

import pytest

from casework import review
from config.options import PipelineOptions
from devtools import bench_scale as scale_data  # the factory of `casefile bench-scale`
from pipeline import linking
from pipeline.flow import close_batch
from pipeline.linking import evaluate_cases, link_all_documents
from records.models import Batch, BatchFile, Case, Document, Field, Flag, LinkKey, RowLink, SourceFile

pytestmark = pytest.mark.django_db

OPTIONS = PipelineOptions()
N = 60


def _state() -> dict:
    """Every link and every case's evaluation, comparable across workspaces' runs."""
    return {
        "links": sorted(
            Document.objects.values_list("pk", "case__id_number", "link_method", "link_reason")
        ),
        "rows": sorted(RowLink.objects.values_list("document_id", "row", "case__id_number", "method", "reason")),
        "flags": sorted(
            (f.case.id_number, f.code, f.doc_type or "", f.severity, f.message, repr(f.evidence), repr(f.provisional), f.status)
            for f in Flag.objects.select_related("case")
        ),
        "derived": {c.id_number: c.derived for c in Case.objects.all()},
    }


def _field(doc: Document, name: str, value: str) -> None:
    Field.objects.create(document=doc, name=name, value=value, raw=value, confidence=0.95, page=doc.pages[0], bbox=[1, 1, 2, 2])


def _doc(file: SourceFile, doc_type: str, **fields) -> Document:
    index = Document.objects.filter(file=file).count()
    doc = Document.objects.create(file=file, index=index, pages=[index + 1], doc_type=doc_type, doc_type_conf=0.97)
    for name, value in fields.items():
        _field(doc, name, value)
    return doc


def _file(n: int) -> SourceFile:
    return SourceFile.objects.create(sha256=f"f{n:063x}", kind="pdf", size=1, storage_key="k", first_name=f"extra-{n}.pdf",
                                     status="done")


@pytest.fixture
def workspace():
    built = scale_data.build(N, tricky=True)
    cases = built["cases"]
    # a paper of someone the roster knows only by a 曾用名 a household register will record
    alias_paper = _doc(_file(1), "discharge", name="王小二")
    linked = link_all_documents()
    evaluate_cases([c.id_number for c in cases], OPTIONS.cases)
    assert linked and LinkKey.objects.filter(key=linking.KEYED).count() == Document.objects.count() + Case.objects.count()
    return {"cases": cases, "alias_paper": alias_paper}


def _of(case: Case, doc_type: str, with_id: bool = True) -> Document:
    docs = Document.objects.filter(case=case, doc_type=doc_type).order_by("pk")
    for d in docs:
        if d.fields.filter(name="id_number").exists() == with_id:
            return d
    raise AssertionError(f"no {doc_type} of case {case.pk}")


def test_incremental_linking_gives_the_full_links_and_flags(workspace, monkeypatch):
    cases = workspace["cases"]
    sizes: list[int] = []
    real = linking.link_documents

    def counting(docs, roster):
        sizes.append(len(docs))
        return real(docs, roster)

    monkeypatch.setattr(linking, "link_documents", counting)
    start = _state()
    total = Document.objects.count()

    # 1. a paper without an ID number, its name corrected to his homophone namesake's
    review.correct_field(_of(cases[1], "discharge", with_id=False).pk, "name", cases[0].name, "u_reviewer", OPTIONS)
    # 2. an ID number corrected to another veteran's: the paper moves to him
    moved = _of(cases[7], "discharge")
    review.correct_field(moved.pk, "id_number", cases[8].id_number, "u_reviewer", OPTIONS)
    # 3. an ID number corrected to an unreadable one a digit from another veteran's
    slip = cases[9].id_number[:12] + str((int(cases[9].id_number[12]) + 3) % 10) + cases[9].id_number[13:]
    review.correct_field(_of(cases[10], "placement").pk, "id_number", slip, "u_reviewer", OPTIONS)
    # 4. the ID-numbered letter that lent its unit to a paper without a number gets another name
    #    and number: the termination decision linked by the unit loses its corroboration
    letter = _of(cases[3], "placement")
    review.correct_field(letter.pk, "id_number", scale_data.id_number(99999, "19700101"), "u_reviewer", OPTIONS)
    # 5. a household register records a 曾用名: the paper under that name now has a case
    register = _of(cases[12], "id_card")
    review.correct_field(register.pk, "former_name", "王小二", "u_reviewer", OPTIONS)
    review.correct_field(workspace["alias_paper"].pk, "discharge_date", _month_of(cases[12], "discharge_date"), "u_reviewer", OPTIONS)
    # 6. a type changed, a document confirmed, one attached and one detached by hand
    review.change_doc_type(_of(cases[14], "enlistment").pk, "political_review", "u_reviewer", OPTIONS)
    review.confirm_document(_of(cases[15], "discharge").pk, "u_reviewer", OPTIONS)
    review.attach_document(_of(cases[16], "termination").pk, cases[17].pk, "u_reviewer", OPTIONS)
    review.detach_document(_of(cases[18], "id_card").pk, "u_reviewer", OPTIONS)
    # 7. two documents of one scan merged (the second was the case's enlistment form)
    first, second = _of(cases[20], "discharge"), _of(cases[20], "enlistment")
    assert first.file_id == second.file_id
    review.merge_documents(first.pk, second.pk, "u_reviewer", OPTIONS)
    # 8. a bulk action: several changes, one linking at the end
    with review.one_refresh(OPTIONS):
        review.correct_field(_of(cases[22], "termination").pk, "name", cases[23].name, "u_reviewer", OPTIONS)
        review.correct_field(_of(cases[24], "id_card").pk, "birth_date", "1950-01", "u_reviewer", OPTIONS)
    # 9. a batch closes with new papers: one of a known veteran without a number, one of a new
    #    another of a known veteran; the roster it came with adds a veteran whose paper came earlier
    number = scale_data.id_number(77777, "19720202")
    old_paper = _doc(_file(3), "termination", name="欧阳新", id_number=number)  # before he was on the roster
    linking.link_around(documents=[old_paper.pk])
    assert Document.objects.get(pk=old_paper.pk).case_id is None
    newcomer = Case.objects.create(id_number=number, name="欧阳新")  # the batch's roster adds him
    batch = Batch.objects.create(label="补充材料", roster_cases=[newcomer.id_number])
    extra = _file(2)
    BatchFile.objects.create(batch=batch, source=extra.first_name, file=extra)
    _doc(extra, "discharge", name=cases[30].name, discharge_date=_month_of(cases[30], "discharge_date"))
    _doc(extra, "enlistment", name=cases[31].name, id_number=cases[31].id_number)  # none of the newcomer's
    # a faded form with neither name nor number, in a file of its own: only its birth month
    # reaches him (cases/reach.py's b| key), and his months single him out (facts_only)
    him = cases[33]
    faded = _doc(_file(5), "enlistment", birth_date=f"{him.id_number[6:10]}-{him.id_number[10:12]}",
                 enlistment_date=_month_of(him, "enlistment_date"), discharge_date=_month_of(him, "discharge_date"))
    BatchFile.objects.create(batch=batch, source=faded.file.first_name, file=faded.file)
    assert close_batch(batch.pk, OPTIONS)

    assert max(sizes) < total / 2, sizes  # never the workspace
    incremental = _state()
    assert incremental != start
    assert Document.objects.get(pk=moved.pk).case_id == cases[8].pk
    assert Document.objects.get(pk=old_paper.pk).case_id == newcomer.pk
    assert Document.objects.get(pk=workspace["alias_paper"].pk).case_id == cases[12].pk
    assert Document.objects.get(pk=faded.pk).case_id == him.pk

    monkeypatch.setattr(linking, "link_documents", real)
    link_all_documents()
    evaluate_cases(list(Case.objects.values_list("id_number", flat=True)), OPTIONS.cases)
    full = _state()
    assert incremental["links"] == full["links"]
    assert incremental["rows"] == full["rows"]
    assert incremental["flags"] == full["flags"]
    assert incremental["derived"] == full["derived"]


def _month_of(case: Case, name: str) -> str:
    return Field.objects.filter(document__case=case, name=name).values_list("value", flat=True).first()


def test_the_keys_of_an_unkeyed_workspace_are_written_before_linking_around():
    """A workspace linked before the index existed: the first reviewer's change keys it."""
    built = scale_data.build(10, tricky=True)
    link_all_documents()
    LinkKey.objects.all().delete()
    doc = _of(built["cases"][7], "discharge")
    before = _state()
    review.correct_field(doc.pk, "id_number", built["cases"][8].id_number, "u_reviewer", OPTIONS)
    assert Document.objects.get(pk=doc.pk).case_id == built["cases"][8].pk
    assert LinkKey.objects.filter(key=linking.KEYED).count() == Document.objects.count() + Case.objects.count()
    assert _state()["links"] != before["links"]


def test_a_roster_imported_on_the_web_links_the_papers_already_read():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from web.roles import ADMIN, create_user

    scale_data.build(5)
    link_all_documents()
    number = scale_data.id_number(55555, "19730303")
    paper = _doc(_file(4), "discharge", name="司马南", id_number=number, discharge_date="1995-12")
    linking.link_around(documents=[paper.pk])
    assert Document.objects.get(pk=paper.pk).case_id is None  # nobody's yet
    admin = Client()
    admin.force_login(create_user("u_admin", ADMIN, "Zhou-Lixin-2019!"), backend="django.contrib.auth.backends.ModelBackend")
    roster = f"姓名,公民身份号码\n司马南,{number}\n".encode("utf-8")
    assert admin.post(reverse("roster_import"), {"roster": SimpleUploadedFile("名册.csv", roster)}).status_code == 302
    case = Case.objects.get(id_number=number)
    assert Document.objects.get(pk=paper.pk).case_id == case.pk
    assert case.evaluated_at is not None and case.flags.filter(code="missing_document").exists()
