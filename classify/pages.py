"""A page's type: the trained model over the page text and its title evidence."""
from __future__ import annotations

from classify.evidence import rule_class, title_evidence
from classify.model import PageModel, default_model
from core.types import PageClass, PageText
from extract.normalize.text import squeeze

# A page with less text than this and no title (a blank back side, a photo with a caption, a
# page number) says nothing about its type: it is `other`, and segmentation keeps it with the
# document before it. The model was never trained on such pages and would guess.
TOO_LITTLE_TEXT = 12
UNREADABLE_CONFIDENCE = 0.5


def classify_page(page: PageText, model: PageModel | None = None) -> PageClass:
    """The page's type with a calibrated confidence. `model` defaults to the shipped classifier;
    a workspace's learned one is passed in by the pipeline. Without any model (the file removed
    from a checkout) the rule scorer decides, uncalibrated."""
    evidence = title_evidence(page)
    if len(squeeze(page.text)) < TOO_LITTLE_TEXT and not evidence.titled:
        return PageClass("other", UNREADABLE_CONFIDENCE, starts_document=False)
    model = model or default_model()
    if model is None:
        return rule_class(evidence)
    return model.classify(page, evidence)
