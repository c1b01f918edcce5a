"""Full-text search over what was read (records/search.py) and the document list (web/views/
documents.py): two-character names and ID fragments found on SQLite (FTS5 trigram + the short-term
fallback) and on PostgreSQL (pg_trgm), a reviewer's correction found at once, filters, sorting,
paging, saved views per user, bulk actions audited per document, the case panel's attach/detach."""
from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from config.options import PipelineOptions
from pipeline.linking import evaluate_cases, link_all_documents
from tests.conftest import VETERAN_ID
from web.roles import CLERK, REVIEWER, create_user

pytestmark = pytest.mark.django_db

XIA_ID = "360896197803145351"
WEI_ID = "360896196706245591"


def _doc(src, index, doc_type, text, case=None, conf=0.97, **values):
    from records.models import Document, Field, Page

    Page.objects.create(file=src, number=index, image_key="", text=text, status="done", has_text_layer=True)
    doc = Document.objects.create(file=src, index=index, pages=[index], doc_type=doc_type, doc_type_conf=conf, case=case)
    for name, value in values.items():
        Field.objects.create(document=doc, name=name, value=value, raw=value, confidence=0.95, page=index, bbox=[0, 0, 9, 9])
    return doc


@pytest.fixture
def bureau(workspace):
    """Three veterans; 夏新's papers uploaded by clerk ``c1``, the others' by ``c2``; an unmatched
    除名 decision that names 周立鑫 (a homophone) is in c2's batch."""
    from records.models import Batch, BatchFile, Case, SourceFile

    zhou = Case.objects.create(id_number=VETERAN_ID, name="周立新", attributes={"工作单位": "青河县化肥厂"})
    xia = Case.objects.create(id_number=XIA_ID, name="夏新", attributes={})
    wei = Case.objects.create(id_number=WEI_ID, name="魏德国", attributes={})
    files = {}
    for key, name in (("xia", "夏新.pdf"), ("zhou", "窗口扫描.pdf"), ("loose", "决定.pdf")):
        files[key] = SourceFile.objects.create(sha256=key * 32, kind="pdf", size=1, storage_key=key, first_name=name, status="done")
    docs = {
        "xia_dis": _doc(files["xia"], 1, "discharge", f"士兵退出现役登记表\n姓名 夏 新 性别 男\n公民身份号码 {XIA_ID}", xia,
                        name="夏新", id_number=XIA_ID),
        "xia_cert": _doc(files["xia"], 2, "political_review", "无犯罪记录证明\n兹证明 夏新（男）", xia, conf=0.5, name="夏新"),
        "zhou_term": _doc(files["zhou"], 1, "termination", f"解除劳动合同证明书\n乙方姓名：周立新\n公民身份号码：{VETERAN_ID}\n青河县化肥厂",
                          zhou, name="周立新", id_number=VETERAN_ID, employer="青河县化肥厂"),
        "wei": _doc(files["zhou"], 2, "discharge", f"退出现役登记表\n姓名 魏德国\n公民身份号码 {WEI_ID}\n新兵连", wei,
                    name="魏德国", id_number=WEI_ID),
        "removal": _doc(files["loose"], 1, "termination", "关于给予周立鑫除名处分的决定\n青河县化肥厂", None,
                        name="周立鑫", termination_date="2004-05-10", termination_reason="removal"),
    }
    link_all_documents()
    evaluate_cases([VETERAN_ID, XIA_ID, WEI_ID], PipelineOptions().cases)
    b1 = Batch.objects.create(label="c1 的批次", uploaded_by="c1", status="closed")
    b2 = Batch.objects.create(label="c2 的批次", uploaded_by="c2", status="closed")
    BatchFile.objects.create(batch=b1, source="夏新.pdf", file=files["xia"])
    BatchFile.objects.create(batch=b2, source="窗口扫描.pdf", file=files["zhou"])
    BatchFile.objects.create(batch=b2, source="决定.pdf", file=files["loose"])
    return {"cases": {"zhou": zhou, "xia": xia, "wei": wei}, "docs": docs, "batches": (b1.pk, b2.pk)}


@pytest.fixture
def users():
    return {name: create_user(name, role, "Zhou-Lixin-2019!") for name, role in
            (("c1", CLERK), ("c2", CLERK), ("rev", REVIEWER))}


def login(users, name) -> Client:
    client = Client()
    client.force_login(users[name], backend="django.contrib.auth.backends.ModelBackend")
    return client


def found(query: str) -> set[int]:
    from records.models import Document
    from records.search import search

    return set(search(Document.objects.all(), query).values_list("pk", flat=True))


def ids(*docs) -> set[int]:
    return {d.pk for d in docs}


def test_a_two_character_name_finds_its_documents_even_read_with_blanks(bureau):
    d = bureau["docs"]
    assert found("夏新") == ids(d["xia_dis"], d["xia_cert"])  # "夏 新" on the form, 夏新 in the field
    assert found("周立新") == ids(d["zhou_term"])
    assert found("周立") == ids(d["zhou_term"], d["removal"])
    assert found("新") >= ids(d["xia_dis"], d["zhou_term"], d["wei"])  # one character: 新兵连 too
    assert found("除名 周立") == ids(d["removal"])  # every term must be there
    assert found("王建军") == set()


