"""The data model (docs/flow.md#the-data-model). Originals are content-addressed and never modified."""
from __future__ import annotations

from django.db import models
from django.db.models.functions import Coalesce

from cases.derived import CaseDerived
from core.codes import CaseStage
from core.types import EvidenceRef, RuleFlag
from extract.contributions import ContributionPeriod

# The logs stand apart (no row of theirs points at a case or a document); imported here so that
# Django registers them with the app and `records.models` names every model.
from records.logs import AuditEvent, LearnedState, TaskEvent  # noqa: F401


class Batch(models.Model):
    """One upload. It is closed (documents linked to cases, cases evaluated) once every one of
    its files is final; the closer claims it open → closing atomically, so it is closed once."""

    class Status(models.TextChoices):
        RECEIVING = "receiving", "上传中"  # files still being added; never closed in this state
        OPEN = "open", "处理中"
        CLOSING = "closing", "核对中"
        CLOSED = "closed", "已完成"

    label = models.CharField("批次说明", max_length=200, blank=True)
    uploaded_by = models.CharField("上传人", max_length=150, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    inputs = models.JSONField("输入路径", default=list)
    roster_cases = models.JSONField("名册身份证号", null=True, blank=True)  # None: no roster with this batch
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    claimed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "上传批次"

    def __str__(self) -> str:
        return f"批次 {self.pk} {self.label}"


class SourceFile(models.Model):
    """One distinct original (by sha256). Uploading the same bytes again reuses this row."""

    class Status(models.TextChoices):
        PENDING = "pending", "待处理"
        PROCESSING = "processing", "处理中"
        FINALIZING = "finalizing", "整理中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    sha256 = models.CharField(max_length=64, unique=True)
    kind = models.CharField("类型", max_length=10)
    size = models.BigIntegerField("字节数")
    storage_key = models.CharField(max_length=200)
    first_name = models.TextField("首次上传名称")  # any path: nested folders and archives have no length limit
    pages_total = models.PositiveIntegerField(default=0)
    pages_done = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)  # when finalisation claimed it

    class Meta:
        verbose_name = verbose_name_plural = "原始文件"
        indexes = [models.Index(fields=["status"], name="sourcefile_status_idx")]  # a batch's unfinished files

    def __str__(self) -> str:
        return f"{self.first_name} ({self.sha256[:10]})"


