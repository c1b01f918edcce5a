"""Ingest a batch: store every original untouched, recognise repeats, create page rows."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import cv2
from django.db import IntegrityError, transaction

from core.errors import CorruptFile, InputError
from core.stages import DECODE, timed
from ingest import IngestOptions, Upload, UploadError, collect, open_pages
from ingest.collect import from_bytes
from ingest.names import disk_name
from pipeline.context import blob_store
from pipeline.storage import sha256
from records.models import Batch, BatchFile, Page, SourceFile

log = logging.getLogger("casefile.ingest")

EXTENSIONS = {"jpeg": "jpg", "png": "png", "tiff": "tif", "pdf": "pdf"}


@dataclass
class IngestResult:
    batch_id: int
    new_page_ids: list[int] = field(default_factory=list)
    uploads: list[BatchFile] = field(default_factory=list)  # one per file received, refused ones too


def ingest_batch(
    inputs: list[Path],
    options: IngestOptions,
    label: str = "",
    uploaded_by: str = "",
    roster_cases: list[str] | None = None,
    batch_id: int | None = None,
) -> IngestResult:
    """A whole batch from files, folders and archives on disk (the command line). With `batch_id`,
    the ingest of that batch is resumed: what it already recorded is kept, not recorded again."""
    if batch_id is None:
        batch = create_batch(label, uploaded_by, input_key(inputs), roster_cases)
    else:
        batch = Batch.objects.get(pk=batch_id)
    result = IngestResult(batch.pk)
    recorded = _Recorded(batch)
    for item in collect(inputs, options):
        earlier = recorded.take(item)
        if earlier is not None:
            result.uploads.append(earlier)
            continue
        record_item(batch, item, options, result)
    seal_batch(batch.pk)
    return result


def input_key(inputs: list[Path]) -> list[str]:
    """The inputs of a command-line batch as recorded on it: absolute, so that the same command
    run again from the same folder finds its batch (pipeline/run.py)."""
    return [disk_name(str(Path(p).absolute()))[0] for p in inputs]  # no lone surrogates: PostgreSQL JSON refuses them


class _Recorded:
    """The uploads a batch already holds (an interrupted ingest), matched to the items of its
    inputs by name and content, each once: a file stored and recorded before a crash is found
    again instead of being reported as a repeat of itself."""

    def __init__(self, batch: Batch):
        self.rows: dict[str, list[BatchFile]] = {}
        for row in BatchFile.objects.filter(batch=batch).select_related("file").order_by("id"):
            self.rows.setdefault(row.source, []).append(row)

    def take(self, item: Upload | UploadError) -> BatchFile | None:
        rows = self.rows.get(item.source)
        if not rows:
            return None
        digest = sha256(item.data) if isinstance(item, Upload) else None
        for row in rows:
            if row.file is not None:
                same = row.file.sha256 == digest
            else:  # refused then: the same refusal now
                same = digest is None and row.error_code == item.code
            if same:
                rows.remove(row)
                return row
        return None


def create_batch(label: str = "", uploaded_by: str = "", inputs: list[str] | None = None, roster_cases=None) -> Batch:
    """A batch that receives files until it is sealed; it is never closed before."""
    return Batch.objects.create(
        label=label,
        uploaded_by=uploaded_by,
        inputs=inputs or [],
        roster_cases=roster_cases,
        status=Batch.Status.RECEIVING,
    )


def add_file(batch: Batch, source: str, data: bytes, options: IngestOptions) -> IngestResult:
    """One uploaded file (a ZIP expands to its entries), e.g. one request of the web upload."""
    result = IngestResult(batch.pk)
    for item in from_bytes(source, data, options):
        record_item(batch, item, options, result)
    return result


def seal_batch(batch_id: int) -> bool:
    """No more files will come: the batch may close once its files are final."""
    return bool(Batch.objects.filter(pk=batch_id, status=Batch.Status.RECEIVING).update(status=Batch.Status.OPEN))


def record_item(batch: Batch, item: Upload | UploadError, options: IngestOptions, result: IngestResult) -> None:
    if isinstance(item, UploadError):
        result.uploads.append(
            BatchFile.objects.create(
                batch=batch, source=item.source, raw_source=item.raw_name, error_code=item.code, error=item.message
            )
        )
        log.info("batch=%s refused file: %s", batch.pk, item.code)
        return
    result.uploads.append(upload_file(batch, item, options, result))


def upload_file(batch: Batch, item: Upload, options: IngestOptions, result: IngestResult) -> BatchFile:
    """Record one uploaded file; its pages are created unless the same bytes were seen before."""
    digest = sha256(item.data)
    if _seen(digest):
        return _duplicate(batch, item, digest)
    store = blob_store()
    key = store.put(store.key_for("originals", digest, EXTENSIONS[item.kind]), item.data)
    try:
        pages = _render_pages(item, key, digest, options)
    except InputError as exc:
        log.info("batch=%s file sha=%s refused: %s", batch.pk, digest[:12], exc.code)
        return BatchFile.objects.create(
            batch=batch, source=item.source, raw_source=item.raw_name, error_code=exc.code, error=exc.message
        )
    try:
        with transaction.atomic():
            rows, batch_file = _record_new_file(batch, item, digest, key, pages)
    except IntegrityError:  # the same bytes arrived in another request at the same moment, and won
        return _duplicate(batch, item, digest)
    result.new_page_ids.extend(row.pk for row in rows if row.status != Page.Status.FAILED)
    return batch_file


def _record_new_file(batch: Batch, item: Upload, digest: str, key: str, pages: list[dict]):
    source_file = SourceFile.objects.create(
        sha256=digest,
        kind=item.kind,
        size=len(item.data),
        storage_key=key,
        first_name=item.source,
        pages_total=len(pages),
        pages_done=sum(p.get("status") == Page.Status.FAILED for p in pages),  # pages that failed to decode
        status=SourceFile.Status.PROCESSING,
    )
    rows = Page.objects.bulk_create(Page(file=source_file, **page) for page in pages)
    return rows, BatchFile.objects.create(batch=batch, source=item.source, raw_source=item.raw_name, file=source_file)


def _seen(digest: str) -> bool:
    return SourceFile.objects.filter(sha256=digest).exists()


def _duplicate(batch: Batch, item: Upload, digest: str) -> BatchFile:
    """The same bytes were uploaded before: point at the first upload, process nothing again."""
    existing = SourceFile.objects.get(sha256=digest)
    first = BatchFile.objects.filter(file=existing).order_by("id").first()
    return BatchFile.objects.create(
        batch=batch, source=item.source, raw_source=item.raw_name, file=existing, duplicate_of=first
    )


def _render_pages(item: Upload, original_key: str, digest: str, options: IngestOptions) -> list[dict]:
    """Decode or render every page once; keep rendered images of PDF/TIFF pages in the store."""
    store = blob_store()
    pages = []
    single_image = item.kind in ("jpeg", "png")
    for page in timed(DECODE, open_pages(item.data, item.kind, item.source, options)):
        if page.error:  # this page cannot be decoded: recorded failed, the file's other pages go on
            pages.append({"number": page.number, "image_key": "", "status": Page.Status.FAILED, "error": page.error})
            continue
        if single_image:
            image_key = original_key  # the original is the page; decoded again when read
        else:
            ok, png = cv2.imencode(".png", page.image, [cv2.IMWRITE_PNG_COMPRESSION, 1])
            image_key = store.put(store.key_for("pages", f"{digest}-{page.number}-{options.dpi}", "png"), png.tobytes())
        layer = page.text_layer
        pages.append(
            {
                "number": page.number,
                "image_key": image_key,
                "width": page.image.shape[1],
                "height": page.image.shape[0],
                "dpi": page.dpi,
                "has_text_layer": layer is not None,
                "lines": layer.to_dict()["lines"] if layer else [],
            }
        )
    if not pages:
        raise InputError(f"{item.source}：文件中没有页面")
    if all(p.get("status") == Page.Status.FAILED for p in pages):
        raise CorruptFile("；".join(p["error"] for p in pages))
    return pages
