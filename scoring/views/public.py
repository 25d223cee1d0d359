"""Public rankings (SPEC section 9: `/rankings/` and `/rankings/<PERIOD>/`), their CSV and
XLSX downloads, the individual rankings for those allowed (SPEC section 5), and the
"why this score" pages."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kindness.fragments import FragmentCache, render_around
from scoring import charts, exports, selectors
from scoring import package as publication
from scoring.models import Period, RankingRun

OFFICIALS_PER_PAGE = 100
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "data-csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Rendered rankings pages of published (and superseded) runs: such a run's rows never
# change, and what the page shows beside them (the periods, the trend, the history) and
# which run an address shows change only with a publication, which
# `selectors.publication_stamp` tells. Rendering the page of a city of 200 departments
# costs ~70 ms; sending it a few.
RANKINGS_PAGES = FragmentCache("rankings")


def rankings_view(view):
    """Answer a period, run or row that is not there (or not the visitor's to see) with a
    page saying which, and status 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except selectors.NotFound as missing:
            context = {
                "title": missing.title or _("Not found"),
                "message": missing.message,
                "period": missing.period,
                "periods": selectors.published_periods(),
            }
            return render(request, "scoring/public/not_found.html", context, status=404)

    return wrapper


def _period_and_run(request: HttpRequest, code: str) -> tuple[Period, RankingRun]:
    period = selectors.period_for(code)
    return period, selectors.run_for(
        period=period, user=request.user, number=request.GET.get("run")
    )


def _officials_allowed(request: HttpRequest) -> HttpResponse | None:
    """Login for anonymous visitors, 403 for roles without individual rankings."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.may_see_officials(request.user):
        raise PermissionDenied
    return None


@require_GET
@rankings_view
def latest(request: HttpRequest) -> HttpResponse:
    return _rankings_page(request, None)


@require_GET
@rankings_view
def period_rankings(request: HttpRequest, period: str) -> HttpResponse:
    return _rankings_page(request, period)


def _rankings_page(request: HttpRequest, code: str | None) -> HttpResponse:
    """The rankings of period `code` (None: the latest published). A page showing a public
    run is kept rendered under everything it depends on, the publications included, so
    that it costs one query while nothing is published."""
    number = request.GET.get("run")
    officials_link = selectors.may_see_officials(request.user)
    full_download = selectors.may_see_all_officials(request.user)
    key = (
        code,
        number,
        get_language(),
        officials_link,
        full_download,
        selectors.publication_stamp(),
    )
    page = RANKINGS_PAGES.get(key)
    if page is None:
        period = selectors.latest_published_period() if code is None else selectors.period_for(code)
        if period is None:
            return render(request, "scoring/public/none_published.html")
        run = selectors.run_for(period=period, user=request.user, number=number)
        context = _rankings_context(
            period,
            run,
            officials_link=officials_link,
            full_download=full_download,
            run_query=f"?run={run.number}" if number is not None else "",
        )
        body = render_to_string("scoring/public/_rankings_body.html", context)
        page = (period.code, body.encode())
        if run.status in selectors.PUBLIC_STATUSES:
            RANKINGS_PAGES.put(key, page)
    period_code, content = page
    return render_around(
        request,
        "scoring/public/rankings.html",
        {"code": period_code},
        name="content",
        fragment=content,
    )


def _rankings_context(period: Period, run: RankingRun, **shown) -> dict:
    rows = selectors.department_rows(run)
    trend = selectors.trend(period, order=[r.code for r in rows])
    history = selectors.publication_history(period)
    return {
        "period": period,
        "run": run,
        "rows": rows,
        "bureaus": selectors.by_bureau(rows),
        "bars": charts.department_bars(rows, chart_id="chart-scores", title=_("Department scores")),
        "funnels": charts.funnels(run),
        "trend": trend,
        "trend_chart": charts.trend_multiples(trend, chart_id="chart-trend", current=period.code)
        if len(trend.periods) > 1
        else None,
        "periods": selectors.published_periods(),
        "history": history,
        "superseded_count": sum(h.status == RankingRun.Status.SUPERSEDED for h in history),
        **shown,
    }


@require_GET
@rankings_view
def download(request: HttpRequest, period: str, fmt: str) -> HttpResponse:
    """`csv` and `xlsx`: the readable files for people (department rows, column titles in
    the page's language; the CSV with a byte-order mark). `data-csv`: the SPEC section 7
    file, where managers and auditors get every row and everyone else the department rows
    only."""
    period, run = _period_and_run(request, period)
    full = selectors.may_see_all_officials(request.user)
    name = f"rankings-{period.code}" + (
        "" if run.status == RankingRun.Status.PUBLISHED else f"-run{run.number}"
    )
    if fmt == "csv":
        content = exports.to_readable_csv(run).encode("utf-8")
        filename = f"{name}.csv"
    elif fmt == "data-csv":
        content = exports.to_csv(run, officials=full).encode("utf-8")
        filename = f"{name}-data.csv"
    else:
        content = exports.to_readable_xlsx(run)
        filename = f"{name}.xlsx"
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Language"] = get_language()
    if full:
        patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


@require_GET
@rankings_view
def package(request: HttpRequest, period: str, number: int | None = None) -> HttpResponse:
    """The publication package: the current publication's, or run N's; served byte for byte
    as it was built at publication (SPEC section 5)."""
    period = selectors.period_for(period)
    run = selectors.run_for(
        period=period, user=request.user, number=None if number is None else str(number)
    )
    content = publication.package_of(run)
    if content is None:
        raise selectors.NotFound(
            _("Run #%(number)s of %(code)s has no publication package.")
            % {"number": run.number, "code": period.code},
            title=_("No publication package"),
            period=period,
        )
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(
        True, f"kindness-rankings-{period.code}-run{run.number}.zip"
    )
    return response


@require_GET
@rankings_view
def officials(request: HttpRequest, period: str) -> HttpResponse:
    if refused := _officials_allowed(request):
        return refused
    period, run = _period_and_run(request, period)
    rows = selectors.official_rows_visible_to(request.user, run).defer("breakdown")
    page = Paginator(rows, OFFICIALS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "period": period,
        "run": run,
        "page": page,
        "all_officials": selectors.may_see_all_officials(request.user),
        "run_query": f"run={run.number}&" if "run" in request.GET else "",
    }
    return render(request, "scoring/public/officials.html", context)


@require_GET
@rankings_view
def department(request: HttpRequest, period: str, code: str) -> HttpResponse:
    period, run = _period_and_run(request, period)
    row = selectors.department_row(run, code)
    return _row_page(request, "scoring/public/department.html", period=period, run=run, row=row)


@require_GET
@rankings_view
def official(request: HttpRequest, period: str, employee_no: str) -> HttpResponse:
    if refused := _officials_allowed(request):
        return refused
    period, run = _period_and_run(request, period)
    rows = selectors.official_rows_visible_to(request.user, run)
    row = selectors.official_row(rows, employee_no, run)
    return _row_page(request, "scoring/public/official.html", period=period, run=run, row=row)


def _row_page(request: HttpRequest, template: str, *, period, run, row) -> HttpResponse:
    """One department's or official's page: the row and how its score was made."""
    context = {
        "period": period,
        "run": run,
        "row": row,
        "explained": selectors.explain(row, user=request.user),
        "run_query": f"?run={run.number}" if "run" in request.GET else "",
    }
    return render(request, template, context)
