"""Fixtures shared by the tests that use the database."""
from __future__ import annotations

import pytest
from hypothesis import settings as hypothesis_settings

from config.settings import get_settings, use_settings

# No property test is timed: on a loaded 2-core machine one example may take 0.5 s (speed is
# measured by benchmarks, never asserted), so hypothesis's 200 ms deadline is off for all.
hypothesis_settings.register_profile("casefile", deadline=None)
hypothesis_settings.load_profile("casefile")

VETERAN_ID = "360899197503141518"  # 周立新, on tests/born_digital.py's certificate


@pytest.fixture
def settings_as():
    """A test under other settings, as an entry point's overrides make them (a copy, the
    environment untouched): settings_as(workspace=…, policy=…); the process's own again after."""
    before = get_settings()
    yield lambda **overrides: use_settings(get_settings().with_overrides(**overrides))
    use_settings(before)


@pytest.fixture
def workspace(tmp_path, settings_as):
    settings_as(workspace=tmp_path / "ws")
    return tmp_path


@pytest.fixture
def evidence(workspace):
    """One processed batch: a two-page certificate (born-digital, no OCR) linked to a rostered
    veteran marked 低保. {"batch": id, "doc": the first linked Document, "case": its Case}."""
    from config.options import PipelineOptions
    from pipeline.run import submit_batch
    from records.models import Batch, Case, Document
    from tests.born_digital import certificate_pdf
    from workers.local import LocalDispatcher

    Case.objects.create(id_number=VETERAN_ID, name="周立新", attributes={"低保": "是"})
    folder = workspace / "batch"
    folder.mkdir()
    (folder / "cert.pdf").write_bytes(certificate_pdf())
    options = PipelineOptions()
    batch_id = submit_batch([folder], LocalDispatcher(options), options)
    # The web tests' clerk account (u_clerk) uploaded it: clerks see their own batches (casework/visibility.py).
    Batch.objects.filter(pk=batch_id).update(uploaded_by="u_clerk")
    doc = Document.objects.filter(case__id_number=VETERAN_ID).order_by("id").first()
    assert doc is not None, "the certificate should link to the rostered veteran"
    return {"batch": batch_id, "doc": doc, "case": doc.case}
