"""One batch end to end, from inputs to the report, over whichever dispatcher runs the pages."""
from __future__ import annotations

from pathlib import Path

from pipeline.casework import evaluate_cases, import_roster, link_all_documents
from pipeline.ingest_batch import ingest_batch
from pipeline.options import PipelineOptions
from pipeline.report import build_report
from records.models import Document


def run_batch(
    inputs: list[Path],
    dispatcher,
    options: PipelineOptions,
    roster: Path | None = None,
    label: str = "",
    progress=None,
) -> dict:
    case_ids = import_roster(roster) if roster else None
    ingested = ingest_batch(inputs, options.ingest, label=label)
    task = progress.add_task("识别页面", total=len(ingested.new_page_ids)) if progress else None

    def on_page(outcome) -> None:
        if progress is not None:
            progress.advance(task)

    dispatcher.run(ingested.new_page_ids, on_page)
    link_all_documents()
    touched = set(case_ids or [])
    touched |= set(
        Document.objects.filter(file__uploads__batch_id=ingested.batch_id, case__isnull=False).values_list(
            "case__id_number", flat=True
        )
    )
    evaluate_cases(sorted(touched), options.cases)
    return build_report(ingested.batch_id, case_ids)
