"""Cases: the list, one veteran's case file (identity, checklist, timeline, periods, flags with the
pages that prove them, history), flag decisions, the printable summary and the XLSX export."""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases import CaseDerived
from casework import review, workflow
from casework.queue import TYPE_UNCERTAIN_ZH, priority_marks, type_uncertain
from casework.workflow import stage_moves
from core.labels import (
    ACTION_ZH, DOC_TYPE_SHORT, FACT_ZH, FLAG_STATUS_ZH, FLAG_ZH, HISTORY_KEY_ZH, REVIEW_STATUS_ZH, SEVERITY_ZH, SOURCE_ZH,
    value_zh,
)
from records.models import AuditEvent, Case, Document, Field, Flag
from web.context import options
from web.roles import ADMIN, CLERK, REVIEWER, has_role, role_required
from web.views.feedback import attempt
from web.views.review import provisional_pages
from web.visibility import scope_of


CASES_PER_PAGE = 50


def filter_cases(user, q: str = "", stage: str = "", flag: str = ""):
    """The cases of the case list, as the page and the API (`GET /api/cases`) both show them: the
    user's scope (clerks: their batches' cases), searched (records.models.CaseQuerySet.search)."""
    return scope_of(user).cases(Case.objects.search(q, stage, flag))


@role_required(CLERK)
def case_list(request):
    params = request.GET
    cases = filter_cases(request.user, params.get("q", ""), params.get("stage", ""), params.get("flag", ""))
    paginator = Paginator(cases, CASES_PER_PAGE)
    page = paginator.get_page(params.get("page"))
    shown = list(cases.with_counts()[page.start_index() - 1:page.end_index()]) if paginator.count else []
    kept = {k: params.get(k) for k in ("q", "stage", "flag") if params.get(k)}
    return render(
        request,
        "web/cases.html",
        {"cases": [(c, priority_marks(c, options().priority)) for c in shown], "page": page, "total": paginator.count,
         "query": urlencode(kept), "stages": Case.Stage.labelled(), "q": params.get("q", "").strip(), "flag_zh": FLAG_ZH},
    )


@role_required(CLERK)
def case_file(request, case_id: int):
    case = get_object_or_404(Case, pk=case_id)
    derived = case.derived_values  # None until the case is evaluated
    docs = list(case.evidence().select_related("file").order_by("doc_type", "id"))
    flags = list(case.flags.order_by("status", "severity", "id"))
    return render(
        request,
        "web/case.html",
        {
            "case": case,
            "marks": priority_marks(case, options().priority),
            "checklist": checklist(docs),
            "timeline": timeline(derived),
            "derived": derived,
            "periods": derived.period_rows() if derived else [],
            "flags": [flag_view(f) for f in flags],
            "history": history(case, docs, flags),
            "can_review": has_role(request.user, REVIEWER),
            "uncertain_zh": TYPE_UNCERTAIN_ZH,
            "stage_zh": options().workflow.stage_zh(case.stage),
            "moves": stage_moves(case, options().workflow),
            "verification": [(p, p in case.verified) for p in options().workflow.verification_parts]
            if case.stage == "verification"
            else [],
        },
    )


@require_POST
@role_required(REVIEWER)
def move_stage(request, case_id: int):
    attempt(
        request,
        lambda: workflow.move_case(
            case_id, request.POST.get("target", ""), request.POST.get("reason", ""), request.user.username, options().workflow
        ),
        "案卷阶段已变更。",
    )
    return redirect("case", case_id=case_id)


@require_POST
@role_required(REVIEWER)
def record_verification(request, case_id: int):
    attempt(
        request,
        lambda: workflow.record_verification(
            case_id, request.POST.get("part", ""), request.POST.get("note", ""), request.user.username, options().workflow
        ),
        "核查结果已记录。",
    )
    return redirect("case", case_id=case_id)


def checklist(docs: list[Document]) -> list[dict]:
    required = options().cases.required_doc_types
    rules = options().cases.rules
    for d in docs:
        d.type_uncertain = type_uncertain(d, rules)  # shown as 类型待确认 beside the document
    types = list(required) + sorted({d.doc_type for d in docs} - set(required))
    return [
        {"type": t, "label": DOC_TYPE_SHORT.get(t, t), "required": t in required, "docs": [d for d in docs if d.doc_type == t]}
        for t in types
    ]


def timeline(derived: CaseDerived | None) -> list[dict]:
    dates = derived.dates if derived else {}
    return [
        {"label": label, "month": dates[fact].month, "value": dates[fact].value,
         "document": Document.pk_of(dates[fact].document), "field": dates[fact].field}
        for fact, label in FACT_ZH.items()
        if fact in dates
    ]


