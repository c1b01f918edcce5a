"""Fixtures shared by the tests that use the database."""
from __future__ import annotations

import pytest

from casefile.config import get_settings
from pipeline.context import blob_store

VETERAN_ID = "360899197503141518"  # 周立新, on tests/born_digital.py's certificate


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEFILE_WORKSPACE", str(tmp_path / "ws"))
    get_settings.cache_clear()
    blob_store.cache_clear()
    yield tmp_path
    get_settings.cache_clear()
    blob_store.cache_clear()


@pytest.fixture
def evidence(workspace):
    """One processed batch: a two-page certificate (born-digital, no OCR) linked to a rostered
    veteran marked 低保. {"batch": id, "doc": the first linked Document, "case": its Case}."""
    from pipeline.options import PipelineOptions
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
    # The web tests' clerk account (u_clerk) uploaded it: clerks see their own batches (pipeline/visibility.py).
    Batch.objects.filter(pk=batch_id).update(uploaded_by="u_clerk")
    doc = Document.objects.filter(case__id_number=VETERAN_ID).order_by("id").first()
    assert doc is not None, "the certificate should link to the rostered veteran"
    return {"batch": batch_id, "doc": doc, "case": doc.case}
