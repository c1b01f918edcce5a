"""The visibility policy (casework/visibility.py, web/visibility.py): role × page matrix on the pages,
the exports and the API. Clerk c1 uploaded 夏新's papers, clerk c2 周立新's and 魏德国's (and an
unmatched decision); reviewers and admins see all; `clerks = "all"` opens everything to clerks."""
from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_search import bureau  # noqa: F401  (the fixture)
from web.roles import ADMIN, CLERK, REVIEWER, create_user

pytestmark = pytest.mark.django_db
PASSWORD = "Zhou-Lixin-2019!"
WHO = ("anonymous", "c1", "c2", "rev", "adm")


@pytest.fixture
def users():
    return {name: create_user(name, role, PASSWORD) for name, role in
            (("c1", CLERK), ("c2", CLERK), ("rev", REVIEWER), ("adm", ADMIN))}


def client(users, who: str) -> Client:
    c = Client()
    if who != "anonymous":
        c.force_login(users[who], backend="django.contrib.auth.backends.ModelBackend")
    return c


def objects(b):
    d, cases = b["docs"], b["cases"]
    page_of = lambda doc: doc.file.pages.get(number=doc.pages[0]).pk  # noqa: E731
    return {
        "c1": {  # 夏新's: c1's batch
            "batch": reverse("batch", args=[b["batches"][0]]),
            "batch_progress": reverse("batch_progress", args=[b["batches"][0]]),
            "document": reverse("document", args=[d["xia_dis"].pk]),
            "case_panel": reverse("case_panel", args=[d["xia_dis"].pk]),
            "case": reverse("case", args=[cases["xia"].pk]),
            "case_print": reverse("case_print", args=[cases["xia"].pk]),
            "page_image": reverse("page_image", args=[page_of(d["xia_dis"])]),
        },
        "c2": {  # 周立新's: c2's batch
            "batch": reverse("batch", args=[b["batches"][1]]),
            "batch_progress": reverse("batch_progress", args=[b["batches"][1]]),
            "document": reverse("document", args=[d["zhou_term"].pk]),
            "case_panel": reverse("case_panel", args=[d["removal"].pk]),
            "case": reverse("case", args=[cases["zhou"].pk]),
            "case_print": reverse("case_print", args=[cases["zhou"].pk]),
            "page_image": reverse("page_image", args=[page_of(d["zhou_term"])]),
        },
    }


@pytest.mark.parametrize("page", ["batch", "batch_progress", "document", "case_panel", "case", "case_print", "page_image"])
def test_role_by_page_matrix(bureau, users, page):  # noqa: F811
    urls = objects(bureau)
    for who in WHO:
        for owner in ("c1", "c2"):
            url = urls[owner][page]
            c = client(users, who)
            if page == "page_image" and who in (owner, "rev", "adm"):
                continue  # allowed: the image itself needs a stored scan, which this fixture has not
            status = c.get(url).status_code
            if who == "anonymous":
                assert status == 302, (who, url, status)  # to the login page
            elif who in ("rev", "adm") or who == owner:
                assert status == 200, (who, url, status)
            else:
                assert status == 404, (who, url, status)  # nothing says the object exists


def listed_names(html: str) -> set[str]:
    return {name for name in ("夏新", "周立新", "魏德国") if name in html}


