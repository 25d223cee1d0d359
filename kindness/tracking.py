"""The tracking page of a case a resident filed (a report at /reports/track/, a consultation
request at /consultations/track/): its number and tracking secret in
(kindness.forms.TrackFormBase), the case out, for the app's view to configure."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.exceptions import Ratelimited

from kindness.forms import TrackFormBase
from kindness.ratelimit import rate_take


def track_page(
    request: HttpRequest,
    *,
    form_class: type[TrackFormBase],
    template: str,
    rate_group: str,
    find: Callable[..., object | None],
    name: str,
) -> HttpResponse:
    """GET shows the form, with the number a link may carry; POST looks the case up with
    `find(receipt_no=..., secret=...)` and shows it in the context as `name`. `find` gives
    one answer (None) for an unknown number and a wrong secret, so numbers cannot be probed."""
    if request.method == "GET":
        form = form_class(initial={"receipt_no": request.GET.get("receipt_no", "")[:30]})
        return render(request, template, {"form": form})
    # Every try counts, right or wrong: secrets cannot be guessed faster than the limit.
    if not rate_take(request, group=rate_group, rate=settings.TRACK_RATE):
        raise Ratelimited
    form = form_class(request.POST)
    found = None
    if form.is_valid():
        found = find(**form.cleaned_data)
    context = {"form": form, name: found, "not_found": form.is_valid() and found is None}
    return render(request, template, context, status=400 if form.errors else 200)
