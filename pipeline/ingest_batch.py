"""Ingest a batch: store every original untouched, recognise repeats, create page rows.

In two steps, so that files are split into pages in parallel and their pages read as soon as they
are stored (pipeline/flow.py):
- `receive_item`: the original stored as uploaded and recorded (a `pending` SourceFile and the
  upload's BatchFile), or recognised as a repeat — cheap, in the process that has the bytes;
- `split_file`: its pages opened (decoded, or a PDF's text layers read; pages that need OCR
  rendered and stored) and their rows created — in a pool process or a worker, one file a call.
A file that cannot be opened is refused there: its uploads carry the reason and no file, as a file
refused on arrival does, and the original stays in the store. A PDF page whose text layer is used
is not rendered at ingest: its image is made the first time someone looks at it, and kept
(pipeline/pages.load_page_image)."""
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
    new_page_ids: list[int] = field(default_factory=list)  # pages created (add_file: split at once)
    new_file_ids: list[int] = field(default_factory=list)  # files received, still to be split into pages
    uploads: list[BatchFile] = field(default_factory=list)  # one per file received, refused ones too


@dataclass(frozen=True)
class SplitOutcome:
    file_id: int
    page_ids: list[int]  # its pages to read (none if it was refused, or split by another call)
    refused_in: list[int]  # the open batches of a file refused now (one of them may now be complete)


def ingest_batch(
    inputs: list[Path],
    options: IngestOptions,
    label: str = "",
    uploaded_by: str = "",
    roster_cases: list[str] | None = None,
    batch_id: int | None = None,
    split: bool = True,
) -> IngestResult:
    """A whole batch from files, folders and archives on disk (the command line): every file
    received (stored and recorded), then split into pages here, the batch sealed. With `split`
    False the files are left to split (`new_file_ids`, for `split_file` in a pool or a worker:
    pipeline/run.py). With `batch_id`, the ingest of that batch is resumed: what it already
    recorded is kept, not recorded again."""
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
        receive_item(batch, item, result)
    result.new_file_ids = sorted(set(result.new_file_ids) | set(unsplit_files(batch.pk)))
    if split:
        _split_now(result, options)
    seal_batch(batch.pk)
    return result


def _split_now(result: IngestResult, options: IngestOptions) -> None:
    for file_id in result.new_file_ids:
        result.new_page_ids.extend(split_file(file_id, options).page_ids)
    result.new_file_ids = []
    for upload in result.uploads:  # a file refused while split: its upload as it stands now
        upload.refresh_from_db()


def unsplit_files(batch_id: int) -> list[int]:
    """Files of the batch received but not yet split into pages (new, or a dead run's)."""
    return list(
        SourceFile.objects.filter(uploads__batch_id=batch_id, status=SourceFile.Status.PENDING)
        .values_list("pk", flat=True)
        .distinct()
    )


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
    """One uploaded file (a ZIP expands to its entries), e.g. one request of the web upload: its
    files received and split into pages at once."""
    result = IngestResult(batch.pk)
    for item in from_bytes(source, data, options):
        receive_item(batch, item, result)
    _split_now(result, options)
    return result


def seal_batch(batch_id: int) -> bool:
    """No more files will come: the batch may close once its files are final."""
    return bool(Batch.objects.filter(pk=batch_id, status=Batch.Status.RECEIVING).update(status=Batch.Status.OPEN))


def receive_item(batch: Batch, item: Upload | UploadError, result: IngestResult) -> None:
    if isinstance(item, UploadError):
        result.uploads.append(
            BatchFile.objects.create(
                batch=batch, source=item.source, raw_source=item.raw_name, error_code=item.code, error=item.message
            )
        )
        log.info("batch=%s refused file: %s", batch.pk, item.code)
        return
    result.uploads.append(receive_file(batch, item, result))


def receive_file(batch: Batch, item: Upload, result: IngestResult) -> BatchFile:
    """Store the original as uploaded and record it, to be split (`split_file`), unless the same
    bytes were received before: then the upload points at the first one."""
    digest = sha256(item.data)
    if _seen(digest):
        return _duplicate(batch, item, digest)
    store = blob_store()
    key = store.put(store.key_for("originals", digest, EXTENSIONS[item.kind]), item.data)
    try:
        with transaction.atomic():
            source_file = SourceFile.objects.create(
                sha256=digest,
                kind=item.kind,
                size=len(item.data),
                storage_key=key,
                first_name=item.source,
                status=SourceFile.Status.PENDING,
            )
            batch_file = BatchFile.objects.create(
                batch=batch, source=item.source, raw_source=item.raw_name, file=source_file
            )
    except IntegrityError:  # the same bytes arrived in another request at the same moment, and won
        return _duplicate(batch, item, digest)
    result.new_file_ids.append(source_file.pk)
    return batch_file


