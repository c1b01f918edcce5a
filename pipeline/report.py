"""The batch report, contract casefile.report/1 (report/casefile.report-1.schema.json)."""
from __future__ import annotations

from pipeline.exclusions import possible_exclusions
from records.models import Batch, BatchFile, Case, Document, Page

SCHEMA = "casefile.report/1"


def build_report(batch_id: int) -> dict:
    """The batch's report: its roster's cases if it came with one, else the cases its documents reached."""
    case_ids = Batch.objects.get(pk=batch_id).roster_cases
    uploads = list(BatchFile.objects.filter(batch_id=batch_id).select_related("file").order_by("id"))
    errors = [{"source": u.source, "message": u.error} for u in uploads if u.error]
    duplicates = []
    documents = []
    doc_ids: list[str] = []
    doc_pks: list[int] = []
    seen_files: dict[int, str] = {}
    for upload in uploads:
        if upload.file is None:
            continue
        if upload.file_id in seen_files or upload.duplicate_of_id is not None:
            earlier = seen_files.get(upload.file_id) or upload.duplicate_of.source
            duplicates.append(
                {
                    "source": upload.source,
                    "same_as": earlier,
                    "message": f"{upload.source}：与已上传的“{earlier}”内容完全相同，未重复处理",
                }
            )
            if upload.file_id in seen_files:
                continue
        seen_files[upload.file_id] = upload.source
        for page in Page.objects.filter(file_id=upload.file_id, status=Page.Status.FAILED):
            # A page's reason names the file, so a console line or a list of errors stands alone.
            message = page.error if page.error.startswith(f"{upload.source}：") else f"{upload.source}：{page.error}"
            errors.append({"source": upload.source, "message": message})
        docs = Document.objects.filter(file_id=upload.file_id).select_related("case")
        for doc in docs.prefetch_related("fields", "row_links__case"):
            documents.append(_document(doc, upload.source))
            doc_ids.append(doc.public_id)
            doc_pks.append(doc.pk)
    if case_ids is None:
        case_ids = sorted(
            {d["case_id_number"] for d in documents if d["case_id_number"]}
            | {r["case_id_number"] for d in documents for r in d.get("row_cases", ())}
        )
    cases = [_case(c) for c in Case.objects.filter(id_number__in=case_ids).order_by("id")]
    return {
        "schema": SCHEMA,
        "documents": documents,
        "cases": cases,
        "unmatched_documents": [d["id"] for d in documents if d["case_id_number"] is None and not d.get("row_cases")],
        "errors": errors,
        "duplicates": duplicates,
        # Excluding documents that link to no case, with the roster's closest candidates: never just unmatched.
        "possible_exclusions": [x.to_dict() for x in possible_exclusions(doc_pks)],
    }


def _document(doc: Document, source: str) -> dict:
    out = {
        "id": doc.public_id,
        "source": source,
        "pages": list(doc.pages),
        "doc_type": doc.doc_type,
        "doc_type_confidence": round(doc.doc_type_conf, 3),
        "case_id_number": doc.case.id_number if doc.case else None,
        "fields": {
            f.name: {"value": f.value, "confidence": round(f.confidence, 3), "page": f.page, "bbox": list(f.bbox)}
            for f in doc.fields.all()
        },
    }
    rows = sorted(doc.row_links.all(), key=lambda r: r.row)
    if rows:
        out["row_cases"] = [{"row": r.row, "case_id_number": r.case.id_number} for r in rows]
    return out


def _case(case: Case) -> dict:
    derived = case.derived_values
    return {
        "id_number": case.id_number,
        "name": case.name,
        "documents": [d.public_id for d in case.evidence().order_by("id")],
        "derived": derived.to_dict() if derived else {},  # {}: not evaluated yet
        "flags": [_flag(f) for f in case.flags.filter(status="open").order_by("id")],
    }


def _flag(f) -> dict:
    out = {"code": f.code, "doc_type": f.doc_type, "severity": f.severity, "message": f.message,
           "evidence": [e.to_dict() for e in f.evidence_refs]}
    if f.provisional:
        out["provisional"] = f.provisional  # the unconfirmed, uncertain pages that may cause it
    return out
