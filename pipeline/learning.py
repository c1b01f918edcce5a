"""Learning from the workspace's reviewers (`casefile learn`).

What a reviewer decided is training data for this workspace:
- every document whose type a reviewer confirmed or changed (review_status confirmed) gives its
  pages, labelled with that type; the page model is refit on the shipped training set plus these
  pages, each counted REVIEWED_WEIGHT times (the bureau's own forms matter more than the
  generators');
- every field value a reviewer confirmed or typed is looked for on its document's pages, and the
  label printed beside it, when the vocabulary does not know it, is added to the field's concept
  (extract/label_learning.label_beside).

The result is a LearnedState version (records.models): the model in the blob store, the labels in
the row. Pages record the classifier version that typed them, fields the extractor version with
the learned version (extract/1.6+L3). `casefile reread` applies a new version to stored pages;
`casefile learn --reset` goes back to the shipped models.
"""
from __future__ import annotations

import io
import logging

from classify.training import TRAINING_SET, Sample, fit, read_samples
from core.errors import UserError
from extract.label_learning import label_beside
from pipeline.context import blob_store
from pipeline.documents import decided
from pipeline.learned import lexicon
from pipeline.pages import stored_page_text
from pipeline.storage import blob_key, sha256
from records.models import Document, LearnedState, Page

log = logging.getLogger("casefile.learning")

REVIEWED_WEIGHT = 3


class LearningError(UserError):
    """Nothing to learn from (the message is Chinese, for the operator)."""

    code = "nothing_to_learn"


def reviewed_samples() -> list[Sample]:
    """The pages of every reviewed document, with its type and its decided field values."""
    samples = []
    confirmed = Document.objects.filter(review_status=Document.Review.CONFIRMED).select_related("file")
    for doc in confirmed.order_by("pk"):
        fields = {f.name: f.value for f in decided(doc.fields.all())}
        for page in Page.objects.filter(file=doc.file, number__in=doc.pages, status=Page.Status.DONE).order_by("number"):
            samples.append(Sample(stored_page_text(page), doc.doc_type, "workspace", doc.file.first_name,
                                  page.number, doc.public_id, fields))
    return samples


def learn(actor: str = "", base_families: tuple[str, ...] | None = None) -> LearnedState:
    """`base_families`: the template families of the shipped training set to learn on top of
    (default all; the adaptation curve measures on a family the base never saw)."""
    own = reviewed_samples()
    if not own:
        raise LearningError("还没有复核确认的材料，无可学习：请先在复核页面确认材料类型和字段")
    documents = {s.document for s in own}
    labels = sorted(learned_labels(own) | set(lexicon().extra))
    base = [s for s in read_samples(TRAINING_SET) if base_families is None or s.group.split(":")[0] in base_families]
    model = fit(base + own * REVIEWED_WEIGHT, version="pending")
    state = LearnedState.objects.create(created_by=actor, documents=len(documents), pages=len(own), model_key="",
                                        labels=[list(pair) for pair in labels])
    model.meta["version"] = state.version
    buffer = io.BytesIO()
    model.save(buffer)
    data = buffer.getvalue()
    state.model_key = blob_store().put(blob_key("learned", sha256(data), "npz"), data)
    state.save(update_fields=["model_key"])
    LearnedState.objects.exclude(pk=state.pk).update(active=False)
    log.info("learned %s from %d documents (%d pages), %d labels", state.version, len(documents), len(own), len(labels))
    return state


def learned_labels(samples: list[Sample]) -> set[tuple[str, str]]:
    by_document: dict[str, list[Sample]] = {}
    for s in samples:
        by_document.setdefault(s.document, []).append(s)
    found = set()
    for pages in by_document.values():
        page_texts = [(s.number, s.page) for s in pages]
        for name, value in pages[0].fields.items():
            pair = label_beside(page_texts, name, value)
            if pair:
                found.add(pair)
    return found


def reset() -> int:
    """Back to the shipped models; the learned versions stay on record."""
    return LearnedState.objects.filter(active=True).update(active=False)
