"""Pages anyone may open: the home page, the health check and the error pages."""

from __future__ import annotations

from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kindness.fragments import FragmentCache, render_kept
from kindness.params import BadParameter

# The home page is the same for every anonymous visitor in a language: kept whole.
HOME_PAGES = FragmentCache("home")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render_kept(request, "kindness/home.html", dict, pages=HOME_PAGES, key=())


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def rate_limited(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "429.html", status=429)


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_400(request: HttpRequest, exception=None) -> HttpResponse:
    # Only our own parameter errors carry a message meant for people (kindness.params).
    message = str(exception) if isinstance(exception, BadParameter) else ""
    return render(request, "400.html", {"message": message}, status=400)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
