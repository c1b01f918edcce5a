"""The bureau's policy file (CASEFILE_POLICY): the [R]/[I] switches and thresholds of the domain
spec, read into the options every stage uses, refused with the file's name and the reason."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from config.options import PolicyError, load_policy, pipeline_options
from config.settings import get_settings

POLICY = """
[cases]
exclusion_scope = "after_event"
pending_end = "month_before_letter"
required_doc_types = ["enlistment", "discharge", "placement", "termination"]

[cases.rules]
pending_review_months = 36
renamed_units = [["青河县化肥厂", "青河县化工有限公司"]]

[priority]
retirement_age_female = 55
"""


@pytest.fixture
def policy_file(tmp_path, settings_as):
    def write(text: str):
        path = tmp_path / "policy.toml"
        path.write_text(text, encoding="utf-8")
        settings_as(policy=path)
        return path

    return write


def test_the_policy_reaches_every_option(policy_file):
    policy_file(POLICY)
    options = pipeline_options(get_settings())
    assert options.cases.exclusion_scope == "after_event"
    assert options.cases.pending_end == "month_before_letter"
    assert "id_card" not in options.cases.required_doc_types
    assert options.cases.rules.pending_review_months == 36
    assert options.cases.rules.renamed_units == (("青河县化肥厂", "青河县化工有限公司"),)
    assert options.cases.rules.enlistment_age == (16, 24)  # what the file does not say keeps its default
    assert options.priority.retirement_age_female == 55
    assert options.workflow.verification_parts == ("社保", "医保", "低保")


@pytest.mark.parametrize("text, says", [
    ('[cases]\nexclusion_scope = "never"\n', "cases.exclusion_scope"),
    ('[cases.rules]\npending_review_month = 36\n', "cases.rules.pending_review_month"),
    ('[cases]\nrequired_doc_types = ["letter"]\n', "unknown document types"),
    ('[ocr]\nengine = "tesseract"\n', "未知的表：ocr"),
    ('[cases\n', "无法读取"),
])
def test_a_mistake_is_refused_with_the_file_and_the_reason(tmp_path, text, says):
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as refused:
        load_policy(path)
    assert str(path) in str(refused.value) and says in str(refused.value)


def test_a_command_stops_at_start_up_on_a_bad_policy(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text('[cases]\nexclusion_scope = "never"\n', encoding="utf-8")
    env = {"CASEFILE_POLICY": str(path), "CASEFILE_WORKSPACE": str(tmp_path / "ws"), "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-m", "casefile.cli", "cases"], env=env, capture_output=True, text=True)
    assert run.returncode == 2 and "策略文件" in run.stderr and "exclusion_scope" in run.stderr
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1


@pytest.mark.django_db
def test_the_printed_checklist_follows_the_policy(evidence, policy_file):
    from casework.exports import case_summary

    def checklist():
        return [item["doc_type"] for item in case_summary(evidence["case"], pipeline_options(get_settings()).cases)["checklist"]]

    assert "id_card" in checklist()
    policy_file(POLICY)
    assert "id_card" not in checklist()


def test_an_edited_policy_reaches_the_pages_and_the_queue_alike(policy_file):
    """One cache, keyed by the file's change time: the web's options and the queue's (both
    pipeline_options) see the file as it is now, in the same process."""
    from web.context import options

    path = policy_file("[cases.rules]\ntype_confidence_threshold = 0.7\n")
    assert options().cases.rules.type_confidence_threshold == 0.7
    assert options() is options()  # not read again while the file is unchanged
    path.write_text("[cases.rules]\ntype_confidence_threshold = 0.6\n", encoding="utf-8")
    changed = path.stat().st_mtime + 1
    os.utime(path, (changed, changed))  # a later change time, however coarse the file system's clock
    assert options().cases.rules.type_confidence_threshold == 0.6


def test_an_override_is_a_copy_and_leaves_the_environment_alone(tmp_path):
    base = get_settings()
    before = dict(os.environ)
    copy = base.with_overrides(workspace=tmp_path, ocr_engine="tesseract", workers=None)
    assert (copy.workspace, copy.ocr_engine, copy.workers) == (tmp_path, "tesseract", base.workers)
    assert get_settings() is base and dict(os.environ) == before
    assert base.with_overrides(workspace=None) is base
    assert pipeline_options(copy).ocr.engine == "tesseract"
