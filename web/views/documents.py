"""The document list (文件): every document the user may see, with filters, sorting, paging and a
full-text search over what was read (records/search.py); saved views per user; bulk actions for
reviewers (confirm, change type, attach to a case, send to review), each document's change audited
as the single action is. And the case panel of the review screen: the document's case, the
roster's best candidates, attach and detach with the case's flags re-evaluated in the response."""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from cases.exclusions import rank_candidates
from casework import review
from casework.queue import TYPE_UNCERTAIN_ZH, type_uncertain
from core.errors import UserError
from core.labels import DOC_TYPE_SHORT, REVIEW_STATUS_ZH
from core.types import DOC_TYPES
from pipeline.exclusions import CaseKnowledge
from pipeline.linking import document_facts, roster_entry
from records import search
from records.models import BatchFile, Case, Document
from web.context import options
from web.models import SavedView
from web.roles import CLERK, REVIEWER, has_role, role_required
from web.views.review import flags_context
from web.visibility import require_visible, scope_of

PER_PAGE = 50
MAX_CASE_CHOICES = 3000
UNMATCHED_ZH = "未匹配"
STATES = {"pending": REVIEW_STATUS_ZH["pending"], "confirmed": REVIEW_STATUS_ZH["confirmed"],
          "unmatched": UNMATCHED_ZH, "uncertain": TYPE_UNCERTAIN_ZH}
SORTS = {
    "-id": ("-id", "最新在前"), "id": ("id", "最早在前"),
    "confidence": ("doc_type_conf", "置信度从低到高"), "-confidence": ("-doc_type_conf", "置信度从高到低"),
    "type": ("doc_type", "按类型"), "case": ("case__name", "按案卷姓名"), "batch": ("batch_id", "按批次"),
}
KEYS = ("q", "type", "state", "conf", "batch", "case", "from", "to", "sort")  # what a saved view keeps
CONFIDENCE = {"lt0.5": ("低于 0.50", "lt", 0.5), "lt0.8": ("低于 0.80", "lt", 0.8), "lt0.9": ("低于 0.90", "lt", 0.9),
              "ge0.9": ("0.90 及以上", "gte", 0.9)}  # of the document type
BULK_ACTIONS = {"confirm": "确认", "change_type": "修改类型", "attach": "归入案卷", "send_to_review": "送复核"}


def type_zh(code: str) -> str:
    """A document type in words (core.labels, the one code-to-words mapping)."""
    return DOC_TYPE_SHORT.get(code, DOC_TYPE_SHORT["other"])


def filtered(request, params: QueryDict):
    """The documents of the list, as the parameters ask; the user's scope applied first."""
    batch_of = BatchFile.objects.filter(file_id=OuterRef("file_id")).order_by("id")
    docs = scope_of(request.user).documents(Document.objects.all()).select_related("file", "case").annotate(
        batch_id=Subquery(batch_of.values("batch_id")[:1]),
        batch_at=Subquery(batch_of.values("batch__created_at")[:1]),
    )
    if params.get("type") in DOC_TYPES:
        docs = docs.filter(doc_type=params["type"])
    state = params.get("state", "")
    threshold = options().cases.rules.type_confidence_threshold
    if state in ("pending", "confirmed"):
        docs = docs.filter(review_status=state)
    elif state == "unmatched":
        docs = docs.filter(case__isnull=True, row_links__isnull=True)
    elif state == "uncertain":
        docs = docs.filter(doc_type_conf__lt=threshold).exclude(review_status=Document.Review.CONFIRMED)
    if params.get("conf") in CONFIDENCE:
        _, op, bound = CONFIDENCE[params["conf"]]
        docs = docs.filter(**{f"doc_type_conf__{op}": bound})
    if (params.get("batch") or "").strip().isdigit():
        docs = docs.filter(file_id__in=BatchFile.objects.filter(batch_id=int(params["batch"])).values("file_id"))
    case = (params.get("case") or "").strip()
    if case:
        docs = docs.filter(Q(case__name__contains=case) | Q(case__id_number__contains=case))
    since, until = parse_date(params.get("from") or "") if _is_date(params.get("from")) else None, (
        parse_date(params.get("to") or "") if _is_date(params.get("to")) else None)
    if since:
        docs = docs.filter(file__created_at__date__gte=since)
    if until:
        docs = docs.filter(file__created_at__date__lte=until)
    docs = search.search(docs, params.get("q", ""))
    order = SORTS.get(params.get("sort", ""), SORTS["-id"])[0]
    return docs.order_by(order, "-id" if order != "-id" else "id")


