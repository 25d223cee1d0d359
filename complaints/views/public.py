"""Public pages of the report centre (SPEC section 3, Intake; section 9): the report form
and its receipt, tracking, and the praise board. No login; every page works without
JavaScript."""

from __future__ import annotations

import json
import logging
from urllib.parse import quote

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.exceptions import Ratelimited

from complaints import selectors, services
from complaints.forms.public import PraiseSearchForm, ReportForm, TrackForm
from complaints.models import Report
from kindness import numbering
from kindness.fragments import SEARCHES, FragmentCache, page_keepable, render_around, render_kept
from kindness.models import ProgrammeSettings
from kindness.public_forms import public_submit
from kindness.ratelimit import rate_used_up
from kindness.tracking import track_page

logger = logging.getLogger(__name__)

PRAISE_PER_PAGE = 20
BOARD_TEMPLATE = "complaints/public/praise_board.html"
# A kept page of the board names the shared praise it shows (count and latest change); the
# names of officials and departments live in other tables, so a renamed one shows within
# this many seconds.
PRAISE_KEPT_S = 60
PRAISE_PAGES = FragmentCache("praise", timeout=PRAISE_KEPT_S)  # the list part
PRAISE_KEPT = FragmentCache("praise-page", timeout=PRAISE_KEPT_S)  # whole pages
PRAISE_SEARCHES = FragmentCache("praise-search", timeout=PRAISE_KEPT_S, alias=SEARCHES)


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
    if rate_used_up(request, group="reports:new", rate=settings.REPORT_RATE):
        raise Ratelimited  # refused early: nothing left to count
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        if form.is_spam:
            logger.info("report form: honeypot filled, nothing stored")
        return _report_page(request, form, status=400)
    data = form.cleaned_data
    # Only the browser that filed the earlier report is asked "submit anyway?"; for anyone
    # else a likely duplicate is stored and marked for staff, so the answer is the same
    # whether or not some phone number reported this department (SPEC section 3).
    # A browser that filed nothing here cannot be warned: no check to make.
    filed = _filed_here(request)
    if (
        filed
        and not data["confirm_duplicate"]
        and services.duplicate_warning(
            phone=data["reporter_phone"], department=data["department"], filed_here=filed
        )
    ):
        return _report_page(request, form, duplicate=True)
    submission = public_submit(
        request,
        form,
        services.report_submit,
        group="reports:new",
        refused=numbering.SequenceExhausted,
    )
    if submission is None:
        return _report_page(request, form, status=503)
    report = submission.report
    receipt = {
        "receipt_no": report.receipt_no,
        "secret": submission.secret,
        "kind": report.kind,
        "email": bool(report.reporter_email),
    }
    response = redirect("reports:done")
    _receipt_keep(response, receipt)
    _remember_filed(request, response, report.receipt_no)
    return response


# The receipts this browser filed, in a signed cookie sent only to /reports/: what lets the
# form warn a resident of their own likely duplicate and nobody else.
FILED_COOKIE = "reports_filed"
FILED_SALT = "complaints.reports.filed"
FILED_KEEP = 10
# Longer than any duplicate window: which of the receipts are recent enough to warn about is
# the service's question (duplicate_warning), not the cookie's.
FILED_MAX_AGE = 7 * 24 * 3600


def _filed_here(request: HttpRequest) -> list[str]:
    value = request.get_signed_cookie(
        FILED_COOKIE, default="", salt=FILED_SALT, max_age=FILED_MAX_AGE
    )
    return [receipt for receipt in value.split(",") if receipt][-FILED_KEEP:]


