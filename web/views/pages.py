"""Scan images for the review screen, in the pixel frame the field boxes were measured in; the
page's remembered display rotation; the original file as uploaded.

Everything here shows personal data: web.security.NoStoreMiddleware keeps it out of caches."""
from __future__ import annotations

import io
from pathlib import PurePosixPath

import cv2
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from pipeline.context import blob_store
from pipeline.pages import load_page_image
from records.models import AuditEvent, Page
from web.context import options
from web.models import PageDisplay
from web.roles import CLERK, REVIEWER, role_required

THUMB_WIDTH = 240  # pixels: the page viewer's strip of thumbnails
ROTATIONS = (0, 90, 180, 270)
CONTENT_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "tiff": "image/tiff", "pdf": "application/pdf"}


@role_required(CLERK)
def page_image(request, page_id: int):
    """The stored page as JPEG; `?thumb=1` a small one for the thumbnail strip."""
    page = get_object_or_404(Page.objects.select_related("file"), pk=page_id)
    image = load_page_image(page, options())
    if request.GET.get("thumb") and image.shape[1] > THUMB_WIDTH:
        height = max(1, round(image.shape[0] * THUMB_WIDTH / image.shape[1]))
        image = cv2.resize(image, (THUMB_WIDTH, height), interpolation=cv2.INTER_AREA)
    ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 85])
    return HttpResponse(jpeg.tobytes(), content_type="image/jpeg")


def rotation_of(page: Page) -> int:
    display = PageDisplay.objects.filter(page=page).first()
    return display.rotation if display else 0


@require_POST
@role_required(REVIEWER)
def page_rotate(request, page_id: int):
    """Remember how the page is turned for display (clockwise quarter turns). The original and the
    stored page image stay as they are; the change is an audit event."""
    page = get_object_or_404(Page, pk=page_id)
    try:
        rotation = int(request.POST.get("rotation", "")) % 360
    except ValueError:
        rotation = -1
    if rotation not in ROTATIONS:
        return JsonResponse({"error": "旋转角度应为 0、90、180 或 270 度"}, status=400)
    before = rotation_of(page)
    PageDisplay.objects.update_or_create(page=page, defaults={"rotation": rotation, "updated_by": request.user.username})
    if before != rotation:
        AuditEvent.objects.create(
            actor=request.user.username, action="rotate_page", object_type="Page", object_id=str(page.pk),
            before={"rotation": before}, after={"rotation": rotation},
        )
    return JsonResponse({"page": page.pk, "rotation": rotation})


@role_required(CLERK)
def file_original(request, file_id: int):
    """The original file exactly as it was uploaded (its bytes, by sha256), as a download, for
    users whose visibility scope holds it (web.visibility); others are told it is not found."""
    from web.visibility import scope_of

    source = get_object_or_404(scope_of(request.user).files(), pk=file_id)
    data = blob_store().get(source.storage_key)
    name = PurePosixPath(source.first_name.replace("\\", "/")).name or f"original-{source.pk}"
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=name,
        content_type=CONTENT_TYPES.get(source.kind, "application/octet-stream"),
    )


def favicon(request):
    """/favicon.ico, which browsers ask for on their own: the static icon, cacheable."""
    from django.contrib.staticfiles import finders

    with open(finders.find("web/favicon.ico"), "rb") as f:
        response = HttpResponse(f.read(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    response.public_asset = True  # not personal data: web.security leaves its caching alone
    return response
