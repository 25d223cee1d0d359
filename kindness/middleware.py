"""Middleware of the core."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


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


class PersonalDataNoStoreMiddleware:
    """Cache-Control: no-store on every page that may show personal data unmasked (SPEC
    section 8): every page shown to a signed-in user, and the public pages of
    NO_STORE_PATHS. A browser's back button or a shared proxy then keeps no copy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Without a session cookie no one is signed in: the session is then not even read.
        user = getattr(request, "user", None)
        signed_in = (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and user is not None
            and user.is_authenticated
        )
        if signed_in or any(request.path_info.startswith(p) for p in settings.NO_STORE_PATHS):
            add_never_cache_headers(response)
        return response
