"""Pages that stay flat (issue #15, item 3): the dashboard, the case list, the review queue and
the document list issue as many queries on a workspace of 60 cases as on one of 15, and the
case list and queue show a page of a workspace with the total counted."""
from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from devtools import bench_scale as scale_data  # the factory of `casefile bench-scale`
from records.models import Batch, BatchFile, Case, Document, Flag, SourceFile
from web.models import issue_token
from web.roles import CLERK, REVIEWER, create_user

pytestmark = pytest.mark.django_db

PAGES = {
    "dashboard": lambda: reverse("dashboard"),
    "case list": lambda: reverse("cases"),
    "case list, filtered by flag": lambda: reverse("cases") + "?flag=missing_document",
    "case list, second page": lambda: reverse("cases") + "?page=2",
    "review queue": lambda: reverse("review_queue"),
    "document list": lambda: reverse("documents"),
    "document list, unmatched": lambda: reverse("documents") + "?state=unmatched",
    "API case list": lambda: "/api/cases?limit=50",
    "API review queue": lambda: "/api/review-queue",
}


def _workspace(n_cases: int) -> None:
    built = scale_data.build(n_cases, linked=True, flags=True)
    batch = Batch.objects.create(label="扫描", uploaded_by="u_clerk", status=Batch.Status.CLOSED)
    BatchFile.objects.bulk_create(BatchFile(batch=batch, source=f.first_name, file=f) for f in SourceFile.objects.all())
    # some documents confirmed, a few uncertain, some errors: every ordering key of the queue in play
    docs = built["documents"]
    Document.objects.filter(pk__in=[d.pk for d in docs[::4]]).update(review_status=Document.Review.CONFIRMED)
    Document.objects.filter(pk__in=[d.pk for d in docs[1::9]]).update(doc_type_conf=0.5)
    Case.objects.filter(pk__in=[c.pk for c in built["cases"][::5]]).update(attributes={"低保": "是"})
    assert Flag.objects.exists()


def _queries(client: Client, url: str, HTTP_AUTHORIZATION: str | None = None) -> int:
    headers = {"HTTP_AUTHORIZATION": HTTP_AUTHORIZATION} if HTTP_AUTHORIZATION else {}
    client.get(url, **headers)  # warm: settings, policy and templates loaded once per process
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def _counts(n_cases: int, role: str) -> dict[str, int]:
    _workspace(n_cases)
    user = create_user(f"u_{role}_{n_cases}", role, "Zhou-Lixin-2019!")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if role == CLERK:
        Batch.objects.update(uploaded_by=user.username)
    secret = issue_token(user, "测试")
    counts = {}
    for name, url in PAGES.items():
        if role == CLERK and "queue" in name:
            continue  # reviewers' only
        counts[name] = _queries(client, url(), HTTP_AUTHORIZATION=f"Bearer {secret}" if name.startswith("API") else None)
    return counts


@pytest.mark.parametrize("role", [REVIEWER, CLERK])
def test_queries_per_page_do_not_grow_with_the_workspace(role):
    small = _counts(15, role)
    _clear()
    large = _counts(60, role)
    assert small == large
    print(role, large)
    assert max(large.values()) <= 30, large


def _clear():
    for model in (Flag, Document, Case, BatchFile, Batch, SourceFile):
        model.objects.all().delete()


def test_the_case_list_pages_with_the_total():
    _workspace(120)
    reviewer = create_user("u_rev", REVIEWER, "Zhou-Lixin-2019!")
    client = Client()
    client.force_login(reviewer, backend="django.contrib.auth.backends.ModelBackend")
    first = client.get(reverse("cases")).content.decode()
    assert "共 120 件" in first and "下一页" in first and "上一页" not in first
    last = client.get(reverse("cases") + "?page=3").content.decode()
    assert "第 3 / 3 页" in last and "上一页" in last and "下一页" not in last
    shown = re.findall(r'href="/cases/(\d+)/"', last)
    assert len(shown) == 20  # 120 = 50 + 50 + 20
    flagged = client.get(reverse("cases") + "?flag=missing_document").content.decode()
    assert "共 40 件" in flagged  # every third case has one open


def test_the_queue_is_ordered_and_limited_by_the_database():
    from casework.queue import review_queue
    from config.options import PipelineOptions

    _workspace(80)  # 480 documents, 360 waiting
    items = review_queue(PipelineOptions(), 300)
    assert len(items) == 300 < Document.objects.filter(review_status="pending").count()
    keys = [(not i.type_uncertain, -len(i.marks), -i.open_errors, i.min_confidence, i.document.pk) for i in items]
    assert keys == sorted(keys)
    assert items[0].type_uncertain and not items[-1].type_uncertain
    assert any(i.marks for i in items)
