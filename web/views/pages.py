"""Scan images for the review screen, in the pixel frame the field boxes were measured in."""
import cv2
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import condition

from pipeline.pages import load_page_image
from records.models import Page
from web.context import options
from web.roles import CLERK, role_required


def _etag(request, page_id: int) -> str:
    page = Page.objects.filter(pk=page_id).values_list("image_key", flat=True).first()
    return page or ""


@role_required(CLERK)
@condition(etag_func=_etag)
def page_image(request, page_id: int):
    page = get_object_or_404(Page.objects.select_related("file"), pk=page_id)
    ok, jpeg = cv2.imencode(".jpg", load_page_image(page, options()), [cv2.IMWRITE_JPEG_QUALITY, 85])
    response = HttpResponse(jpeg.tobytes(), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response
