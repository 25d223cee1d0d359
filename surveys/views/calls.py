"""A list of happy-calls, filtered the way a count on the caller's staff home is (issue 15
item 3): `?show=done_today` (the calls the user entered today) or `?show=backlog` (calls
queued before today and not made yet). Petition numbers only: the petitioners' names and
phones stay on the desk, for the assigned caller."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from kindness.views import staff_permission
from surveys import call_lists, services

PER_PAGE = 50
LISTS = {
    "done_today": _("Calls I completed today"),
    "backlog": _("Backlog: calls queued before today"),
}
# The list's columns (templates/_parts/_table.html).
HEADINGS = (
    _("Petition number"),
    _("Department"),
    _("Queued on"),
    _("Status"),
    _("Caller"),
    _("Attempts"),
)


@staff_permission(services.MAKE_CALLS)
@require_GET
def call_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "")
    if show not in LISTS:
        show = "done_today"
    calls = call_lists.done_today(request.user) if show == "done_today" else call_lists.backlog()
    calls = (
        calls.select_related("petition", "department", "assigned_to", "answered_by")
        .annotate(n_attempts=Count("attempts"))
        .order_by("queued_on", "pk")
    )
    page = Paginator(calls, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "lists": [(key, label) for key, label in LISTS.items()],
        "show": show,
        "label": LISTS[show],
        "page": page,
        "headings": HEADINGS,
    }
    return render(request, "surveys/call_list.html", context)
