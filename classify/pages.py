"""A page's type: the trained model over the page text and its title evidence."""
from __future__ import annotations

from classify.evidence import rule_class, title_evidence
from classify.model import PageModel, default_model
from core.types import PageClass, PageText


def classify_page(page: PageText, model: PageModel | None = None) -> PageClass:
    """The page's type with a calibrated confidence. `model` defaults to the shipped classifier;
    a workspace's learned one is passed in by the pipeline. Without any model (the file removed
    from a checkout) the rule scorer decides, uncalibrated."""
    evidence = title_evidence(page)
    model = model or default_model()
    if model is None:
        return rule_class(evidence)
    return model.classify(page, evidence)