def flag_view(flag: Flag) -> dict:
    return {
        "flag": flag,
        "label": FLAG_ZH.get(flag.code, flag.code),
        "severity_zh": SEVERITY_ZH.get(flag.severity, flag.severity),
        "evidence": [{"document": Document.pk_of(e.document), "public_id": e.document, "field": e.field} for e in flag.evidence_refs],
        "provisional": provisional_pages(flag),
    }


def history(case: Case, docs: list[Document], flags: list[Flag]) -> list[dict]:
    doc_ids = [str(d.pk) for d in docs]
    field_names = {str(pk): name for pk, name in Field.objects.filter(document__in=docs).values_list("pk", "name")}
    field_ids = list(field_names)
    events = AuditEvent.objects.filter(
        Q(object_type="Case", object_id=str(case.pk))  # stage moves and verification results
        | Q(object_type="Document", object_id__in=doc_ids)
        | Q(object_type="Field", object_id__in=field_ids)
        | Q(object_type="Flag", object_id__in=[str(f.pk) for f in flags])
    ).order_by("-at")[:200]
    return [
        {"at": e.at, "actor": e.actor, "action": ACTION_ZH.get(e.action, e.action), "kind": e.action,
         "change": describe_change(e.before, e.after, field_names.get(e.object_id, "") if e.object_type == "Field" else "")}
        for e in events
    ]


KEY_ZH = HISTORY_KEY_ZH


def describe_change(before: dict | None, after: dict | None, field_name: str = "") -> str:
    """'值：周立新 → 张三丰；来源：识别 → 人工' — only what changed, in words a clerk reads."""
    before, after = before or {}, after or {}
    parts = []
    for key in [k for k in {**before, **after} if k in KEY_ZH]:
        old, new = before.get(key), after.get(key)
        if old != new:
            parts.append(f"{KEY_ZH[key]}：{_shown(key, old, field_name)} → {_shown(key, new, field_name)}")
    return "；".join(parts)


def _shown(key: str, value, field_name: str = "") -> str:
    if value in (None, ""):
        return "（空）"
    if key == "source":
        return SOURCE_ZH.get(value, value)
    if key == "doc_type":
        return DOC_TYPE_SHORT.get(value, value)
    if key == "case":  # stored as the case's id: the page shows whose it is
        return Case.objects.filter(pk=value).values_list("name", flat=True).first() or f"案卷 {value}"
    if key == "stage":
        return options().workflow.stage_zh(value)
    if key in ("status", "review_status"):
        return {**FLAG_STATUS_ZH, **REVIEW_STATUS_ZH}.get(value, value)
    if key == "value" and field_name:
        return value_zh(field_name, str(value))
    if isinstance(value, list):
        return "、".join(map(str, value))
    return str(value)


@require_POST
@role_required(REVIEWER)
def decide_flag(request, flag_id: int):
    flag = get_object_or_404(Flag.objects.select_related("case"), pk=flag_id)
    attempt(
        request,
        lambda: review.decide_flag(flag.pk, request.POST.get("status", ""), request.POST.get("note", ""), request.user.username),
        "问题已处理。",
    )
    return redirect("case", case_id=flag.case_id)


@role_required(CLERK)
def case_print(request, case_id: int):
    from casework.exports import case_summary

    case = get_object_or_404(Case, pk=case_id)
    return render(request, "web/case_print.html", {"s": case_summary(case, options().cases), "case_id": case.pk, "printed_at": timezone.localtime()})


@role_required(CLERK)
def export_cases(request):
    from casework.exports import write_cases_xlsx

    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="cases-{timezone.localtime():%Y%m%d-%H%M}.xlsx"'
    write_cases_xlsx(response, options().cases, scope_of(request.user).cases().order_by("id"))  # the same cases as the list
    return response


@role_required(ADMIN)
def roster_import(request):
    """Admins load the roster (CSV or XLSX with 姓名 and 公民身份号码): a case per row."""
    if request.method == "POST" and request.FILES.get("roster"):
        import tempfile
        from pathlib import Path

        from cases import RosterError
        from pipeline.linking import import_roster, link_imported

        upload = request.FILES["roster"]
        suffix = Path(upload.name).suffix.lower()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"roster{suffix}"
            path.write_bytes(upload.read())
            try:
                ids = import_roster(path, shown=upload.name)
            except RosterError as exc:
                messages.error(request, exc.message)
            else:
                link_imported(ids, options().cases)  # their papers already read are linked to them now
                AuditEvent.objects.create(
                    # The file's name may be long: it goes in the JSON, not the 40-character id column.
                    actor=request.user.username, action="import_roster", object_type="Roster", object_id="roster",
                    before=None, after={"file": upload.name, "cases": len(ids)},
                )
                messages.success(request, f"已导入花名册 {upload.name}：{len(ids)} 人。")
                return redirect("cases")
    return render(request, "web/roster.html")
