"""Public pages of the report centre (SPEC section 3, Intake; section 9): the report form
and its receipt, tracking, and the praise board. No login; every page works without
JavaScript."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

from complaints import services
from complaints.forms import PraiseSearchForm, ReportForm, TrackForm
from complaints.models import Report
from kindness.models import ProgrammeSettings

logger = logging.getLogger(__name__)

RECEIPT_KEY = "reports:receipt"
PRAISE_PER_PAGE = 20


def _over_limit(request: HttpRequest, *, group: str, rate: str, count: bool) -> bool:
    """Whether this address has used up `rate` (django-ratelimit, key: the address).

    `count=False` only looks, so that the report form counts stored reports, not a
    resident's attempts at correcting their input. If the cache is down the request goes
    through: a resident's report matters more than the limit (SPEC section 8)."""
    try:
        usage = get_usage(request, group=group, key="ip", rate=rate, increment=count)
    except Exception:  # noqa: BLE001 - any cache failure: fail open
        logger.warning("rate limit of %s not checked: cache unavailable", group)
        return False
    if usage is None:  # RATELIMIT_ENABLE off
        return False
    return usage["count"] > usage["limit"] if count else usage["count"] >= usage["limit"]


def _report_page(request, form, *, status=200, duplicate=False) -> HttpResponse:
    context = {
        "form": form,
        "duplicate": duplicate,
        "files_dropped": bool(request.FILES),
        "programme": ProgrammeSettings.load(),
    }
    return render(request, "complaints/public/report_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        kind = request.GET.get("kind")
        return _report_page(
            request, ReportForm(initial={"kind": kind} if kind in Report.Kind.values else None)
        )
    if _over_limit(request, group="reports:new", rate=settings.REPORT_RATE, count=False):
        raise Ratelimited
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        if form.is_spam:
            logger.info("report form: honeypot filled, nothing stored")
        return _report_page(request, form, status=400)
    data = form.cleaned_data
    # Only the browser that filed the earlier report is asked "submit anyway?"; for anyone
    # else a likely duplicate is stored and marked for staff, so the answer is the same
    # whether or not some phone number reported this department (SPEC section 3).
    if not data["confirm_duplicate"] and services.duplicate_warning(
        phone=data["reporter_phone"], department=data["department"], filed_here=_filed_here(request)
    ):
        return _report_page(request, form, duplicate=True)
    submission = services.report_submit(**form.submission())
    _over_limit(request, group="reports:new", rate=settings.REPORT_RATE, count=True)
    request.session[RECEIPT_KEY] = {
        "receipt_no": submission.report.receipt_no,
        "secret": submission.secret,
        "kind": submission.report.kind,
        "email": bool(submission.report.reporter_email),
    }
    response = redirect("reports:done")
    _remember_filed(request, response, submission.report.receipt_no)
    return response


# The receipts this browser filed, in a signed cookie sent only to /reports/: what lets the
# form warn a resident of their own likely duplicate and nobody else.
FILED_COOKIE = "reports_filed"
FILED_SALT = "complaints.reports.filed"
FILED_KEEP = 10


def _filed_max_age() -> int:
    return ProgrammeSettings.load().duplicate_window_hours * 3600


def _filed_here(request: HttpRequest) -> list[str]:
    value = request.get_signed_cookie(
        FILED_COOKIE, default="", salt=FILED_SALT, max_age=_filed_max_age()
    )
    return [receipt for receipt in value.split(",") if receipt][-FILED_KEEP:]


def _remember_filed(request: HttpRequest, response: HttpResponse, receipt_no: str) -> None:
    filed = [*_filed_here(request), receipt_no][-FILED_KEEP:]
    response.set_signed_cookie(
        FILED_COOKIE,
        ",".join(filed),
        salt=FILED_SALT,
        max_age=_filed_max_age(),
        path="/reports/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


@never_cache
@require_GET
def report_done(request: HttpRequest) -> HttpResponse:
    # The secret is shown once: popped from the session, and never cached by the browser.
    receipt = request.session.pop(RECEIPT_KEY, None)
    return render(request, "complaints/public/report_done.html", {"receipt": receipt})


@never_cache
@require_http_methods(["GET", "POST"])
def report_track(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        form = TrackForm(initial={"receipt_no": request.GET.get("receipt_no", "")[:30]})
        return render(request, "complaints/public/report_track.html", {"form": form})
    if _over_limit(request, group="reports:track", rate=settings.TRACK_RATE, count=True):
        raise Ratelimited
    form = TrackForm(request.POST)
    report = None
    if form.is_valid():
        # One answer for an unknown number and a wrong secret: numbers cannot be probed.
        report = services.report_find_for_tracking(**form.cleaned_data)
    context = {"form": form, "report": report, "not_found": form.is_valid() and report is None}
    return render(
        request, "complaints/public/report_track.html", context, status=400 if form.errors else 200
    )


def _shared_praise(search: str):
    # Only what the board may show is loaded: never the resident's own text or their data.
    reports = (
        Report.objects.shared_praise()
        .select_related("official", "department", "decided_department")
        .only(
            "public_text",
            "board_name",
            "ended_at",
            "decided_on",
            "official__name",
            "department__name",
            "decided_department__name",
        )
        .order_by(F("ended_at").desc(nulls_last=True), "-pk")
    )
    if search:
        reports = reports.filter(
            Q(public_text__icontains=search)
            | Q(official__name__icontains=search)
            | Q(official__isnull=True, board_name__icontains=search)
            | Q(decided_department__name__icontains=search)
            | Q(decided_department__isnull=True, department__name__icontains=search)
        )
    return reports


@require_GET
def praise_board(request: HttpRequest) -> HttpResponse:
    form = PraiseSearchForm(request.GET)
    search = form.cleaned_data["q"].strip() if form.is_valid() else ""
    # get_page turns a page number that is not a number into 1 and one past the end into the last.
    page = Paginator(_shared_praise(search), PRAISE_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "q": search}
    return render(
        request, "complaints/public/praise_board.html", context, status=400 if form.errors else 200
    )