def test_partial_id_numbers_are_found(bureau):
    d = bureau["docs"]
    assert found(XIA_ID[6:14]) == ids(d["xia_dis"])  # the birth date part
    assert found(WEI_ID[-4:]) == ids(d["wei"])  # the last four
    assert found(VETERAN_ID[-6:].lower()) == ids(d["zhou_term"])


def test_every_term_goes_through_an_index(bureau):
    from records.search import where

    clauses, params = where("青河县化肥厂 夏新")
    assert "records_searchentry_fts MATCH" in clauses[0] and params[0] == '"青河县化肥厂"'
    assert "records_searchentry_chars MATCH" in clauses[1] and params[1:] == ['"夏 新"', "夏新"]  # one token per character
    found("x")  # builds the entries
    from devtools.bench_search import indexes_usable

    assert indexes_usable() == {"short": True, "long": True}  # both served by an index (EXPLAIN QUERY PLAN)


def test_a_corrected_field_is_found_at_once(bureau, users):
    from casework import review

    doc = bureau["docs"]["wei"]
    assert found("魏德囯") == set()
    review.correct_field(doc.pk, "former_name", "魏德囯", "rev", PipelineOptions())
    assert found("魏德囯") == ids(doc)


def test_the_list_filters_sorts_and_pages(bureau, users, monkeypatch):
    d = bureau["docs"]
    client = login(users, "rev")

    def listed(**params) -> list[int]:
        response = client.get(reverse("documents"), params)
        assert response.status_code == 200
        html = response.content.decode()
        return [int(x) for x in __import__("re").findall(r'<tr data-document="(\d+)"', html)]

    assert set(listed()) == ids(*d.values())
    assert listed(q="夏新", sort="id") == [d["xia_dis"].pk, d["xia_cert"].pk]
    assert set(listed(type="termination")) == ids(d["zhou_term"], d["removal"])
    assert listed(state="unmatched") == [d["removal"].pk]
    assert listed(state="uncertain") == [d["xia_cert"].pk]
    assert set(listed(batch=str(bureau["batches"][0]))) == ids(d["xia_dis"], d["xia_cert"])
    assert set(listed(case="魏德国")) == ids(d["wei"])
    assert listed(sort="confidence")[0] == d["xia_cert"].pk
    assert listed(conf="lt0.8") == [d["xia_cert"].pk] and d["xia_cert"].pk not in listed(conf="ge0.9")
    html = client.get(reverse("documents"), {"q": "夏新"}).content.decode()
    assert "政审/无犯罪记录证明" in html and "political_review</td>" not in html  # types in words
    monkeypatch.setattr("web.views.documents.PER_PAGE", 2)
    assert len(listed()) == 2 and listed(page="3") == [min(ids(*d.values()))]


def test_saved_views_are_per_user(bureau, users):
    from web.models import SavedView

    rev = login(users, "rev")
    response = rev.post(reverse("save_view"), {"name": "未匹配的解除证明", "query": "type=termination&state=unmatched&junk=1"})
    assert response.status_code == 302
    view = SavedView.objects.get(user=users["rev"])
    assert view.query == "type=termination&state=unmatched"
    assert "未匹配的解除证明" in rev.get(reverse("documents")).content.decode()
    other = login(users, "c1")
    assert "未匹配的解除证明" not in other.get(reverse("documents")).content.decode()
    assert other.post(reverse("delete_saved_view", args=[view.pk])).status_code == 404
    assert SavedView.objects.filter(pk=view.pk).exists()


def test_bulk_confirm_is_audited_per_document_and_needs_a_reviewer(bureau, users):
    from records.models import AuditEvent, Document

    d = bureau["docs"]
    picked = [d["xia_dis"].pk, d["wei"].pk, d["removal"].pk]
    assert login(users, "c1").post(reverse("documents_bulk"), {"action": "confirm", "ids": picked}).status_code == 403
    response = login(users, "rev").post(reverse("documents_bulk"), {"action": "confirm", "ids": picked})
    assert response.status_code == 302
    assert set(Document.objects.filter(review_status="confirmed").values_list("pk", flat=True)) == set(picked)
    events = AuditEvent.objects.filter(action="confirm_document")
    assert sorted(int(e.object_id) for e in events) == sorted(picked) and {e.actor for e in events} == {"rev"}

    response = login(users, "rev").post(reverse("documents_bulk"), {"action": "send_to_review", "ids": [d["wei"].pk]})
    assert Document.objects.get(pk=d["wei"].pk).review_status == "pending"
    assert AuditEvent.objects.filter(action="send_to_review", object_id=str(d["wei"].pk)).count() == 1


