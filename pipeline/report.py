"""The batch report, contract casefile.report/1 (report/casefile.report-1.schema.json)."""
from __future__ import annotations

from pipeline.exclusions import possible_exclusions
from records.models import Batch, BatchFile, Case, Document, Flag, Page, RowLink

SCHEMA = "casefile.report/1"


CHUNK = 500  # files or cases a query asks for (SQLite's expression limits)


def build_report(batch_id: int) -> dict:
    """The batch's report: its roster's cases if it came with one, else the cases its documents
    reached. Read a few hundred files or cases a query, not a file or case at a time."""
    case_ids = Batch.objects.get(pk=batch_id).roster_cases
    uploads = list(BatchFile.objects.filter(batch_id=batch_id).select_related("file").order_by("id"))
    errors = [{"source": u.source, "message": u.error} for u in uploads if u.error]
    duplicates = []
    documents = []
    doc_ids: list[str] = []
    doc_pks: list[int] = []
    seen_files: dict[int, str] = {}
    failed, docs_of = _files_content([u.file_id for u in uploads if u.file_id is not None])
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
        for error in failed.get(upload.file_id, ()):
            # A page's reason names the file, so a console line or a list of errors stands alone.
            message = error if error.startswith(f"{upload.source}：") else f"{upload.source}：{error}"
            errors.append({"source": upload.source, "message": message})
        for doc in docs_of.get(upload.file_id, ()):
            documents.append(_document(doc, upload.source))
            doc_ids.append(doc.public_id)
            doc_pks.append(doc.pk)
    if case_ids is None:
        case_ids = sorted(
            {d["case_id_number"] for d in documents if d["case_id_number"]}
            | {r["case_id_number"] for d in documents for r in d.get("row_cases", ())}
        )
    return {
        "schema": SCHEMA,
        "documents": documents,
        "cases": _cases(case_ids),
        "unmatched_documents": [d["id"] for d in documents if d["case_id_number"] is None and not d.get("row_cases")],
        "errors": errors,
        "duplicates": duplicates,
        # Excluding documents that link to no case, with the roster's closest candidates: never just unmatched.
        "possible_exclusions": [x.to_dict() for x in possible_exclusions(doc_pks)],
    }


def _files_content(file_ids: list[int]) -> tuple[dict[int, list[str]], dict[int, list[Document]]]:
    """Per file: the reasons of its failed pages (in page order), and its documents (in order,
    with their fields and row links)."""
    ids = sorted(set(file_ids))
    failed: dict[int, list[str]] = {}
    docs_of: dict[int, list[Document]] = {}
    for start in range(0, len(ids), CHUNK):
        part = ids[start:start + CHUNK]
        pages = Page.objects.filter(file_id__in=part, status=Page.Status.FAILED).order_by("file_id", "number")
        for file_id, error in pages.values_list("file_id", "error"):
            failed.setdefault(file_id, []).append(error)
        docs = Document.objects.filter(file_id__in=part).select_related("case").order_by("file_id", "index")
        for doc in docs.prefetch_related("fields", "row_links__case"):
            docs_of.setdefault(doc.file_id, []).append(doc)
    return failed, docs_of


def _cases(case_ids: list[str]) -> list[dict]:
    """The cases in the order they were created, each with its evidence and open flags."""
    out = []
    ordered = list(Case.objects.filter(id_number__in=case_ids).order_by("id")) if case_ids else []
    for start in range(0, len(ordered), CHUNK):
        part = ordered[start:start + CHUNK]
        pks = [c.pk for c in part]
        evidence: dict[int, set[int]] = {pk: set() for pk in pks}
        for case_pk, doc_pk in Document.objects.filter(case_id__in=pks).values_list("case_id", "pk"):
            evidence[case_pk].add(doc_pk)
        for case_pk, doc_pk in RowLink.objects.filter(case_id__in=pks).values_list("case_id", "document_id"):
            evidence[case_pk].add(doc_pk)
        flags: dict[int, list[Flag]] = {pk: [] for pk in pks}
        for f in Flag.objects.filter(case_id__in=pks, status="open").order_by("id"):
            flags[f.case_id].append(f)
        for case in part:
            out.append(_case(case, sorted(evidence[case.pk]), flags[case.pk]))
    return out


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


def _case(case: Case, evidence: list[int], flags: list[Flag]) -> dict:
    derived = case.derived_values
    return {
        "id_number": case.id_number,
        "name": case.name,
        "documents": [Document(pk=pk).public_id for pk in evidence],  # case.evidence(), in id order
        "derived": derived.to_dict() if derived else {},  # {}: not evaluated yet
        "flags": [_flag(f) for f in flags],
    }


def _flag(f) -> dict:
    out = {"code": f.code, "doc_type": f.doc_type, "severity": f.severity, "message": f.message,
           "evidence": [e.to_dict() for e in f.evidence_refs]}
    if f.provisional:
        out["provisional"] = f.provisional  # the unconfirmed, uncertain pages that may cause it
    return out
