"""The page classifier's training set: generated corpora read by the real pipeline.

`casefile train --rebuild-pages` generates each corpus of TRAINING_CORPORA with the fixture
generator, reads it with the embedded pipeline into one workspace (one batch per corpus, no
roster: only the page text matters), and pairs every stored page with its true type from the
corpus's truth.json. The pages are what the OCR really read — misreads, split lines, rotated
scans — so the model learns the text it will see, not the text the generator drew.

The corpora use training seeds only (7101…); a seed used here is never a measurement seed.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from classify.training import Sample
from pipeline.pages import stored_page_text
from records.models import BatchFile, Page

log = logging.getLogger("casefile.training")


@dataclass(frozen=True)
class Corpus:
    family: str
    seed: int
    cases: int

    @property
    def group(self) -> str:
        return f"{self.family}:{self.seed}"


# Development corpora of both template families, three per family so that calibration folds hold
# out whole corpora. Change them only together with the shipped model (tests/test_page_model.py).
TRAINING_CORPORA: tuple[Corpus, ...] = tuple(
    Corpus(family, seed, 10) for family in ("a", "b") for seed in (7101, 7102, 7103)
)


def collect(batch_id: int, truth: dict, group: str) -> list[Sample]:
    """Every page of the batch whose file the truth lists, with its true type and its document's
    true fields."""
    pages = {(f["source"], p["page"]): p for f in truth["files"] for p in f["pages"]}
    fields = {d["id"]: d.get("fields") or {} for d in truth["documents"]}
    samples = []
    for upload in BatchFile.objects.filter(batch_id=batch_id, file__isnull=False).order_by("source"):
        for page in Page.objects.filter(file_id=upload.file_id, status=Page.Status.DONE).order_by("number"):
            known = pages.get((upload.source, page.number))
            if known is not None:
                samples.append(Sample(stored_page_text(page), known["doc_type"], group, upload.source, page.number,
                                      known["document"], fields[known["document"]]))
    return samples


def build_training_set(corpora: tuple[Corpus, ...], work: Path, read_batch) -> list[Sample]:
    """Generate and read every corpus; `read_batch(folder) -> batch id` runs the pipeline."""
    from fixtures.generate import generate

    samples: list[Sample] = []
    for corpus in corpora:
        out = work / f"{corpus.family}-{corpus.seed}"
        truth_path = out / "truth.json"
        if truth_path.exists():
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
        else:
            truth = generate(out, corpus.cases, corpus.seed, family=corpus.family)
        batch_id = read_batch(out / "batch", corpus.group)
        got = collect(batch_id, truth, corpus.group)
        log.info("training corpus %s: %d pages", corpus.group, len(got))
        samples += got
    return samples
