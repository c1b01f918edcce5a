"""Exports for the bureau: one spreadsheet row per case, and a printable evidence summary per case.

The spreadsheet carries full ID numbers because it is imported into the bureau's own system;
do not hand it to anyone outside the bureau.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from cases import CaseDerived, CaseOptions
from core.codes import DocType
from core.labels import (
    DOC_TYPE_SHORT, DOC_TYPE_ZH, FACT_ZH, FIELD_ZH, PERIOD_ZH, SEVERITY_ZH, value_zh,
)
from records.models import Case, Document, Flag, RowLink

PENDING_RULE_ZH = {
    "after_discharge_month": "自退出现役次月起",
    "discharge_month": "自退出现役当月起",
    "letter_month": "至安置介绍信开具当月止",
    "month_before_letter": "至安置介绍信开具前一月止",
}
# Header → column width (characters); the order is the column order.
# The month sets the 社保 office works from, beyond service and pending (columns of their own).
EXPORTED_PERIODS = ("employment", "after_termination", "paid", "arrears", "interrupted", "back_payment")

COLUMNS = {
    "姓名": 10,
    "公民身份号码": 21,
    "阶段": 8,
    "花名册其他信息": 36,
    "入伍时间": 10,
    "退出现役时间": 12,
    "安置介绍信开具时间": 12,
    "解除（终止）劳动合同时间": 14,
    "服役月数": 9,
    "待安置月数": 10,
    "待安置起止": 20,
    **{column: width for key in EXPORTED_PERIODS for column, width in ((f"{PERIOD_ZH[key]}月数", 9), (f"{PERIOD_ZH[key]}起止", 24))},
    "材料数": 7,
    "缺少材料": 28,
    "未处理问题数": 9,
    "未处理问题": 60,
}
WRAP_COLUMNS = ("花名册其他信息", "缺少材料", "未处理问题")
FIELD_ORDER = {name: i for i, name in enumerate(FIELD_ZH)}  # the order of the paper forms


CHUNK = 500  # cases whose documents, fields and flags are read together


def _load(cases: Iterable[Case] | None) -> Iterator[Case]:
    """The cases with everything the export reads, a chunk at a time: a few queries per chunk
    of CHUNK cases, never one per case, and no query whose parameters grow with the workspace
    (prefetching a forward key such as a document's file over thousands of documents made
    SQLite refuse the query: "Expression tree is too large")."""
    cases = Case.objects.order_by("id") if cases is None else cases
    chunk: list[Case] = []
    for case in cases.iterator(chunk_size=CHUNK) if isinstance(cases, QuerySet) else cases:
        chunk.append(case)
        if len(chunk) == CHUNK:
            yield from _with_evidence(chunk)
            chunk = []
    if chunk:
        yield from _with_evidence(chunk)


def _with_evidence(chunk: list[Case]) -> list[Case]:
    prefetch_related_objects(
        chunk,
        Prefetch("documents", queryset=Document.objects.select_related("file").prefetch_related("fields")),
        Prefetch("row_links", queryset=RowLink.objects.select_related("document__file").prefetch_related("document__fields")),
        "flags",
    )
    return chunk


def _documents(case: Case) -> list[Document]:
    rows = [r.document for r in case.row_links.all()]  # lists of several veterans: this one's rows
    return sorted({d.pk: d for d in [*case.documents.all(), *rows]}.values(), key=lambda d: d.pk)


def _is_open(flag: Flag) -> bool:
    return flag.status == Flag.Status.OPEN


def _open_flags(case: Case) -> list[Flag]:
    return sorted(filter(_is_open, case.flags.all()), key=lambda f: f.pk)


def _attributes_text(attributes: dict) -> str:
    return "；".join(f"{k}：{v}" for k, v in attributes.items() if v not in (None, ""))


def _fact_month(derived: CaseDerived, fact: str) -> str:
    return derived.dates[fact].month if fact in derived.dates else ""


def _pending_text(derived: CaseDerived) -> str:
    period = derived.pending_period
    return f"{period.start} 至 {period.end}" if period else ""


def _missing_types(case: Case, required: tuple[str, ...]) -> list[str]:
    present = {d.doc_type for d in _documents(case)}
    return [t for t in required if t not in present]


def _blank_if_none(value):
    return "" if value is None else value


def _period_columns(derived: CaseDerived) -> dict:
    out = {}
    for key in EXPORTED_PERIODS:
        found = derived.periods.get(key)
        out[f"{PERIOD_ZH[key]}月数"] = found.months if found else ""
        out[f"{PERIOD_ZH[key]}起止"] = found.ranges_zh if found else ""
    return out


def _row(case: Case, required: tuple[str, ...]) -> dict:
    derived = case.derived_values or CaseDerived.empty()
    flags = _open_flags(case)
    return {
        "姓名": case.name,
        "公民身份号码": case.id_number,
        "阶段": case.get_stage_display(),
        "花名册其他信息": _attributes_text(case.attributes or {}),
        **{label: _fact_month(derived, fact) for fact, label in FACT_ZH.items()},
        "服役月数": _blank_if_none(derived.service_months),
        "待安置月数": _blank_if_none(derived.pending_placement_months),
        "待安置起止": _pending_text(derived),
        **_period_columns(derived),
        "材料数": len(_documents(case)),
        "缺少材料": "、".join(DOC_TYPE_SHORT.get(t, t) for t in _missing_types(case, required)),
        "未处理问题数": len(flags),
        "未处理问题": "\n".join(f.message for f in flags),
    }


def case_rows(options: CaseOptions, cases: Iterable[Case] | None = None) -> list[dict]:
    """One dict per case, keys are the Chinese column headers in COLUMNS order; the documents
    missing are those the bureau's policy requires (options), like the rules that flagged the cases."""
    return [_row(case, options.required_doc_types) for case in _load(cases)]


