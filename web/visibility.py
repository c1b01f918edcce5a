"""The visibility policy (casework/visibility.py) applied to the web: pages, exports and the API.

- `scope_of(user)` is what the user sees; list views and exports filter by it.
- `VisibilityMiddleware` guards every reading (GET, HEAD) of a URL that names one object (batch_id, page_id, file_id,
  document_id, case_id, flag_id, field_id in its path), for the pages and the API alike: an object the user
  may not see is answered 404 (未找到), before the view runs. API requests are signed in by their
  token (web.models.ApiToken); the middleware reads the token's user the way the API does.
"""
from __future__ import annotations

from django.http import Http404, JsonResponse

from casework.visibility import Scope, scope
from web.context import options
from web.roles import REVIEWER, has_role

_CHECKS = {
    "batch_id": Scope.sees_batch,
    "page_id": Scope.sees_page,
    "file_id": Scope.sees_file,
    "document_id": Scope.sees_document,
    "case_id": Scope.sees_case,
    "flag_id": Scope.sees_flag,
    "field_id": Scope.sees_field,
}
NOT_FOUND_ZH = "未找到"


def scope_of(user) -> Scope:
    return scope(getattr(user, "username", ""), has_role(user, REVIEWER), options().visibility)


def require_visible(user, **ids) -> None:
    """Http404 unless the user sees every object named (e.g. document_id=3)."""
    found = scope_of(user)
    for key, value in ids.items():
        if value is not None and not _CHECKS[key](found, int(value)):
            raise Http404(NOT_FOUND_ZH)


def _api_user(request):
    """The user of an API request's bearer token, or None (the API then answers 401 itself)."""
    from web.models import ApiToken, hash_secret

    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    found = ApiToken.objects.select_related("user").filter(
        key=hash_secret(header[7:].strip()), revoked=False, user__is_active=True
    ).first()
    return found.user if found else None


class VisibilityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        ids = {k: v for k, v in view_kwargs.items() if k in _CHECKS}
        if not ids or request.method not in ("GET", "HEAD"):
            # Writes: every change a clerk may make is to a batch of their own (web/uploads.py
            # refuses another's with the reason); every other change is a reviewer's, and
            # reviewers see everything. The view's own role and ownership checks decide.
            return None
        api = request.path.startswith("/api/")
        user = _api_user(request) if api else request.user
        if user is None or not getattr(user, "is_authenticated", False):
            return None  # the login page or the API's 401 answers
        found = scope_of(user)
        for key, value in ids.items():
            try:
                allowed = _CHECKS[key](found, int(value))
            except (TypeError, ValueError):
                allowed = False
            if not allowed:
                if api:
                    return JsonResponse({"detail": NOT_FOUND_ZH}, status=404)
                raise Http404(NOT_FOUND_ZH)  # Django's 404 page (templates/404.html)
        return None