def test_bulk_attach_and_change_type_evaluate_the_case(bureau, users):
    from records.models import AuditEvent, Document

    d, zhou = bureau["docs"], bureau["cases"]["zhou"]
    assert not zhou.flags.filter(code="disqualifying_termination").exists()
    rev = login(users, "rev")
    rev.post(reverse("documents_bulk"), {"action": "attach", "ids": [d["removal"].pk], "case": "周立新"})
    assert Document.objects.get(pk=d["removal"].pk).case == zhou
    assert zhou.flags.filter(code="disqualifying_termination", status="open").exists()
    assert AuditEvent.objects.get(action="attach_document").after["case"] == zhou.pk
    rev.post(reverse("documents_bulk"), {"action": "change_type", "ids": [d["xia_cert"].pk], "doc_type": "id_card"})
    assert Document.objects.get(pk=d["xia_cert"].pk).doc_type == "id_card"
    assert AuditEvent.objects.filter(action="change_doc_type").count() == 1
    response = rev.post(reverse("documents_bulk"), {"action": "attach", "ids": [d["wei"].pk], "case": "新"}, follow=True)
    assert "对应多个案卷" in response.content.decode()  # 夏新 and 周立新: not guessed
    choices = rev.get(reverse("documents")).content.decode()
    assert f'<option value="{WEI_ID}">魏德国</option>' in choices  # the list offers each case by name


def test_the_case_panel_suggests_attaches_and_detaches_with_the_flags_in_the_answer(bureau, users):
    from records.models import AuditEvent, Document

    removal, zhou = bureau["docs"]["removal"], bureau["cases"]["zhou"]
    rev = login(users, "rev")
    panel = rev.get(reverse("case_panel", args=[removal.pk])).content.decode()
    assert panel.index("周立新") < panel.index("归入此案卷") and "姓名同音" in panel  # the best candidate first
    answer = rev.post(reverse("link_case", args=[removal.pk]), {"case": zhou.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="flags-panel"' in answer and 'hx-swap-oob="true"' in answer
    assert 'data-code="disqualifying_termination"' in answer  # evaluated in the same response
    answer = rev.post(reverse("unlink_case", args=[removal.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "未归入任何案卷" in answer
    assert Document.objects.get(pk=removal.pk).case is None
    link_all_documents()  # linking later keeps the reviewer's decision
    assert Document.objects.get(pk=removal.pk).case is None
    assert [e.action for e in AuditEvent.objects.order_by("at", "id")] == ["attach_document", "detach_document"]
    assert login(users, "c2").post(reverse("unlink_case", args=[removal.pk])).status_code == 403


def test_search_on_postgresql_finds_the_same_documents(tmp_path):
    """The benchmark's own check on a small workspace: every answer equals a plain substring scan."""
    from devtools.bench_search import run_search_bench

    [result] = run_search_bench(documents=300, per_kind=2, backends=("postgresql",))
    assert result["backend"] == "postgresql" and result["queries"] == 36
    assert result["indexes"] == {"short": True, "long": True}  # pg_trgm for 3+, the character tsvector for 1-2
    assert result["per_kind"]["两字姓名"]["mean_hits"] >= 1


def test_search_on_sqlite_through_the_benchmark_too():
    from devtools.bench_search import run_search_bench

    [result] = run_search_bench(documents=300, per_kind=2, backends=("sqlite",))
    assert result["backend"] == "sqlite" and result["indexes"] == {"short": True, "long": True} and json.dumps(result)


def test_the_case_panel_of_a_list_names_the_rows_cases(bureau, users):
    from records.models import RowLink

    doc, xia = bureau["docs"]["removal"], bureau["cases"]["xia"]
    RowLink.objects.create(document=doc, row=1, case=xia, method="id_number", reason="")
    panel = login(users, "rev").get(reverse("case_panel", args=[doc.pk])).content.decode()
    assert "按行关联：第 2 行" in panel and "夏新" in panel and "未归入任何案卷" not in panel


@pytest.mark.parametrize("query", ['"夏新', "夏新\"", "AND", "OR 夏", "*", "%", "_", "（", "NEAR(夏 新)", "'", "\\", "夏%新"])
def test_query_syntax_is_never_an_error(bureau, query):
    """Whatever is typed is text to find, never FTS5 or LIKE syntax."""
    from records.models import SearchEntry
    from records.search import terms

    hits = found(query)
    texts = dict(SearchEntry.objects.values_list("document_id", "text"))
    assert hits == {pk for pk, text in texts.items() if all(t in text for t in terms(query))}


def test_two_searches_indexing_at_once_on_postgresql(tmp_path):
    """New documents are indexed by the first search that needs them; two at once take turns
    (an advisory lock) instead of deadlocking or failing on the key."""
    import os
    import subprocess
    import sys

    from devtools.postgres_service import find_or_start_postgres

    server = find_or_start_postgres(base_dir=tmp_path / "pg", private=os.environ.get("CASEFILE_TEST_PRIVATE_SERVICES") == "1")
    database = server.create_database("casefile_search_conc_")
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFILE_")}
        proc = subprocess.run([sys.executable, "-m", "tests.search_concurrency", str(tmp_path / "ws"), server.dsn(database)],
                              env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert json.loads(proc.stdout.strip().splitlines()[-1]) == []
    finally:
        server.drop_database(database)
        server.stop()