class BatchFile(models.Model):
    """A file as uploaded in one batch: its name there, and whether it repeated an earlier upload."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="files")
    source = models.TextField("上传路径")  # any path: nested folders and archives have no length limit
    raw_source = models.BinaryField("原始文件名字节", null=True, blank=True)  # the name's bytes when not UTF-8
    file = models.ForeignKey(SourceFile, on_delete=models.PROTECT, null=True, related_name="uploads")
    duplicate_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "批次文件"
        ordering = ["id"]


class Page(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待处理"
        RUNNING = "running", "处理中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    file = models.ForeignKey(SourceFile, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField("页码")
    image_key = models.CharField(max_length=200)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    dpi = models.PositiveIntegerField(default=0)
    has_text_layer = models.BooleanField(default=False)
    rotation = models.IntegerField(default=0)
    skew = models.FloatField(default=0.0)
    engine = models.CharField(max_length=40, blank=True)
    options_hash = models.CharField(max_length=40, blank=True)
    text = models.TextField(blank=True)
    lines = models.JSONField(default=list)  # [{text, bbox, conf, words: [...]}] in page pixels
    mean_conf = models.FloatField(default=0.0)
    doc_type = models.CharField(max_length=20, blank=True)
    doc_type_conf = models.FloatField(default=0.0)
    starts_document = models.BooleanField(default=False)
    classifier_version = models.CharField(max_length=60, blank=True)  # the page model that typed it
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)  # deliveries that started; bounded by max_attempts
    error = models.TextField(blank=True)
    seconds = models.FloatField(default=0.0)
    queued_at = models.DateTimeField(null=True, blank=True)  # last time a task was sent for it
    started_at = models.DateTimeField(null=True, blank=True)  # last time a worker began it
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "页面"
        unique_together = [("file", "number")]
        ordering = ["file_id", "number"]


class CaseQuerySet(models.QuerySet):
    def search(self, q: str = "", stage: str = "", flag: str = "") -> "CaseQuerySet":
        """The case lists' query (the 案卷 page and `GET /api/cases`): name or ID number containing
        `q`, at `stage`, with an open flag of code `flag` (each only when given); ordered by id.
        No counts: count it as it is, and annotate only the rows shown (`with_counts`)."""
        cases = self
        q = (q or "").strip()
        if q:
            cases = cases.filter(models.Q(name__contains=q) | models.Q(id_number__contains=q))
        if stage:
            cases = cases.filter(stage=stage)
        if flag:
            cases = cases.filter(models.Exists(Flag.objects.filter(case_id=models.OuterRef("pk"), code=flag, status=Flag.Status.OPEN)))
        return cases.order_by("id")

    def with_counts(self) -> "CaseQuerySet":
        """Annotated with open_flags and documents_n (its documents, and its rows on lists of
        several veterans: a list is never both, so the two counts add up), by correlated
        subqueries: annotating a page of rows costs that page, not the workspace."""
        return self.annotate(
            open_flags=_count_of(Flag, "case_id", status=Flag.Status.OPEN),
            documents_n=_count_of(Document, "case_id") + _count_of(RowLink, "case_id"),
        )


def _count_of(model, key: str, **conditions) -> Coalesce:
    counted = (model.objects.filter(**{key: models.OuterRef("pk")}, **conditions).order_by()
               .values(key).annotate(n=models.Count("pk")).values("n"))
    return Coalesce(models.Subquery(counted, output_field=models.IntegerField()), 0)


class Case(models.Model):
    objects = CaseQuerySet.as_manager()

    Stage = CaseStage  # the default stages of cases.workflow, with their words (core/codes.py)

    id_number = models.CharField("公民身份号码", max_length=18, unique=True)
    name = models.CharField("姓名", max_length=50)
    attributes = models.JSONField("名册其他信息", default=dict)
    stage = models.CharField("阶段", max_length=20, choices=CaseStage.labelled(), default=CaseStage.DRAFT.value)
    stage_changed_at = models.DateTimeField("进入本阶段时间", null=True, blank=True)
    verified = models.JSONField("已完成的核查", default=list, blank=True)  # e.g. ["社保", "医保"]
    derived = models.JSONField("推算结果", default=dict)  # CaseDerived.to_dict(); read it as derived_values
    evaluated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "案卷"

    def __str__(self) -> str:
        return f"{self.name} {self.id_number[:4]}…{self.id_number[-4:]}"

    @property
    def derived_values(self) -> CaseDerived | None:
        """What the evaluation worked out, typed (cases/derived.py); None until the case is evaluated."""
        return CaseDerived.from_dict(self.derived) if self.derived else None

    @derived_values.setter
    def derived_values(self, value: CaseDerived) -> None:
        self.derived = value.to_dict()

    def evidence(self) -> "models.QuerySet[Document]":
        """Every document that speaks for this veteran: those linked to the case, and lists of
        several veterans with a row linked to it (RowLink)."""
        return Document.objects.filter(models.Q(case=self) | models.Q(row_links__case=self)).distinct()


class Document(models.Model):
    class Review(models.TextChoices):
        PENDING = "pending", "待复核"
        CONFIRMED = "confirmed", "已确认"

    file = models.ForeignKey(SourceFile, on_delete=models.CASCADE, related_name="documents")
    index = models.PositiveIntegerField("文件内序号")
    pages = models.JSONField("页码", default=list)
    doc_type = models.CharField("材料类型", max_length=20)
    doc_type_conf = models.FloatField(default=0.0)
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents")
    # List documents (a payroll of several veterans): every person row, {field: {value, raw, ...}}.
    rows = models.JSONField(default=list, blank=True)
    # Contribution records (缴费记录): every period row read, {start, end, status, insurance, unit, page, bbox, raw}.
    contributions = models.JSONField(default=list, blank=True)
    link_method = models.CharField(max_length=20, blank=True)
    link_reason = models.CharField(max_length=200, blank=True)
    review_status = models.CharField(max_length=10, choices=Review.choices, default=Review.PENDING)

    class Meta:
        verbose_name = verbose_name_plural = "材料"
        unique_together = [("file", "index")]
        ordering = ["file_id", "index"]
        indexes = [models.Index(fields=["review_status", "doc_type_conf"], name="document_review_idx")]  # the queue

    @property
    def public_id(self) -> str:
        return f"D{self.pk:06d}"

    @staticmethod
    def pk_of(public_id: str | None) -> int | None:
        """The key of a document's public id (D000123 → 123); None for anything else."""
        if public_id and public_id[:1] == "D" and public_id[1:].isdigit():
            return int(public_id[1:])
        return None

    @property
    def contribution_periods(self) -> tuple[ContributionPeriod, ...]:
        """The stored period rows of a contribution record, as extraction read them."""
        return tuple(ContributionPeriod(**{**p, "bbox": tuple(p["bbox"])}) for p in self.contributions)