def _is_date(text) -> bool:
    try:
        return bool(text) and parse_date(text) is not None
    except ValueError:
        return False


def _states(doc: Document, rules) -> list[str]:
    out = [REVIEW_STATUS_ZH.get(doc.review_status, "")]
    if doc.case_id is None and not getattr(doc, "has_rows", False):
        out.append(UNMATCHED_ZH)
    if type_uncertain(doc, rules):
        out.append(TYPE_UNCERTAIN_ZH)
    return out


@role_required(CLERK)
def document_list(request):
    params = request.GET
    paginator = Paginator(filtered(request, params), PER_PAGE)
    page = paginator.get_page(params.get("page"))
    rules = options().cases.rules
    docs = list(page.object_list)
    with_rows = set(Document.objects.filter(pk__in=[d.pk for d in docs], row_links__isnull=False).values_list("pk", flat=True))
    texts = dict(search.SearchEntry.objects.filter(document_id__in=[d.pk for d in docs]).values_list("document_id", "text")) if params.get("q") else {}
    rows = []
    for d in docs:
        d.has_rows = d.pk in with_rows
        rows.append({"doc": d, "type_zh": type_zh(d.doc_type), "states": _states(d, rules),
                     "snippet": search.snippet(texts.get(d.pk, ""), params.get("q", ""))})
    kept = {k: params.get(k, "") for k in KEYS if params.get(k)}
    return render(
        request,
        "web/documents.html",
        {
            "rows": rows,
            "page": page,
            "total": paginator.count,
            "p": {k: params.get(k, "") for k in KEYS},
            "query": urlencode(kept),
            "doc_types": [(t, type_zh(t)) for t in DOC_TYPES],
            "states": list(STATES.items()),
            "confidences": [(k, label) for k, (label, _, _) in CONFIDENCE.items()],
            "sorts": [(k, label) for k, (_, label) in SORTS.items()],
            "saved": SavedView.objects.filter(user=request.user),
            "can_review": has_role(request.user, REVIEWER),
            "bulk_actions": list(BULK_ACTIONS.items()),
            # 归入案卷 offers the cases by name as one types (the value is the ID number: never ambiguous)
            "case_choices": scope_of(request.user).cases().order_by("name").values_list("id_number", "name")[:MAX_CASE_CHOICES]
            if has_role(request.user, REVIEWER) else [],
        },
    )


@require_POST
@role_required(CLERK)
def save_view(request):
    name = request.POST.get("name", "").strip()[:60]
    query = QueryDict(request.POST.get("query", ""))
    kept = urlencode({k: query.get(k) for k in KEYS if query.get(k)})
    if not name:
        messages.error(request, "请填写视图名称")
    else:
        SavedView.objects.update_or_create(user=request.user, name=name, defaults={"query": kept})
        messages.success(request, f"已保存视图“{name}”。")
    return redirect(f"/documents/?{kept}" if kept else "/documents/")


@require_POST
@role_required(CLERK)
def delete_view(request, view_id: int):
    view = get_object_or_404(SavedView, pk=view_id, user=request.user)  # only one's own
    view.delete()
    messages.success(request, f"已删除视图“{view.name}”。")
    return redirect("documents")


def _resolve_case(request, text: str) -> Case:
    """The case a reviewer named by its id, name or ID number: exactly one must match."""
    text = text.strip()
    if not text:
        raise review.ReviewError("请填写要归入的案卷（姓名或公民身份号码）")
    cases = scope_of(request.user).cases()
    if text.startswith("#") and text[1:].isdigit():
        found = list(cases.filter(pk=int(text[1:])))
    else:
        found = list(cases.filter(Q(name=text) | Q(id_number=text.upper()))[:3]) or list(
            cases.filter(Q(name__contains=text) | Q(id_number__contains=text.upper()))[:3]
        )
    if len(found) != 1:
        raise review.ReviewError(f"没有找到与“{text[:20]}”对应的案卷" if not found else f"“{text[:20]}”对应多个案卷，请输入完整的公民身份号码")
    return found[0]


