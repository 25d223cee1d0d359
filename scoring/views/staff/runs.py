"""The review of one run against the period's current publication, with the publish
button, its progress while it is computed, and its downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kindness.views import staff_permission
from scoring import compare, exports, rulesets, services
from scoring.forms import PublishForm
from scoring.models import Period, RankingRun
from scoring.views.staff.common import PUBLISH, VIEW_RUN, stage_label, with_period

REVIEW_OFFICIALS_PER_PAGE = 100

FINGERPRINT_TABLES = {
    "visit_surveys": gettext_lazy("Visitor surveys"),
    "phone_surveys": gettext_lazy("Telephone surveys"),
    "happy_calls": gettext_lazy("Happy-calls"),
    "reports": gettext_lazy("Praise and unkindness reports"),
    "officials": gettext_lazy("Officials"),
    "departments": gettext_lazy("Departments"),
}
TIMINGS = {
    "read": gettext_lazy("Reading the inputs"),
    "compute": gettext_lazy("Computing"),
    "tallies": gettext_lazy("Tallying the responses"),
    "intervals": gettext_lazy("Rank intervals (bootstrap)"),
    "write": gettext_lazy("Writing the rows"),
}


def _why_url(name: str, period: Period, run: RankingRun, key: str) -> str | None:
    """The public "why this score" page of a row, showing this run."""
    try:
        return reverse(name, args=[period.code, key]) + f"?run={run.number}"
    except NoReverseMatch:  # the public rankings pages are not installed
        return None


def _score_headings(diff: dict | None, surveys: list[tuple[str, str]]) -> list:
    """The headings of a table's score cells (scoring/staff/_score_cells.html): the score,
    its change when there is a publication to compare with (`diff`), one column a survey
    (its letter, and the survey it stands for) and the bonus and deduction."""
    return [
        _("Score"),
        *([_("Change")] if diff is not None else []),
        *(
            format_html('<abbr title="{}">{}</abbr> (n)', title, letter)
            for letter, title in surveys
        ),
        _("Bonus"),
        _("Deduction"),
    ]


def _fingerprint(run: RankingRun) -> list[dict]:
    rows = []
    for name, label in FINGERPRINT_TABLES.items():
        values = run.fingerprint.get(name)
        if values is not None:
            # Stored as ISO text in UTC; shown as a moment in the city's time.
            changed_at = parse_datetime(values.get("changed") or "")
            rows.append({"label": label, **values, "changed_at": changed_at})
    return rows


def _run_page(
    request: HttpRequest, period: Period, run: RankingRun, *, form=None, status: int = 200
) -> HttpResponse:
    departments = list(run.departments.all())
    officials = list(run.officials.all())
    baseline = compare.baseline(run)
    if baseline is not None:
        department_diff = compare.compare(
            departments, list(baseline.departments.all()), "department_id"
        )
        official_diff = compare.compare(officials, list(baseline.officials.all()), "official_id")
    else:
        department_diff = official_diff = None
    # With a baseline the review opens on the rows that changed, biggest change first
    # (issue 15 item 8); `?show=all` lists every row in rank order. Officials are paged.
    show_all = baseline is None or request.GET.get("show") == "all"
    if not show_all:
        departments = compare.changed_first(departments)
        officials = compare.changed_first(officials)
    official_page = Paginator(officials, REVIEW_OFFICIALS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    officials = list(official_page.object_list)
    award_count = int(run.rules.get("award_count", 0))
    for row in departments:
        row.why_url = _why_url("rankings:department", period, run, row.code)
        # SPEC section 5: an award place whose interval reaches past the last award place.
        row.not_distinct = row.award and (row.rank_high or 0) > award_count
    for row in officials:
        row.why_url = _why_url("rankings:official", period, run, row.employee_no)
    run.stage_label = stage_label(run)
    published = period.published_run()
    # The service refuses an older run once a newer one is published; so does the page.
    can_publish = (
        request.user.has_perm(PUBLISH)
        and run.status == RankingRun.Status.COMPLETED
        and not (published and published.number > run.number)
    )
    context = {
        "period": period,
        "run": run,
        "departments": departments,
        "award_count": award_count,
        "officials": officials,
        "official_page": official_page,
        "show_all": show_all,
        "show_query": "show=all&" if show_all and baseline is not None else "",
        "baseline": baseline,
        "published": published,
        "department_diff": department_diff,
        "official_diff": official_diff,
        # The columns of the department and official tables (templates/_parts/_table.html).
        "department_headings": [
            _("Rank"),
            _("Rank in bureau"),
            _("Department"),
            _("Bureau"),
            *_score_headings(
                department_diff,
                [
                    ("V", _("Visitor survey")),
                    ("T", _("Telephone survey")),
                    ("H", _("Happy-call survey")),
                ],
            ),
            _("Award"),
        ],
        "official_headings": [
            _("Rank"),
            _("Official"),
            _("Department"),
            *_score_headings(
                official_diff,
                [("T", _("Answered calls")), ("H", _("Kindness answers in happy-calls"))],
            ),
            _("Encouragement"),
        ],
        "rules": rulesets.settings_labelled(run.rules),
        "fingerprint": _fingerprint(run),
        "fingerprint_period": run.fingerprint.get("period"),
        "timings": [
            (label, run.timings[key]) for key, label in TIMINGS.items() if key in run.timings
        ],
        "can_publish": can_publish,
        "form": form if form is not None else (PublishForm() if can_publish else None),
    }
    return render(request, "scoring/staff/run_detail.html", context, status=status)


@staff_permission(VIEW_RUN)
@require_GET
@with_period
def run_detail(request: HttpRequest, period: Period, run: RankingRun) -> HttpResponse:
    return _run_page(request, period, run)


@staff_permission(VIEW_RUN)
@require_GET
@with_period
def run_progress(request: HttpRequest, period: Period, run: RankingRun) -> HttpResponse:
    """The progress fragment that a page showing a queued or computing run polls; once the
    run is done the page is reloaded to show its result."""
    run.stage_label = stage_label(run)
    response = render(request, "partials/run_progress.html", {"period": period, "run": run})
    if not run.is_active:
        response["HX-Refresh"] = "true"
    return response


@staff_permission(PUBLISH)
@require_POST
@with_period
def run_publish(request: HttpRequest, period: Period, run: RankingRun) -> HttpResponse:
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _run_page(request, period, run, form=form, status=400)
    try:
        services.run_publish(run=run, user=request.user)
    except services.ScoringError as exc:
        # Redirected, not rendered, for the same reason as a refused computation.
        messages.error(request, str(exc))
        return redirect("scoring:run", code=period.code, number=run.number)
    messages.success(
        request,
        _("Run #%(number)s of %(code)s is published.")
        % {"number": run.number, "code": period.code},
    )
    return redirect("scoring:run", code=period.code, number=run.number)


@staff_permission(VIEW_RUN)
@require_GET
@with_period
def run_export(request: HttpRequest, period: Period, run: RankingRun, fmt: str) -> HttpResponse:
    """The whole run, departments then officials, in the files of SPEC section 7."""
    if not run.is_done:
        messages.error(
            request,
            _("Run #%(number)s has no rows to download: it is %(status)s.")
            % {"number": run.number, "status": run.get_status_display()},
        )
        return _run_page(request, period, run, status=409)
    filename = f"rankings-{period.code}-run{run.number}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(run), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(run),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
