"""process_page: read one page (text layer or OCR), classify it, record it exactly once."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import cv2
import numpy as np
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from classify import classify_page
from config.options import PipelineOptions
from core.errors import CasefileError
from core.stages import CLASSIFICATION, DECODE, MODEL_LOAD, stage
from core.types import PageText
from ingest.pages import open_page
from pipeline.context import blob_store
from pipeline.learned import classifier_version, page_model
from records.models import Page, SourceFile

log = logging.getLogger("casefile.pages")


@dataclass(frozen=True)
class PageOutcome:
    page_id: int
    file_id: int
    status: str
    file_complete: bool  # this call recorded the file's last page


def process_page(
    page_id: int,
    options: PipelineOptions,
    max_attempts: int = 3,
    timeout_errors: tuple[type[BaseException], ...] = (),
) -> PageOutcome:
    """Read and classify one page and record it. Safe to call again for the same page: a page
    already recorded is skipped, and a page whose earlier attempts all died (its process was
    killed or timed out) is marked failed once it has used up `max_attempts`.
    `timeout_errors` are the exceptions the caller's runtime raises at a time limit."""
    page = Page.objects.select_related("file").get(pk=page_id)
    if page.status in (Page.Status.DONE, Page.Status.FAILED):
        return PageOutcome(page_id, page.file_id, "skipped", False)  # a repeated delivery changes nothing
    if page.attempts >= max_attempts:
        return record_page(page, {"status": Page.Status.FAILED, "error": gave_up_message(page)})
    started_at = timezone.now()
    begun = Page.objects.filter(pk=page_id, status__in=[Page.Status.PENDING, Page.Status.RUNNING]).update(
        status=Page.Status.RUNNING, attempts=F("attempts") + 1, started_at=started_at
    )
    if not begun:
        return PageOutcome(page_id, page.file_id, "skipped", False)
    started = time.perf_counter()
    try:
        text = read_page_text(page, options)
        with stage(CLASSIFICATION):
            with stage(MODEL_LOAD):
                model = page_model(options)
            cls = classify_page(text, model)
        values = {
            "status": Page.Status.DONE,
            "engine": text.engine,
            "options_hash": "text_layer" if text.source == "text_layer" else options.ocr.options_hash(),
            "rotation": text.rotation,
            "skew": text.skew,
            "text": text.text,
            "lines": text.to_dict()["lines"],
            "mean_conf": text.mean_conf,
            "doc_type": cls.doc_type,
            "doc_type_conf": cls.confidence,
            "starts_document": cls.starts_document,
            "classifier_version": classifier_version(model),
            "error": "",
        }
    except timeout_errors:
        values = {"status": Page.Status.FAILED, "error": timeout_message(page)}
        log.warning("page=%s file=%s timed out", page_id, page.file_id)
    except CasefileError as exc:
        values = {"status": Page.Status.FAILED, "error": f"第 {page.number} 页：{exc}"}
        log.warning("page=%s file=%s failed: %s", page_id, page.file_id, exc.code)
    except Exception as exc:  # an engine fault must not stop the batch
        # Only the exception type: its text may quote what was read from the page.
        values = {"status": Page.Status.FAILED, "error": f"第 {page.number} 页：识别时程序出错，已记入日志，请联系维护人员"}
        log.error("page=%s file=%s crashed: %s", page_id, page.file_id, type(exc).__name__)
    values["seconds"] = round(time.perf_counter() - started, 3)
    return record_page(page, values)


def timeout_message(page: Page) -> str:
    return f"第 {page.number} 页：识别超时（超过单页时限），已停止"


def fail_timed_out(page_id: int) -> PageOutcome:
    """Record a page whose process was killed at the hard time limit (embedded pool). Its start
    was counted as an attempt when it began; if the page was recorded just before the kill, this
    changes nothing."""
    page = Page.objects.get(pk=page_id)
    values = {"status": Page.Status.FAILED, "error": timeout_message(page)}
    if page.started_at is not None:
        values["seconds"] = round((timezone.now() - page.started_at).total_seconds(), 3)
    return record_page(page, values)


def gave_up_message(page: Page) -> str:
    return f"第 {page.number} 页：已尝试 {page.attempts} 次均未完成（处理进程崩溃或超时），已放弃"


def record_page(page: Page, values: dict) -> PageOutcome:
    """Conditional update: only the first finisher of a page counts it towards its file."""
    with transaction.atomic():
        won = Page.objects.filter(Q(pk=page.pk) & ~Q(status__in=[Page.Status.DONE, Page.Status.FAILED])).update(**values)
        if not won:
            return PageOutcome(page.pk, page.file_id, "duplicate", False)
        SourceFile.objects.filter(pk=page.file_id).update(pages_done=F("pages_done") + 1)
        file = SourceFile.objects.get(pk=page.file_id)
    return PageOutcome(page.pk, page.file_id, values["status"], file.pages_done >= file.pages_total)


def read_page_text(page: Page, options: PipelineOptions) -> PageText:
    if page.has_text_layer:
        return stored_page_text(page)  # the PDF's own words, stored at ingest
    import ocr

    with stage(DECODE):
        image = load_page_image(page, options)
    return ocr.read_page(image, options.ocr)


def stored_page_text(page: Page) -> PageText:
    """The words recorded on a page row (its text layer, or its OCR result once done)."""
    return PageText.from_dict(
        {
            "width": page.width,
            "height": page.height,
            "lines": page.lines,
            "source": "text_layer" if page.has_text_layer else "ocr",
            "engine": "pdfplumber" if page.has_text_layer else page.engine,
            "rotation": page.rotation,
            "skew": page.skew,
        }
    )


def load_page_image(page: Page, options: PipelineOptions) -> np.ndarray:
    """The page's image as it was read (its boxes are in its pixels). A PDF page read from its text
    layer was not rendered at ingest: rendered here the first time, at the resolution its boxes
    were measured in, and kept in the store for the next time."""
    from pipeline.ingest_batch import encode_page_image, page_image_key

    store = blob_store()
    key = page.image_key
    if not key and page.has_text_layer and page.file.kind == "pdf":
        key = page_image_key(page.file.sha256, page.number, page.dpi)
        if not store.exists(key):
            ingest = options.ingest.model_copy(update={"dpi": page.dpi})
            image = open_page(store.get(page.file.storage_key), "pdf", page.file.first_name, page.number, ingest).image
            store.put(key, encode_page_image(image))
            return image
    data = store.get(key)
    if key.startswith("pages/"):
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
        if image is None:
            raise CasefileError(f"页面图像无法读取（{key}）")
        return image
    return open_page(data, page.file.kind, page.file.first_name, page.number, options.ingest).image
