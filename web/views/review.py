"""The review queue and the review screen: the scan with every field's box beside the fields,
keyboard-first (Enter confirms or saves a field and moves on, Ctrl+Enter confirms the document and
opens the next). Clerks may look; only reviewers may change anything."""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from casework import review
from casework.queue import TYPE_UNCERTAIN_ZH, field_uncertain, next_in_queue, priority_marks, queue_counts, review_queue, type_uncertain
from core.labels import DOC_TYPE_SHORT, FIELD_ZH, FLAG_ZH, SEVERITY_ZH, SOURCE_ZH, value_zh
from core.types import DOC_TYPES
from extract import FIELDS_BY_TYPE
from records.models import Document, Field, Page
from web.boxes import value_box
from web.context import options
from web.models import PageDisplay
from web.roles import CLERK, REVIEWER, has_role, role_required
from web.views.feedback import attempt, form_int


QUEUE_SHOWN = 300  # the head of the queue; the heading counts them all


@role_required(REVIEWER)
def queue(request):
    items = review_queue(options(), QUEUE_SHOWN)
    total, uncertain_n = queue_counts(options().cases.rules)
    return render(
        request,
        "web/queue.html",
        {
            "items": [(i, DOC_TYPE_SHORT.get(i.document.doc_type, "其他材料")) for i in items],
            "total": total,
            "shown": len(items),
            "uncertain_n": uncertain_n,
            "uncertain_zh": TYPE_UNCERTAIN_ZH,
        },
    )


@role_required(CLERK)
def document(request, document_id: int):
    doc = get_object_or_404(Document.objects.select_related("file", "case"), pk=document_id)
    file_pages = list(Page.objects.filter(file_id=doc.file_id).order_by("number"))
    pages = [p for p in file_pages if p.number in doc.pages]
    rows = field_rows(doc, {p.number: p.lines for p in pages})
    boxes = {p.number: [r for r in rows if r["box"] and r["field"].page == p.number] for p in pages}
    siblings = list(Document.objects.filter(file_id=doc.file_id).exclude(pk=doc.pk).order_by("index"))
    rotations = dict(PageDisplay.objects.filter(page__in=file_pages).values_list("page_id", "rotation"))
    owner = {n: d for d in siblings for n in d.pages}
    return render(
        request,
        "web/review.html",
        {
            "doc": doc,
            "pages": [(p, boxes[p.number], page_frame(p, rotations.get(p.pk, 0))) for p in pages],
            # the page viewer's strip: every page of the file, this document's and the others'
            "thumbs": [
                {"page": p, "this_doc": p.number in doc.pages, "document": owner.get(p.number), "rotation": rotations.get(p.pk, 0)}
                for p in file_pages
            ],
            "rows": rows,
            "doc_types": [(t, DOC_TYPE_SHORT[t]) for t in DOC_TYPES],
            "doc_type_zh": DOC_TYPE_SHORT.get(doc.doc_type, "其他材料"),
            "type_uncertain": type_uncertain(doc, options().cases.rules),
            "uncertain_zh": TYPE_UNCERTAIN_ZH,
            "siblings": siblings,
            "can_review": has_role(request.user, REVIEWER),
            "marks": priority_marks(doc.case, options().priority),
            "row_links": list(doc.row_links.select_related("case").order_by("row")),
            **flags_context(doc),
        },
    )


def page_frame(page: Page, rotation: int) -> dict:
    """The SVG frame of a page turned `rotation` degrees clockwise for display: its viewBox and the
    transform that puts the stored image (and the boxes measured on it) into it."""
    w, h = page.width or 1, page.height or 1
    transform = {90: f"translate({h} 0) rotate(90)", 180: f"translate({w} {h}) rotate(180)", 270: f"translate(0 {w}) rotate(270)"}
    turned = rotation in (90, 270)
    return {"rotation": rotation, "view_w": h if turned else w, "view_h": w if turned else h, "transform": transform.get(rotation, "")}


def field_rows(doc: Document, lines: dict[int, list] | None = None) -> list[dict]:
    fields = {f.name: f for f in doc.fields.all()}
    names = list(FIELDS_BY_TYPE.get(doc.doc_type, ())) + sorted(set(fields) - set(FIELDS_BY_TYPE.get(doc.doc_type, ())))
    rules = options().cases.rules
    lines = lines or {}
    return [field_row(name, fields.get(name), rules=rules, lines=lines) for name in names]


def field_row(name: str, field: Field | None, error: str = "", rules=None, lines: dict[int, list] | None = None) -> dict:
    decided = bool(field and (field.reviewed_at or field.source == Field.Source.REVIEWER))
    low = bool(field and field_uncertain(field, rules or options().cases.rules))
    return {
        "name": name,
        "label": FIELD_ZH.get(name, name),
        "field": field,
        "shown": value_zh(name, field.value) if field else "",
        "source_zh": SOURCE_ZH.get(field.source, "") if field else "",
        "low": low,
        "decided": decided,
        # what the field's box on the scan says: green decided, red uncertain, blue otherwise
        "state": "reviewer" if decided else "low" if low else "",
        "error": error,
        "box": _box(field, (lines or {}).get(field.page) if field else None),
    }


