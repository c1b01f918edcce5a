"""One error family (core/errors.py): what a user did is a UserError with a code and a Chinese
reason, shown as it is (CLI exit status 2, a message on the page, 422 from the API); anything else
is a bug, logged with an incident id and ID numbers masked (ExitCode.BUG), never dressed up."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from cases.roster import RosterError
from cases.workflow import WorkflowError
from casework.review import ReviewError
from config.options import PolicyError
from core.errors import ExitCode, FormError, InputError, UserError, describe_validation
from web.roles import REVIEWER, create_user

ROOT = Path(__file__).resolve().parent.parent


def test_the_refusals_are_one_family_with_codes_and_no_longer_value_errors():
    for error in (ReviewError, WorkflowError, PolicyError, RosterError, FormError, InputError):
        assert issubclass(error, UserError) and not issubclass(error, ValueError), error
    codes = [ReviewError.code, WorkflowError.code, PolicyError.code, RosterError.code, FormError.code]
    assert len(set(codes)) == len(codes) and "user_error" not in codes
    assert UserError.exit_code == ExitCode.USER_ERROR == 2


def test_validation_problems_in_plain_words():
    said = describe_validation([
        {"loc": ("cases", "rules", "enlistment_age"), "type": "less_than_equal", "ctx": {"le": 30}, "msg": "Input should be ..."},
        {"loc": ("priority", "x"), "type": "extra_forbidden", "msg": "Extra inputs are not permitted"},
        {"loc": ("cases",), "type": "value_error", "msg": "Value error, unknown document types: letter"},
    ])
    assert said == "cases.rules.enlistment_age：应不大于 30；priority.x：未知的设置项；cases：unknown document types: letter"


BOOM = """
import sys
from casefile.cli import app
@app.command("boom")
def boom(kind: str):
    if kind == "user":
        from cases.workflow import WorkflowError
        raise WorkflowError("第 9 页不能作为拆分点")
    raise KeyError("360899197503141518")
sys.argv = ["casefile", "boom", sys.argv[1]]
app()
"""


@pytest.mark.parametrize("kind", ["user", "bug"])
def test_the_command_line_says_a_user_error_in_one_line_and_logs_a_bug_as_an_incident(kind, tmp_path):
    proc = subprocess.run([sys.executable, "-c", BOOM, kind], capture_output=True, text=True, cwd=ROOT,
                          env={"PATH": "/usr/bin:/bin", "CASEFILE_WORKSPACE": str(tmp_path / "ws")})
    lines = proc.stderr.strip().splitlines()
    if kind == "user":
        assert proc.returncode == ExitCode.USER_ERROR and lines == ["错误 第 9 页不能作为拆分点"]
    else:
        assert proc.returncode == ExitCode.BUG
        assert lines[-1].startswith("内部错误（事件编号 ") and "KeyError" not in lines[-1]
        ident = lines[-1].split("事件编号 ")[1].split("）")[0]
        assert f"incident {ident}" in proc.stderr and "Traceback" in proc.stderr  # the log has the trace
        assert "360899197503141518" not in proc.stderr and "3608**********1518" in proc.stderr


@pytest.mark.django_db
def test_a_bad_form_number_says_which_field_and_a_bug_is_not_a_message(evidence, monkeypatch):
    client = Client()
    client.force_login(create_user("rev", REVIEWER, "Zhou-Lixin-2019!"), backend="django.contrib.auth.backends.ModelBackend")
    doc = evidence["doc"]
    response = client.post(reverse("split", args=[doc.pk]), {"page": "abc"}, follow=True)
    said = [str(m) for m in response.context["messages"]]
    assert said == ["拆分页码应为数字（收到“abc”）"], said
    response = client.post(reverse("merge", args=[doc.pk]), {"other": "999999"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["要操作的对象不存在（可能已被删除，或编号有误），请刷新页面后重试"]

    from casework import review

    def broken(*args, **kwargs):
        raise ValueError("invalid literal for int() with base 10: 'x'")

    monkeypatch.setattr(review, "split_document", broken)
    client.raise_request_exception = False
    response = client.post(reverse("split", args=[doc.pk]), {"page": "2"})
    assert response.status_code == 500 and b"invalid literal" not in response.content
    assert "内部错误（事件编号 " in response.content.decode()


@pytest.mark.django_db
def test_a_bug_behind_the_api_is_an_incident_in_json(monkeypatch, workspace):
    from web import api as web_api
    from web.models import issue_token
    from web.roles import CLERK

    secret = issue_token(create_user("clerk", CLERK, "Zhou-Lixin-2019!"), "脚本")

    def broken(*args, **kwargs):
        raise RuntimeError("360899197503141518")

    monkeypatch.setattr(web_api, "create_batch", broken)
    client = Client(headers={"Authorization": f"Bearer {secret}"}, raise_request_exception=False)
    response = client.post("/api/batches", "{}", content_type="application/json")
    assert response.status_code == 500 and response.json()["detail"].startswith("内部错误（事件编号 ")
    assert b"360899197503141518" not in response.content
