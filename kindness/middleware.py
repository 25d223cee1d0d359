"""Middleware of the core."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def request_body_limit(path: str) -> int:
    """The largest request body, in bytes, that `path` takes (SPEC section 7): the longest
    matching prefix of REQUEST_MAX_BYTES_BY_PATH, else REQUEST_MAX_BYTES."""
    matches = [prefix for prefix in settings.REQUEST_MAX_BYTES_BY_PATH if path.startswith(prefix)]
    if not matches:
        return settings.REQUEST_MAX_BYTES
    return settings.REQUEST_MAX_BYTES_BY_PATH[max(matches, key=len)]


class RequestSizeLimitMiddleware:
    """Refuses a request whose declared body is larger than its route takes with a 413
    page, before anything reads the body: a 50 MB upload is not received to be refused.
    (Django reads no more than Content-Length, and a request without one as empty, so the
    declared length is the whole body.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = request_body_limit(request.path_info)
        if length > limit:
            response = render(request, "413.html", {"limit_mb": max(1, limit // 2**20)}, status=413)
            # The client is told not to keep sending on this connection.
            response["Connection"] = "close"
            return response
        return self.get_response(request)
