"""Options that change results, built once from the settings and the bureau's policy file, and
recorded with results."""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from cases import CaseOptions
from cases.priority import PriorityOptions
from cases.workflow import WorkflowOptions
from classify import ClassifyOptions
from config.settings import Settings
from core.errors import UserError, describe_validation
from ingest import IngestOptions
from ocr import OcrOptions


class VisibilityOptions(BaseModel):
    """Who sees what: the policy's [visibility] table (casework/visibility.py applies it)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    clerks: Literal["own_batches", "all"] = "own_batches"


class PipelineOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    ingest: IngestOptions = IngestOptions()
    ocr: OcrOptions = OcrOptions()
    classify: ClassifyOptions = ClassifyOptions()
    cases: CaseOptions = CaseOptions()
    workflow: WorkflowOptions = WorkflowOptions()
    priority: PriorityOptions = PriorityOptions()
    visibility: VisibilityOptions = VisibilityOptions()


POLICY_TABLES = ("cases", "workflow", "priority", "visibility")
# IngestOptions read from CASEFILE_<NAME> (config/settings.py), not from the policy file.
INGEST_LIMITS = ("max_file_bytes", "max_pages", "max_pixels", "max_side_pixels", "min_side_pixels",
                 "max_unpacked_bytes", "max_archive_entries", "max_archive_depth", "max_pdf_stream_bytes")


def pipeline_options(cfg: Settings) -> PipelineOptions:
    """The options of these settings and their policy file. The one cache of the policy: keyed by
    the file's change time, so an edited file reaches every caller (the pages, the queue, the
    workers) at its next call, and an unchanged one is not read again."""
    return _built(cfg, _mtime(cfg.policy) if cfg.policy else None)


def _mtime(path: Path) -> int:
    try:
        return Path(path).stat().st_mtime_ns
    except OSError:
        return 0  # load_policy says why it cannot be read


@lru_cache(maxsize=8)
def _built(cfg: Settings, policy_changed: int | None) -> PipelineOptions:
    policy = load_policy(cfg.policy) if cfg.policy else {}
    model = str(cfg.page_model) if cfg.page_model else None
    ingest = IngestOptions(dpi=cfg.dpi, **{name: getattr(cfg, name) for name in INGEST_LIMITS})
    return PipelineOptions(ingest=ingest, ocr=OcrOptions(engine=cfg.ocr_engine),
                           classify=ClassifyOptions(model_path=model), **policy)


class PolicyError(UserError):
    """The policy file cannot be used; the message names the file and every problem in it."""

    code = "bad_policy"


def load_policy(path: Path) -> dict:
    """The bureau's policy (CASEFILE_POLICY): the [R]/[I] switches and thresholds of the domain
    spec as a TOML file, checked against the option models before anything runs."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PolicyError(f"策略文件 {path} 无法读取：文件不存在") from exc
    except OSError as exc:
        raise PolicyError(f"策略文件 {path} 无法读取：{exc.strerror or '读取失败'}") from exc
    except UnicodeDecodeError as exc:
        raise PolicyError(f"策略文件 {path} 无法读取：不是 UTF-8 编码的文本") from exc
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"at line (\d+), column (\d+)", str(exc))
        at = f"第 {where[1]} 行第 {where[2]} 列" if where else ""
        raise PolicyError(f"策略文件 {path} 无法读取：{at}不符合 TOML 语法") from exc
    unknown = sorted(set(data) - set(POLICY_TABLES))
    if unknown:
        raise PolicyError(f"策略文件 {path} 含未知的表：{', '.join(unknown)}（可用：{', '.join(POLICY_TABLES)}）")
    try:
        options = PipelineOptions(**data)
    except ValidationError as exc:
        raise PolicyError(f"策略文件 {path} 有误：{describe_validation(exc.errors())}") from exc
    return {table: getattr(options, table) for table in data}
