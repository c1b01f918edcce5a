"""Learning from the workspace's reviewers (`casefile learn`): a label a reviewer's value sat next
to is learned and read on the next veteran's form; the page model is refit and recorded on the
pages it typed; reset goes back to the shipped models. Born-digital pages: no OCR."""
from __future__ import annotations

import io

import pytest

from classify.training import TRAINING_SET, read_samples, write_samples
from config.options import PipelineOptions

pytestmark = pytest.mark.django_db

PEOPLE = (("周立新", "360899197503141518"), ("李海波", "360899197608220933"))


def discharge_form_pdf(name: str, id_number: str) -> bytes:
    """A county's own 退伍军人登记表 whose discharge date label (离队时间) casefile does not know."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("zenhei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("zenhei", 18)
    c.drawString(220, 770, "退伍军人登记表")
    c.setFont("zenhei", 12)
    for y, (label, value) in zip(range(720, 560, -30), (
        ("姓名", name), ("公民身份号码", id_number), ("入伍时间", "1993年12月"), ("离队时间", "1996年12月"),
        ("部别", "05318部队"),
    )):
        c.drawString(80, y, label)
        c.drawString(220, y, value)
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture
def small_training_set(tmp_path, monkeypatch):
    """A slice of the shipped training set, so that refitting takes seconds."""
    samples = read_samples(TRAINING_SET)
    by_type: dict[str, list] = {}
    for s in samples:
        by_type.setdefault(s.doc_type, []).append(s)
    path = tmp_path / "training.jsonl.gz"
    write_samples(path, [s for group in by_type.values() for s in group[:15]])
    monkeypatch.setattr("pipeline.learning.TRAINING_SET", path)
    return path


@pytest.fixture
def two_forms(workspace):
    from pipeline.run import submit_batch
    from records.models import Case, Document
    from workers.local import LocalDispatcher

    folder = workspace / "batch"
    folder.mkdir()
    for name, number in PEOPLE:
        Case.objects.create(id_number=number, name=name)
        (folder / f"{number}.pdf").write_bytes(discharge_form_pdf(name, number))
    options = PipelineOptions()
    submit_batch([folder], LocalDispatcher(options), options)
    return [Document.objects.get(case__id_number=number) for _, number in PEOPLE]


def test_a_label_beside_a_reviewers_value_is_read_on_the_next_form(two_forms, small_training_set):
    from casework.review import confirm_document, correct_field
    from pipeline.learned import active_state, extractor_version
    from pipeline.learning import learn
    from pipeline.reread import reread
    from records.models import Field, Page

    first, second = two_forms
    assert not Field.objects.filter(name="discharge_date").exists()  # 离队时间 is not a known label
    options = PipelineOptions()
    correct_field(first.pk, "discharge_date", "1996年12月", "reviewer", options)
    confirm_document(first.pk, "reviewer", options)

    state = learn("admin")
    assert ["discharge_date", "离队时间"] in state.labels and state.documents == 1
    assert active_state() == state
    reread(options)

    learned = Field.objects.get(document__file=second.file, name="discharge_date")  # the file was split anew
    assert learned.value == "1996-12" and learned.extractor_version == extractor_version()
    assert extractor_version().endswith(f"+L{state.pk}")
    # the reviewed file keeps its reviewer's split; the other one was typed by the learned model
    assert Page.objects.get(file=second.file).classifier_version == state.version


def test_reset_goes_back_to_the_shipped_models(two_forms, small_training_set):
    from casework.review import confirm_document
    from classify.model import default_model
    from pipeline.learned import page_model
    from pipeline.learning import learn, reset

    confirm_document(two_forms[0].pk, "reviewer", PipelineOptions())
    state = learn()
    assert page_model(PipelineOptions()).version == state.version
    assert reset() == 1
    assert page_model(PipelineOptions()) is default_model()


def test_nothing_reviewed_is_nothing_to_learn(two_forms, small_training_set):
    from pipeline.learning import LearningError, learn

    with pytest.raises(LearningError, match="复核"):
        learn()
