from django.db.models import Count
from django.shortcuts import render

from casework.progress import batch_progress
from casework.queue import queue_size
from core.labels import FLAG_ZH, REASON_ZH, SEVERITY_ZH
from pipeline.exclusions import possible_exclusions
from records.models import Batch, Case, Flag, Page
from web.roles import CLERK, REVIEWER, has_role, role_required
from web.visibility import scope_of


@role_required(CLERK)
def dashboard(request):
    seen = scope_of(request.user)  # clerks: their own batches and the cases those touch
    cases = seen.cases(Case.objects.all())
    stages = dict(cases.values_list("stage").annotate(n=Count("id")))
    flag_counts = (
        Flag.objects.filter(status=Flag.Status.OPEN, case__in=cases)
        .values("code", "severity").annotate(n=Count("id")).order_by("-n")
    )
    open_batches = seen.batches(Batch.objects.exclude(status=Batch.Status.CLOSED)).order_by("-id")[:10]
    failures = Page.objects.filter(status=Page.Status.FAILED, file__in=seen.files()).select_related("file").order_by("-updated_at")[:10]
    unmatched = None if seen.everything else list(seen.documents().filter(case__isnull=True).values_list("pk", flat=True))
    return render(
        request,
        "web/dashboard.html",
        {
            "stages": [(label, stages.get(value, 0)) for value, label in Case.Stage.labelled()],
            "flag_counts": [
                dict(f, label=FLAG_ZH.get(f["code"], f["code"]), severity_zh=SEVERITY_ZH.get(f["severity"], f["severity"]))
                for f in flag_counts
            ],
            "batches": [batch_progress(b.pk, with_files=False) for b in open_batches],
            "failures": failures,
            "queue_size": queue_size() if seen.everything else seen.documents().filter(review_status="pending").count(),
            "cases_total": cases.count(),
            "exclusions": [exclusion_view(x, None if seen.everything else set(cases.values_list("pk", flat=True)))
                           for x in possible_exclusions(unmatched)],
            "can_review": has_role(request.user, REVIEWER),
        },
    )


def exclusion_view(x, visible_cases: set[int] | None = None) -> dict:
    """One 可能的排除情形: the document, what it says, and the roster's closest candidates."""
    fields = {f.name: f.value for f in x.document.fields.all()}
    return {
        "document": x.document,
        "reason_zh": REASON_ZH.get(x.reason, "排除情形"),
        "name": fields.get("name", ""),
        "birth_date": fields.get("birth_date", ""),
        "unit": fields.get("employer") or fields.get("placement_unit") or "",
        "candidates": [
            {"case": case, "name": c.name, "birth_date": c.birth_date or "", "unit": c.unit,
             "score": c.score, "agrees": "、".join(c.agrees)}
            for c, case in x.candidates
            if visible_cases is None or case.pk in visible_cases  # a clerk never sees others' people
        ],
    }