def split_file(file_id: int, options: IngestOptions) -> SplitOutcome:
    """Open a received file's pages and create their rows, once: a call for a file already split
    (a repeated message, a concurrent call) changes nothing. A file none of whose pages can be
    opened, or over a limit, is refused: every upload of it gets the reason."""
    source_file = SourceFile.objects.filter(pk=file_id, status=SourceFile.Status.PENDING).first()
    if source_file is None:
        return SplitOutcome(file_id, [], [])
    data = blob_store().get(source_file.storage_key)
    item = Upload(source_file.first_name, data, source_file.kind)
    try:
        pages = _render_pages(item, source_file.storage_key, source_file.sha256, options)
    except InputError as exc:
        return SplitOutcome(file_id, [], refuse_file(source_file, exc.code, exc.message))
    with transaction.atomic():
        claimed = SourceFile.objects.filter(pk=file_id, status=SourceFile.Status.PENDING).update(
            status=SourceFile.Status.PROCESSING,
            pages_total=len(pages),
            pages_done=sum(p.get("status") == Page.Status.FAILED for p in pages),  # pages that failed to decode
        )
        if not claimed:
            return SplitOutcome(file_id, [], [])
        rows = Page.objects.bulk_create(Page(file_id=file_id, **page) for page in pages)
    return SplitOutcome(file_id, [row.pk for row in rows if row.status != Page.Status.FAILED], [])


def refuse_unsplit(file_id: int, reason: str, attempts: int = 0) -> SplitOutcome:
    """A received file whose split did not finish: past the time limit (`timeout`), or every
    process that tried it died (`crashed`). Refused with the reason, naming the file."""
    source_file = SourceFile.objects.filter(pk=file_id, status=SourceFile.Status.PENDING).first()
    if source_file is None:  # split after all, or refused already
        return SplitOutcome(file_id, [], [])
    name = source_file.first_name
    if reason == "timeout":
        code, message = "timeout", f"{name}：拆分页面超时（超过单个任务的时限），未处理；请拆分为较小的文件后再上传"
    else:
        code, message = "internal_error", f"{name}：拆分页面时处理进程 {attempts} 次崩溃，未处理；请联系维护人员"
    return SplitOutcome(file_id, [], refuse_file(source_file, code, message))


def refuse_file(source_file: SourceFile, code: str, message: str) -> list[int]:
    """A received file that cannot be processed: its uploads carry the reason instead of the file
    (as a file refused on arrival), the row goes, the original stays stored. Returns the open
    batches it was in."""
    log.info("file=%s sha=%s refused: %s", source_file.pk, source_file.sha256[:12], code)
    with transaction.atomic():
        if not SourceFile.objects.filter(pk=source_file.pk, status=SourceFile.Status.PENDING).exists():
            return []
        uploads = BatchFile.objects.filter(file_id=source_file.pk)
        batches = sorted(set(uploads.filter(batch__status=Batch.Status.OPEN).values_list("batch_id", flat=True)))
        uploads.update(file=None, error_code=code, error=message)
        SourceFile.objects.filter(pk=source_file.pk).delete()
    return batches


def _seen(digest: str) -> bool:
    return SourceFile.objects.filter(sha256=digest).exists()


def _duplicate(batch: Batch, item: Upload, digest: str) -> BatchFile:
    """The same bytes were uploaded before: point at the first upload, process nothing again."""
    existing = SourceFile.objects.get(sha256=digest)
    first = BatchFile.objects.filter(file=existing).order_by("id").first()
    return BatchFile.objects.create(
        batch=batch, source=item.source, raw_source=item.raw_name, file=existing, duplicate_of=first
    )


# Lossless and cheap: without PNG's per-row filter search, encoding a rendered page costs about a
# third (35 ms instead of 120 for an A4 page at 200 dpi), for some 10% more bytes.
PNG_PARAMS = [cv2.IMWRITE_PNG_COMPRESSION, 1, cv2.IMWRITE_PNG_FILTER, cv2.IMWRITE_PNG_FILTER_NONE]


def page_image_key(digest: str, number: int, dpi: int) -> str:
    """Where a PDF or TIFF page's rendered image is kept (a PDF page read from its text layer: once
    someone has looked at it)."""
    return blob_store().key_for("pages", f"{digest}-{number}-{dpi}", "png")


def encode_page_image(image) -> bytes:
    ok, png = cv2.imencode(".png", image, PNG_PARAMS)
    return png.tobytes()


def _render_pages(item: Upload, original_key: str, digest: str, options: IngestOptions) -> list[dict]:
    """Decode or render every page that needs reading by OCR once, and keep the rendered images
    of PDF/TIFF pages in the store; a PDF page with a usable text layer is not rendered (its
    image_key stays empty until it is first viewed)."""
    store = blob_store()
    pages = []
    single_image = item.kind in ("jpeg", "png")
    for page in timed(DECODE, open_pages(item.data, item.kind, item.source, options, render=False)):
        if page.error:  # this page cannot be decoded: recorded failed, the file's other pages go on
            pages.append({"number": page.number, "image_key": "", "status": Page.Status.FAILED, "error": page.error})
            continue
        if single_image:
            image_key = original_key  # the original is the page; decoded again when read
        elif not page.rendered:
            image_key = ""  # rendered when first viewed (pipeline/pages.load_page_image)
        else:
            image_key = store.put(page_image_key(digest, page.number, options.dpi), encode_page_image(page.image))
        layer = page.text_layer
        width, height = page.size
        pages.append(
            {
                "number": page.number,
                "image_key": image_key,
                "width": width,
                "height": height,
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
