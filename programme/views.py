"""The managers' overview of the programme's year (SPEC section 6), at
`/staff/programme/<year>/` (mounted with the initiatives' pages, whose permission it shares)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from kindness.params import year_choices
from kindness.roles import scope_of
from kindness.views import staff_permission
from programme.initiatives import selectors
from programme.overview import programme_overview


def _overview_allowed(request: HttpRequest) -> None:
    # Managers, auditors and admins: the city-wide roles that may read initiatives.
    if not scope_of(request.user).city_wide:
        raise PermissionDenied


@staff_permission(selectors.VIEW)
@require_GET
def overview_this_year(request: HttpRequest) -> HttpResponse:
    _overview_allowed(request)
    return redirect("initiatives:overview", year=timezone.localdate().year)


@staff_permission(selectors.VIEW)
@require_GET
def overview(request: HttpRequest, year: int) -> HttpResponse:
    _overview_allowed(request)
    if year not in selectors.year_range():
        raise Http404
    return render(
        request,
        "programme/overview.html",
        {
            "o": programme_overview(year=year),
            "year": year,
            "years": year_choices(),
        },
    )
