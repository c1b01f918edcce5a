from django.db.models import Count
from django.shortcuts import render

from core.labels import FLAG_ZH, SEVERITY_ZH
from pipeline.progress import batch_progress
from pipeline.queue import queue_size
from records.models import Batch, Case, Flag, Page
from web.roles import CLERK, role_required


@role_required(CLERK)
def dashboard(request):
    stages = dict(Case.objects.values_list("stage").annotate(n=Count("id")))
    flag_counts = (
        Flag.objects.filter(status=Flag.Status.OPEN).values("code", "severity").annotate(n=Count("id")).order_by("-n")
    )
    open_batches = Batch.objects.exclude(status=Batch.Status.CLOSED).order_by("-id")[:10]
    failures = Page.objects.filter(status=Page.Status.FAILED).select_related("file").order_by("-updated_at")[:10]
    return render(
        request,
        "web/dashboard.html",
        {
            "stages": [(label, stages.get(value, 0)) for value, label in Case.Stage.choices],
            "flag_counts": [
                dict(f, label=FLAG_ZH.get(f["code"], f["code"]), severity_zh=SEVERITY_ZH.get(f["severity"], f["severity"]))
                for f in flag_counts
            ],
            "batches": [batch_progress(b.pk, with_files=False) for b in open_batches],
            "failures": failures,
            "queue_size": queue_size(),
            "cases_total": Case.objects.count(),
        },
    )