class RowLink(models.Model):
    """One row of a list that names several rostered veterans (a county's 生活补助 payroll),
    linked to that row's veteran. The list itself then belongs to no single case."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="row_links")
    row = models.PositiveIntegerField("行号（从0起）")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="row_links")
    method = models.CharField(max_length=20)
    reason = models.CharField(max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "名单行关联"
        unique_together = [("document", "row")]


class Field(models.Model):
    class Source(models.TextChoices):
        OCR = "ocr", "识别"
        TEXT_LAYER = "text_layer", "文本层"
        REVIEWER = "reviewer", "人工"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="fields")
    name = models.CharField(max_length=30)
    value = models.CharField(max_length=300)
    raw = models.TextField(blank=True)
    confidence = models.FloatField(default=0.0)
    page = models.PositiveIntegerField()
    bbox = models.JSONField(default=list)
    doubtful = models.JSONField(default=list, blank=True)  # ExtractedField.doubtful: unsure characters
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.OCR)
    extractor_version = models.CharField(max_length=20, blank=True)
    reviewed_by = models.CharField(max_length=150, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "字段"
        unique_together = [("document", "name")]


class Flag(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        RESOLVED = "resolved", "已解决"
        WAIVED = "waived", "已豁免"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="flags")
    code = models.CharField(max_length=40)
    doc_type = models.CharField(max_length=20, null=True, blank=True)
    severity = models.CharField(max_length=10)
    message = models.TextField()
    evidence = models.JSONField(default=list)
    # Set while the flag may be caused by an unconfirmed, uncertain page (cases/rules/provisional.py):
    # {"documents": [public id, ...], "pages": [{"document", "page", "cause", "field"?}, ...]}
    provisional = models.JSONField("暂定依据", null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_by = models.CharField(max_length=150, blank=True)
    note = models.TextField(blank=True)

    @classmethod
    def raised(cls, case: Case, flag: RuleFlag) -> "Flag":
        """A case rule's flag as its (unsaved) open row."""
        return cls(case=case, code=flag.code, doc_type=flag.doc_type, severity=flag.severity, message=flag.message,
                   evidence=[e.to_dict() for e in flag.evidence], provisional=flag.provisional)

    @property
    def evidence_refs(self) -> list[EvidenceRef]:
        """What the flag cites, typed (the stored list of {"document": public id, "field": name})."""
        return [EvidenceRef.from_dict(e) for e in self.evidence if e.get("document")]

    class Meta:
        verbose_name = verbose_name_plural = "问题提示"
        # a case's open flags (and errors), counted for the queue, the case list and the dashboard
        indexes = [models.Index(fields=["case", "status", "severity"], name="flag_case_status_idx"),
                   models.Index(fields=["status", "code"], name="flag_status_code_idx")]


class SearchEntry(models.Model):
    """The text a document is found by: the text read from its pages, its field values and its
    file's name, normalised (records/search.py). Indexed by an FTS5 trigram table on SQLite and a
    pg_trgm GIN index on PostgreSQL (migration 0009); kept up to date by records/search.py."""

    document = models.OneToOneField(Document, on_delete=models.CASCADE, primary_key=True, related_name="search_entry")
    text = models.TextField()

    class Meta:
        verbose_name = verbose_name_plural = "检索文本"


class LinkKey(models.Model):
    """What a document or a case can be reached by when documents are linked (cases/reach.py):
    sound keys of names, ID numbers, one-slip patterns of unreadable numbers. Indexed, so a
    reviewer's change links again only the documents it can affect (pipeline/linking.py:
    link_around). Written by linking; "*" marks a document or case whose keys are written."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, null=True, blank=True, related_name="link_keys")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True, related_name="link_keys")
    key = models.CharField(max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "关联索引"
        indexes = [models.Index(fields=["key", "document"], name="linkkey_key_doc_idx"),
                   models.Index(fields=["key", "case"], name="linkkey_key_case_idx")]
