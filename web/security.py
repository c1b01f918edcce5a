"""Hardening for a bureau intranet: nothing a page or the API answers is kept in a browser's or a
proxy's cache, because pages, scans and exports show ID numbers and names."""
from __future__ import annotations


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response that passes through Django (pages, page images,
    originals, exports, the API). Static files never get here: WhiteNoise answers them first. A
    view serving a public asset (the favicon) marks its response `public_asset = True`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(response, "public_asset", False):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"  # HTTP/1.0 proxies
        return response