def write_cases_xlsx(path_or_buffer, options: CaseOptions, cases: Iterable[Case] | None = None) -> None:
    """The case list as an .xlsx workbook: sheet 案卷 (one row per case) and sheet 说明."""
    rows = case_rows(options, cases)
    wb = Workbook()
    ws = wb.active
    ws.title = "案卷"
    headers = list(COLUMNS)
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for r, row in enumerate(rows, start=2):
        for c, header in enumerate(headers, start=1):
            value = row[header]
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                # openpyxl would store "=..." as a formula; roster and OCR text must stay text.
                cell.data_type = "s"
            if header in WRAP_COLUMNS:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if header == "公民身份号码":
                # Text format, so editing the cell in Excel does not turn 18 digits into 1.1E+17.
                cell.number_format = "@"
    for c, width in enumerate(COLUMNS.values(), start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"

    info = wb.create_sheet("说明")
    info.append(["导出时间", timezone.localtime(timezone.now()).strftime("%Y-%m-%d %H:%M:%S")])
    info.append(["案卷数", len(rows)])
    info.append(["说明", "公民身份号码为完整号码，仅供本局内部业务系统使用，请勿外传。"])
    info.column_dimensions["A"].width = 12
    info.column_dimensions["B"].width = 60
    wb.save(path_or_buffer)


def _doc_ref(doc: Document, page: int | None = None) -> dict:
    return {
        "public_id": doc.public_id,
        "file_name": doc.file.first_name,
        "pages": [page] if page else list(doc.pages),
        "doc_type": DOC_TYPE_ZH.get(doc.doc_type, doc.doc_type),
        "review_status": doc.get_review_status_display(),
    }


def _identity_value(docs: list[Document], name: str) -> str:
    """A personal field as the documents state it, the ID card first (it is the authority)."""
    for doc in sorted(docs, key=lambda d: d.doc_type != DocType.ID_CARD):
        for f in doc.fields.all():
            if f.name == name and f.value:
                return value_zh(name, f.value)
    return ""


def _key_dates(derived: CaseDerived, by_id: dict[str, Document]) -> list[dict]:
    result = []
    for fact, label in FACT_ZH.items():
        chosen = derived.dates.get(fact)
        doc = by_id.get(chosen.document) if chosen else None
        page = next((f.page for f in doc.fields.all() if f.name == chosen.field), None) if doc else None
        result.append(
            {
                "label": label,
                "month": chosen.month if chosen else "",
                "value": chosen.value if chosen else "",
                "field": FIELD_ZH.get(chosen.field, chosen.field) if chosen else "",
                # The proving document may have been unlinked since evaluation: keep its id anyway.
                "document": _doc_ref(doc, page) if doc else ({"public_id": chosen.document} if chosen else None),
            }
        )
    return result


def _pending(derived: CaseDerived) -> dict:
    period = derived.pending_period
    rules = [PENDING_RULE_ZH.get(rule, "") for rule in ((period.start_rule, period.end_rule) if period else ())]
    return {
        "service_months": derived.service_months,
        "pending_placement_months": derived.pending_placement_months,
        "pending_period": _pending_text(derived),
        "pending_rule": "，".join(r for r in rules if r),
    }


def _checklist(docs: list[Document], required: tuple[str, ...]) -> list[dict]:
    return [
        {
            "doc_type": t,
            "label": DOC_TYPE_ZH.get(t, t),
            "present": any(d.doc_type == t for d in docs),
            "documents": [_doc_ref(d) for d in docs if d.doc_type == t],
        }
        for t in required
    ]


def _document_detail(doc: Document) -> dict:
    fields = sorted(doc.fields.all(), key=lambda f: (f.page, FIELD_ORDER.get(f.name, len(FIELD_ORDER)), f.name))
    return {
        **_doc_ref(doc),
        "review_status": doc.get_review_status_display(),
        "fields": [
            {
                "label": FIELD_ZH.get(f.name, f.name),
                "value": value_zh(f.name, f.value),
                "confidence": round(f.confidence, 2),
                "page": f.page,
                "source": f.get_source_display(),
                "reviewed_by": f.reviewed_by,
            }
            for f in fields
        ],
    }


def _flag_detail(flag: Flag) -> dict:
    return {
        "code": flag.code,
        "message": flag.message,
        "severity": SEVERITY_ZH.get(flag.severity, flag.severity),
        "status": flag.get_status_display(),
        "is_open": _is_open(flag),
        "note": flag.note,
        "resolved_by": flag.resolved_by,
        # the document and field each flag rests on, e.g. "D000012 姓名"
        "evidence": [f"{e.document} {FIELD_ZH.get(e.field, e.field)}".strip() for e in flag.evidence_refs],
    }


def case_summary(case: Case, options: CaseOptions) -> dict:
    """Everything the printable evidence summary (web/case_print.html) shows for one case; its
    checklist is of the documents the bureau's policy requires (options)."""
    [case] = _with_evidence([case])
    docs = _documents(case)
    derived = case.derived_values or CaseDerived.empty()
    checklist = _checklist(docs, options.required_doc_types)
    return {
        "name": case.name,
        "id_number": case.id_number,
        "gender": _identity_value(docs, "gender"),
        "birth_date": _identity_value(docs, "birth_date"),
        "stage": case.get_stage_display(),
        "attributes": [{"key": k, "value": v} for k, v in (case.attributes or {}).items()],
        "dates": _key_dates(derived, {d.public_id: d for d in docs}),
        **_pending(derived),
        "periods": derived.period_rows(),
        "contribution_record": derived.contribution_record,
        "checklist": checklist,
        "missing": [item["label"] for item in checklist if not item["present"]],
        "documents": [_document_detail(d) for d in docs],
        # Open problems first: they are what the reviewer must act on.
        "flags": [_flag_detail(f) for f in sorted(case.flags.all(), key=lambda f: (not _is_open(f), f.pk))],
        "open_flag_count": len(_open_flags(case)),
    }