def _remember_filed(request: HttpRequest, response: HttpResponse, receipt_no: str) -> None:
    filed = [*_filed_here(request), receipt_no][-FILED_KEEP:]
    response.set_signed_cookie(
        FILED_COOKIE,
        ",".join(filed),
        salt=FILED_SALT,
        max_age=FILED_MAX_AGE,
        path="/reports/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# The receipt travels to the done page in a signed cookie, not a session row (no database
# write; issue 16 item 2). The page is one fixed address (SPEC section 3): it shows the
# secret on its first view only and writes the cookie again without it, so a reload shows
# the number and never the secret. The cookie is sent to that page alone, never to scripts.
RECEIPT_COOKIE = "report_receipt"
RECEIPT_SALT = "complaints.reports.receipt"
RECEIPT_MAX_AGE = 24 * 3600  # a receipt older than this is not shown again


def _receipt_keep(response: HttpResponse, receipt: dict) -> None:
    response.set_signed_cookie(
        RECEIPT_COOKIE,
        json.dumps(receipt, separators=(",", ":")),
        salt=RECEIPT_SALT,
        path=reverse("reports:done"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _receipt_read(request: HttpRequest) -> dict | None:
    value = request.get_signed_cookie(
        RECEIPT_COOKIE, default=None, salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE
    )
    try:
        receipt = json.loads(value) if value else None
    except ValueError:
        return None
    if not isinstance(receipt, dict) or not isinstance(receipt.get("receipt_no"), str):
        return None
    return receipt


@never_cache
@require_GET
def report_done(request: HttpRequest) -> HttpResponse:
    receipt = _receipt_read(request)
    response = render(request, "complaints/public/report_done.html", {"receipt": receipt})
    if receipt and receipt.get("secret"):
        _receipt_keep(response, {**receipt, "secret": ""})  # shown once
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def report_track(request: HttpRequest) -> HttpResponse:
    return track_page(
        request,
        form_class=TrackForm,
        template="complaints/public/report_track.html",
        rate_group="reports:track",
        find=services.report_find_for_tracking,
        name="report",
    )


def praise_board(request: HttpRequest) -> HttpResponse:
    form = PraiseSearchForm(request.GET)
    search = form.cleaned_data["q"].strip() if form.is_valid() else ""
    number = request.GET.get("page")
    if form.errors:
        page = _praise_search(search, number)
        return _praise_render(request, form, search, page, _praise_body(request, page, search), 400)
    # Every kept page below is kept under the board's stamp, so that sharing, editing or
    # withdrawing praise shows at once; names from other tables within PRAISE_KEPT_S.
    count, stamp = selectors.praise_board_stamp()
    if search:
        if page_keepable(request):
            # Kept whole under the words as typed (the field shows them so), the page asked
            # for and the stamp, in a cache of its own (kindness.fragments.SEARCHES).
            return render_kept(
                request,
                BOARD_TEMPLATE,
                lambda: _praise_context(request, form, search, _praise_search(search, number)),
                pages=PRAISE_SEARCHES,
                key=(request.GET.get("q"), number, count, stamp),
            )
        page = _praise_search(search, number)
        return _praise_render(request, form, search, page, _praise_body(request, page, search))
    # The whole board, as most visitors see it: a page costs one query (the stamp) until
    # praise is shared or edited; kept whole for anonymous visitors, its list part for
    # everyone else. Which page is shown follows from the count alone (get_page turns a number that is not
    # one into 1, one past the end into the last); the board's query is built only to render.
    numbers = Paginator((), PRAISE_PER_PAGE)
    numbers.count = count  # known from the stamp: no COUNT query of its own
    shown = numbers.get_page(number).number

    def board_page():
        paginator = Paginator(selectors.shared_praise(""), PRAISE_PER_PAGE)
        paginator.count = count
        return paginator.page(shown)  # lazy: no query until rendered

    if page_keepable(request):
        return render_kept(
            request,
            BOARD_TEMPLATE,
            lambda: _praise_context(request, form, "", board_page()),
            pages=PRAISE_KEPT,
            key=(shown, count, stamp),
        )
    page = board_page()
    key = (shown, get_language(), count, stamp)
    body = PRAISE_PAGES.get_or_render(key, lambda: _praise_body(request, page, ""))
    return _praise_render(request, form, "", page, body)


def _praise_search(search: str, number: str | None):
    board = selectors.shared_praise(search)
    # get_page turns a page number that is not a number into 1, one past the end into the last.
    return Paginator(board, PRAISE_PER_PAGE).get_page(number)


def _praise_body(request: HttpRequest, page, search: str) -> bytes:
    # The page links keep the search (as the `urlencode` filter would write it).
    page_query = f"q={quote(search)}&" if search else ""
    context = {"page": page, "q": search, "page_query": page_query}
    return render_to_string("complaints/public/_praise_board_body.html", context, request).encode()


def _praise_context(request: HttpRequest, form, search: str, page) -> dict:
    body = _praise_body(request, page, search).decode()
    return {"form": form, "q": search, "page": page, "content": mark_safe(body)}  # noqa: S308


def _praise_render(request, form, search: str, page, body: bytes, status: int = 200):
    return render_around(
        request,
        BOARD_TEMPLATE,
        {"form": form, "q": search, "page": page},
        name="content",
        fragment=body,
        status=status,
    )