def _box(field: Field | None, lines: list | None = None) -> dict | None:
    """The field's place on its page as an SVG rectangle (bboxes are x0, y0, x1, y1 in page pixels),
    narrowed to the value's own words when the stored box is a whole line (web.boxes)."""
    if field is None or len(field.bbox) != 4:
        return None
    x0, y0, x1, y1 = value_box(field.bbox, field.raw or field.value, lines or []) if lines else field.bbox
    return {"x": round(x0, 1), "y": round(y0, 1), "w": round(max(x1 - x0, 1), 1), "h": round(max(y1 - y0, 1), 1)}


def flags_context(doc: Document) -> dict:
    flags = list(doc.case.flags.order_by("status", "severity", "id")) if doc.case else []
    return {
        "case": doc.case,
        "flags": [
            {
                "flag": f,
                "label": FLAG_ZH.get(f.code, f.code),
                "severity_zh": SEVERITY_ZH.get(f.severity, f.severity),
                "provisional": provisional_pages(f),
            }
            for f in flags
        ],
    }


def provisional_pages(flag) -> list[dict]:
    """The pages an open provisional flag waits on, as links: document pk, public id, page."""
    if flag.status != "open" or not flag.provisional:
        return []
    out = []
    for p in flag.provisional.get("pages", []):
        public_id = p.get("document", "")
        pk = Document.pk_of(public_id)
        if pk is not None:
            out.append({"document": pk, "public_id": public_id, "page": p.get("page"), "field": p.get("field", "")})
    return out


@require_POST
@role_required(REVIEWER)
def save_field(request, document_id: int, name: str):
    """Enter on a field: unchanged text confirms it, changed text corrects it."""
    doc = get_object_or_404(Document, pk=document_id)
    text = request.POST.get("value", "").strip()
    field = doc.fields.filter(name=name).first()
    error = ""
    try:
        if field is not None and text == value_zh(name, field.value):
            field = review.confirm_field(field.pk, request.user.username, options())
        else:
            field = review.correct_field(doc.pk, name, text, request.user.username, options())
    except review.ReviewError as exc:
        error = str(exc)
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, f"{FIELD_ZH.get(name, name)}：{error}")
        return redirect("document", document_id=doc.pk)
    doc.refresh_from_db()
    context = {"row": field_row(name, field, error), "doc": doc, "can_review": True, **flags_context(doc), "oob": True}
    return render(request, "web/_field_saved.html", context)


@require_POST
@role_required(REVIEWER)
def confirm_document(request, document_id: int):
    review.confirm_document(document_id, request.user.username, options())
    following = next_in_queue(document_id, options())
    messages.success(request, "材料已确认。")
    return redirect("document", document_id=following.pk) if following else redirect("review_queue")


@require_POST
@role_required(REVIEWER)
def change_type(request, document_id: int):
    doc_type = request.POST.get("doc_type", "")
    same = Document.objects.filter(pk=document_id, doc_type=doc_type).exists()  # 确认类型: the type stays
    attempt(
        request,
        lambda: review.change_doc_type(document_id, doc_type, request.user.username, options()),
        "材料类型已确认。" if same else "材料类型已修改，字段已按新类型重新提取。",
    )
    return redirect("document", document_id=document_id)


@require_POST
@role_required(REVIEWER)
def split(request, document_id: int):
    attempt(
        request,
        lambda: review.split_document(document_id, form_int(request, "page", "拆分页码"), request.user.username, options()),
        lambda second: f"已拆分：第 {second.pages[0]} 页起为新材料 {second.public_id}。",
    )
    return redirect("document", document_id=document_id)


@require_POST
@role_required(REVIEWER)
def merge(request, document_id: int):
    attempt(
        request,
        lambda: review.merge_documents(document_id, form_int(request, "other", "要合并的材料编号"), request.user.username, options()),
        "已合并。",
    )
    return redirect("document", document_id=document_id)


@require_POST
@role_required(REVIEWER)
def attach(request, document_id: int):
    """A reviewer says whose document this is (the dashboard's 可能的排除情形): it joins that case,
    the change is audited and the case evaluated again."""
    attempt(
        request,
        lambda: review.attach_document(document_id, form_int(request, "case", "案卷编号"), request.user.username, options()),
        lambda doc: f"材料 {doc.public_id} 已归入 {doc.case.name} 的案卷，案卷已重新核对。",
    )
    target = request.POST.get("next", "")
    return redirect(target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else "dashboard")
