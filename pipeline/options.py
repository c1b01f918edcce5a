"""Options that change results, built once from configuration and recorded with results."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from cases import CaseOptions
from cases.priority import PriorityOptions
from cases.workflow import WorkflowOptions
from ingest import IngestOptions
from ocr import OcrOptions


class PipelineOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    ingest: IngestOptions = IngestOptions()
    ocr: OcrOptions = OcrOptions()
    cases: CaseOptions = CaseOptions()
    workflow: WorkflowOptions = WorkflowOptions()
    priority: PriorityOptions = PriorityOptions()


def from_settings() -> PipelineOptions:
    from casefile.config import get_settings

    cfg = get_settings()
    return PipelineOptions(ingest=IngestOptions(dpi=cfg.dpi), ocr=OcrOptions(engine=cfg.ocr_engine))