def test_lists_dashboard_and_export_show_a_clerk_only_their_own(bureau, users):  # noqa: F811
    from openpyxl import load_workbook

    for who, names in (("c1", {"夏新"}), ("c2", {"周立新", "魏德国"}), ("rev", {"夏新", "周立新", "魏德国"})):
        c = client(users, who)
        assert listed_names(c.get(reverse("cases")).content.decode()) == names, who
        docs_html = c.get(reverse("documents")).content.decode()
        assert listed_names(docs_html) == names, who
        batches_html = c.get(reverse("batches")).content.decode()
        assert ("c1 的批次" in batches_html, "c2 的批次" in batches_html) == (who in ("c1", "rev"), who in ("c2", "rev")), who
        sheet = load_workbook(io.BytesIO(c.get(reverse("export_cases")).content)).active
        exported = {str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value}
        assert {n for n in ("夏新", "周立新", "魏德国") if n in exported} == names, who
        dashboard = c.get(reverse("dashboard"))
        assert dashboard.context["cases_total"] == len(names), who
        assert dashboard.context["queue_size"] == {"c1": 2, "c2": 3, "rev": 5}[who], who  # documents waiting
    # The unmatched decision is c2's: only c2 (and reviewers) find it on the dashboard.
    assert client(users, "c1").get(reverse("dashboard")).context["exclusions"] == []
    assert len(client(users, "c2").get(reverse("dashboard")).context["exclusions"]) == 1


def test_search_finds_only_what_the_clerk_may_see(bureau, users):  # noqa: F811
    html = client(users, "c1").get(reverse("documents"), {"q": "周立"}).content.decode()
    assert "没有符合条件的材料" in html
    html = client(users, "c2").get(reverse("documents"), {"q": "周立"}).content.decode()
    assert "周立新" in html


def test_the_api_applies_the_same_policy(bureau, users):  # noqa: F811
    from web.models import issue_token

    d, cases = bureau["docs"], bureau["cases"]
    tokens = {who: issue_token(users[who], "测试") for who in ("c1", "c2", "rev")}

    def get(who, url):
        return Client().get(url, HTTP_AUTHORIZATION=f"Bearer {tokens[who]}")

    assert get("c1", f"/api/documents/{d['xia_dis'].pk}").status_code == 200
    assert get("c1", f"/api/documents/{d['zhou_term'].pk}").status_code == 404
    assert get("c1", f"/api/cases/{cases['zhou'].pk}").status_code == 404
    assert get("c1", f"/api/batches/{bureau['batches'][1]}").status_code == 404
    assert get("c2", f"/api/cases/{cases['zhou'].pk}").status_code == 200
    assert {c["name"] for c in get("c1", "/api/cases").json()} == {"夏新"}
    assert {c["name"] for c in get("rev", "/api/cases").json()} == {"夏新", "周立新", "魏德国"}
    assert get("rev", f"/api/documents/{d['zhou_term'].pk}").status_code == 200
    mine = get("c1", "/api/documents?q=夏新").json()
    assert [x["id"] for x in mine] == sorted((d["xia_dis"].pk, d["xia_cert"].pk), reverse=True)
    assert mine[0]["doc_type_label"] == "政审/无犯罪记录证明" and mine[0]["case"]["name"] == "夏新"
    assert get("c1", "/api/documents?q=周立").json() == []  # c2's papers
    assert {x["id"] for x in get("rev", "/api/documents?q=周立").json()} == {d["zhou_term"].pk, d["removal"].pk}
    assert [x["id"] for x in get("rev", "/api/documents?state=unmatched").json()] == [d["removal"].pk]


def test_the_policy_can_open_everything_to_clerks(bureau, users, monkeypatch):  # noqa: F811
    from casework.visibility import VisibilityOptions
    from config.options import PipelineOptions

    opened = PipelineOptions(visibility=VisibilityOptions(clerks="all"))
    monkeypatch.setattr("web.visibility.options", lambda: opened)
    c = client(users, "c1")
    assert c.get(reverse("case", args=[bureau["cases"]["zhou"].pk])).status_code == 200
    assert listed_names(c.get(reverse("cases")).content.decode()) == {"夏新", "周立新", "魏德国"}


def test_the_policy_file_takes_the_visibility_table(tmp_path):
    from config.options import PolicyError, load_policy

    policy = tmp_path / "policy.toml"
    policy.write_text('[visibility]\nclerks = "all"\n', encoding="utf-8")
    assert load_policy(policy)["visibility"].clerks == "all"
    policy.write_text('[visibility]\nclerks = "everyone"\n', encoding="utf-8")
    with pytest.raises(PolicyError):
        load_policy(policy)
