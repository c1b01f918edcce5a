"""A bug in a view or an API call: logged once under an incident id with its traceback (ID numbers
masked, core.errors.incident), and the user is told the id, never the exception's text."""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.html import escape

from core.errors import bug_message, incident

# Django answers these itself (404, 403, 400); they are not bugs.
_DJANGO_ANSWERS = (Http404, PermissionDenied, SuspiciousOperation, BadRequest)


class IncidentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if settings.DEBUG or isinstance(exception, _DJANGO_ANSWERS):
            return None
        message = bug_message(incident(exception, f"{request.method} {request.path}"))
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=500, json_dumps_params={"ensure_ascii": False})
        page = f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>内部错误</title><p>{escape(message)}</p><p><a href="/">返回首页</a></p></html>'
        return HttpResponse(page, status=500, content_type="text/html; charset=utf-8")
