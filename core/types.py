"""The values that travel between stages: words on a page, page types, fields, what rules flag."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from core.codes import DocType, FlagCode, Severity

# Page / document types (report contract casefile.report/1), declared with their words in core/codes.py.
DOC_TYPES: tuple[str, ...] = tuple(t.value for t in DocType)

FIELD_NAMES: tuple[str, ...] = (
    "name",
    "id_number",
    "gender",
    "birth_date",
    "enlistment_date",
    "discharge_date",
    "service_unit",
    "placement_unit",
    "placement_date",
    "employer",
    "termination_date",
    "termination_reason",
    "issue_date",
    # added for the evidence rules (#5); value formats in core/labels.py FIELD_FORMATS
    "former_name",
    "stated_service",
    "placement_method",
    "letter_serial",
    "placement_form",
    "stub_placement_date",
    "stub_placement_unit",
    "report_date",
    "issuer",
    "payment_kind",
    "paid_period",
    "former_employer",
    "military_status",
)

# Stored values of the coded fields.
PLACEMENT_METHODS: tuple[str, ...] = ("arranged_job", "self_employed", "returned_home", "retired", "other")
PLACEMENT_FORMS: tuple[str, ...] = ("letter", "stub", "letter_with_stub")
MILITARY_STATUSES: tuple[str, ...] = ("退出现役", "服现役", "预备役", "未服兵役")  # 户口簿 兵役状况
PAYMENT_KINDS: tuple[str, ...] = ("pending_allowance", "self_employment_grant", "discharge_pay", "other")

TERMINATION_REASONS: tuple[str, ...] = (
    "mutual_agreement",
    "bankruptcy",
    "restructuring",
    "expiry",
    "voluntary_departure",  # 自动离职 / 擅自离职
    "removal",              # 除名
    "dismissal",            # 开除
    "criminal_sentence",    # 判刑 / 追究刑事责任
    "other",
)

# Reasons that exclude a veteran from the programme (X6–X9, docs/programme.md#who-is-excluded).
DISQUALIFYING_REASONS: frozenset[str] = frozenset(
    {"voluntary_departure", "removal", "dismissal", "criminal_sentence"}
)

# (x0, y0, x1, y1) in pixels of the page image as rendered/decoded, original orientation.
BBox = tuple[int, int, int, int]


def union_bbox(boxes: list[BBox]) -> BBox:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


@dataclass(frozen=True)
class Word:
    text: str
    bbox: BBox
    conf: float  # 0..1
    # One confidence per non-space character, when the engine reports them for a word of several
    # (RapidOCR's digit runs): a misread digit hides in a word's mean, not here.
    char_confs: tuple[float, ...] = ()


@dataclass(frozen=True)
class Line:
    """A run of words read left to right; an OCR engine's text line or a table cell."""

    text: str
    bbox: BBox
    conf: float
    words: tuple[Word, ...] = ()


@dataclass
class PageText:
    """What was read from one page, in original page coordinates."""

    width: int
    height: int
    lines: list[Line]
    source: Literal["ocr", "text_layer"]
    engine: str  # "tesseract", "rapidocr", "pdfplumber", ...
    rotation: int = 0  # degrees clockwise applied before reading (0/90/180/270)
    skew: float = 0.0  # degrees of deskew applied

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in (line.words or (Word(line.text, line.bbox, line.conf),))]

    @property
    def mean_conf(self) -> float:
        if not self.lines:
            return 0.0
        return sum(line.conf for line in self.lines) / len(self.lines)

    def to_dict(self) -> dict:
        data = asdict(self)
        for line in data["lines"]:
            for word in line["words"]:
                if not word["char_confs"]:
                    del word["char_confs"]  # stored for every page: only where there is something to say
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "PageText":
        lines = [
            Line(
                text=ln["text"],
                bbox=tuple(ln["bbox"]),
                conf=ln["conf"],
                words=tuple(
                    Word(w["text"], tuple(w["bbox"]), w["conf"], tuple(w.get("char_confs", ())))
                    for w in ln.get("words", ())
                ),
            )
            for ln in data["lines"]
        ]
        return cls(
            width=data["width"],
            height=data["height"],
            lines=lines,
            source=data["source"],
            engine=data["engine"],
            rotation=data.get("rotation", 0),
            skew=data.get("skew", 0.0),
        )


@dataclass(frozen=True)
class PageClass:
    doc_type: str
    confidence: float
    # True when the page opens a new document (a title was seen), used to split
    # a whole-case PDF into documents.
    starts_document: bool = True
    runner_up: str | None = None  # the next most likely type, when a model gave one


@dataclass(frozen=True)
class ExtractedField:
    name: str  # one of FIELD_NAMES
    value: str  # normalised: YYYY-MM[-DD] for dates, 18-char ID, reason code, ...
    raw: str  # the text it was read from
    confidence: float
    page: int  # 1-based page number within the source file
    bbox: BBox
    # Positions in `value` of characters the OCR engine read unsure (extract/doubt.py); a rule
    # never raises an error on a difference there alone.
    doubtful: tuple[int, ...] = ()


@dataclass(frozen=True)
class EvidenceRef:
    """What a flag or a derived date rests on: a document (its public id, D000123, or a test's
    name for it) and the field of it read."""

    document: str
    field: str

    def to_dict(self) -> dict:
        return {"document": self.document, "field": self.field}

    @classmethod
    def from_dict(cls, data: dict) -> "EvidenceRef":
        return cls(data["document"], data.get("field", ""))


@dataclass(frozen=True)
class RuleFlag:
    """What a case rule found (cases/rules/): stored as a records.models.Flag row, which adds a
    reviewer's decision to it. Code and severity are taken as their enums, so an unknown one fails here."""

    code: FlagCode
    severity: Severity
    message: str  # Chinese, for clerks
    evidence: tuple[EvidenceRef, ...] = ()
    doc_type: DocType | None = None
    # Set when the flag may be caused by an unconfirmed, uncertain page (cases/rules/provisional.py):
    # {"documents": [id, ...], "pages": [{"document", "page", "cause": "doc_type" | "field" | "link", "field"?}]}
    provisional: dict | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", FlagCode(self.code))
        object.__setattr__(self, "severity", Severity(self.severity))
        if self.doc_type is not None:
            object.__setattr__(self, "doc_type", DocType(self.doc_type))

    def to_dict(self) -> dict:
        out = {
            "code": self.code.value,
            "doc_type": self.doc_type.value if self.doc_type else None,
            "severity": self.severity.value,
            "message": self.message,
            "evidence": [e.to_dict() for e in self.evidence],
        }
        if self.provisional:
            out["provisional"] = self.provisional
        return out