@require_POST
@role_required(REVIEWER)
def bulk(request):
    """One action on the selected documents: each one's change is the single action (audited the
    same way); the cases they touch are re-linked and evaluated once at the end."""
    action = request.POST.get("action", "")
    ids = sorted({int(i) for i in request.POST.getlist("ids") if i.isdigit()})
    back = request.POST.get("back", "")
    target = f"/documents/?{back}" if back and not back.startswith(("/", "http")) else "/documents/"
    if action not in BULK_ACTIONS:
        messages.error(request, "请选择批量操作")
        return redirect(target)
    if not ids:
        messages.error(request, "请先勾选材料")
        return redirect(target)
    ids = list(scope_of(request.user).documents().filter(pk__in=ids).values_list("pk", flat=True))
    actor, opts = request.user.username, options()
    try:
        if action == "change_type":
            doc_type = request.POST.get("doc_type", "")
            if doc_type not in DOC_TYPES:
                raise review.ReviewError("请选择新的材料类型")
            one = lambda pk: review.change_doc_type(pk, doc_type, actor, opts)  # noqa: E731
        elif action == "attach":
            case = _resolve_case(request, request.POST.get("case", ""))
            one = lambda pk: review.attach_document(pk, case.pk, actor, opts)  # noqa: E731
        elif action == "confirm":
            one = lambda pk: review.confirm_document(pk, actor, opts)  # noqa: E731
        else:
            one = lambda pk: review.send_to_review(pk, actor, opts)  # noqa: E731
    except UserError as exc:
        messages.error(request, exc.message)
        return redirect(target)
    done, refused = 0, []
    with review.one_refresh(opts):
        for pk in ids:
            try:
                one(pk)
                done += 1
            except UserError as exc:
                refused.append(f"D{pk:06d}：{exc.message}")
            except Document.DoesNotExist:
                refused.append(f"D{pk:06d}：材料已不存在")
    messages.success(request, f"已对 {done} 份材料执行“{BULK_ACTIONS[action]}”，案卷已重新核对。")
    if refused:
        messages.error(request, "未能处理：" + "；".join(refused[:10]) + ("……" if len(refused) > 10 else ""))
    return redirect(target)


# --- the case panel of the review screen --------------------------------------------------------


def candidates(doc: Document, limit: int = 5) -> list[dict]:
    """The roster's people this document most likely belongs to (name similarity with pinyin and
    曾用名, birth month, ID number fragments, unit: cases/exclusions.rank_candidates)."""
    cases = {c.id_number: c for c in Case.objects.all()}
    if not cases:
        return []
    known = CaseKnowledge.of_linked_documents()
    ranked = rank_candidates(document_facts(doc), [roster_entry(c) for c in cases.values()], known.units,
                             limit=limit + 1, known_files=known.files)
    return [
        {"case": cases[c.id_number], "name": c.name, "birth_date": c.birth_date or "", "unit": c.unit,
         "score": c.score, "agrees": "、".join(c.agrees)}
        for c in ranked
        if cases[c.id_number].pk != doc.case_id
    ][:limit]


def _panel(request, doc: Document, oob: bool = False, error: str = ""):
    doc = Document.objects.select_related("case").prefetch_related("fields").get(pk=doc.pk)
    seen = scope_of(request.user)
    visible = None if seen.everything else set(seen.cases().values_list("pk", flat=True))
    shown = [c for c in candidates(doc) if visible is None or c["case"].pk in visible]  # a clerk never sees others' people
    return render(
        request,
        "web/_case_panel.html",
        {"doc": doc, "candidates": shown, "can_review": has_role(request.user, REVIEWER), "oob": oob,
         "error": error, "row_links": list(doc.row_links.select_related("case").order_by("row")), **flags_context(doc)},
    )


@role_required(CLERK)
def case_panel(request, document_id: int):
    return _panel(request, get_object_or_404(Document, pk=document_id))


@require_POST
@role_required(REVIEWER)
def link_case(request, document_id: int):
    """Attach (case=<id>) the document to a case: audited, the case evaluated again; the answer
    is the panel and the case's flags, swapped into the page without a reload."""
    doc = get_object_or_404(Document, pk=document_id)
    error = ""
    try:
        case_id = int(request.POST.get("case", ""))
        require_visible(request.user, case_id=case_id)
        review.attach_document(doc.pk, case_id, request.user.username, options())
    except (ValueError, UserError) as exc:
        error = getattr(exc, "message", "") or "案卷编号有误"
    return _panel_answer(request, doc, error)


@require_POST
@role_required(REVIEWER)
def unlink_case(request, document_id: int):
    doc = get_object_or_404(Document, pk=document_id)
    error = ""
    try:
        review.detach_document(doc.pk, request.user.username, options())
    except UserError as exc:
        error = exc.message
    return _panel_answer(request, doc, error)


def _panel_answer(request, doc: Document, error: str):
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        return redirect("document", document_id=doc.pk)
    return _panel(request, doc, oob=True, error=error)
