"""Managers' pages for evaluation periods and ranking runs (SPEC section 5, "Computing and
publishing"): the periods, a period's runs with its compute button, the review of one run
against the period's current publication with the publish button and the downloads, and
the rule sets, of which managers save new versions, and the rule set of a period. Auditors
read every page and change nothing; other roles get 403."""

from __future__ import annotations

import functools
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindness.views import staff_permission
from scoring import compare, exports, rulesets, selectors, services
from scoring.forms import PeriodCreateForm, PeriodRuleSetForm, PublishForm, RuleSetForm
from scoring.models import Period, RankingRun, RuleSet

VIEW_PERIOD = "scoring.view_period"
VIEW_RUN = "scoring.view_rankingrun"
ADD_PERIOD = "scoring.add_period"
CHANGE_PERIOD = "scoring.change_period"
COMPUTE = "scoring.compute_ranking"
PUBLISH = "scoring.publish_ranking"
VIEW_RULE_SET = "scoring.view_ruleset"
ADD_RULE_SET = "scoring.add_ruleset"
REVIEW_OFFICIALS_PER_PAGE = 100

STAGES = {
    "reading": gettext_lazy("reading the inputs"),
    "computing": gettext_lazy("computing the scores"),
    "writing": gettext_lazy("writing the rows"),
    "done": gettext_lazy("done"),
}
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
    "intervals": gettext_lazy("Rank intervals (bootstrap)"),
    "write": gettext_lazy("Writing the rows"),
}
# What period_create accepts as a code.
PERIOD_CODE = re.compile(r"[\w.-]{1,20}")
# Run numbers beyond this are not runs (and would overflow the database's integer).
MAX_RUN_NUMBER = 2**31 - 1


def _not_found(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "scoring/staff/not_found.html", {"message": message}, status=404)


def _with_period(view):
    """Turn the URL's period code, and run number if any, into objects; an unknown one gets
    a 404 page that says which. Applied inside the permission check, so that users without
    the permission do not learn which periods exist."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, code: str, number: int | None = None, **kwargs):
        # Only a possible code reaches the database (PostgreSQL refuses a NUL character).
        period = None
        if PERIOD_CODE.fullmatch(code):
            period = Period.objects.select_related("rule_set").filter(code=code).first()
        if period is None:
            return _not_found(request, _("There is no period %(code)s.") % {"code": code})
        if number is None:
            return view(request, period, **kwargs)
        run = None
        if number <= MAX_RUN_NUMBER:
            run = (
                period.runs.select_related("rule_set", "requested_by", "published_by", "rerun_of")
                .filter(number=number)
                .first()
            )
        if run is None:
            return _not_found(
                request,
                _("Period %(code)s has no run #%(number)s.") % {"code": code, "number": number},
            )
        run.period = period
        return view(request, period, run, **kwargs)

    return wrapper


def _stage(run: RankingRun) -> str:
    return str(STAGES.get(run.stage, run.stage))


# --- periods -----------------------------------------------------------------------------


# The filters of the period list, each the list a staff home count links to (issue 15
# item 3): its value in `?show=` and the label saying which rows are shown.
PERIOD_LIST_FILTERS = {
    "review": gettext_lazy("Ranking runs awaiting review"),
    "open": gettext_lazy("Open evaluation periods"),
}


def _periods(*, open_only: bool = False):
    runs = RankingRun.objects.filter(period=OuterRef("pk"))
    latest = runs.order_by("-number")
    published = runs.filter(status=RankingRun.Status.PUBLISHED)
    periods = list(
        (selectors.open_periods() if open_only else Period.objects.all())
        .select_related("rule_set")
        .annotate(
            latest_number=Subquery(latest.values("number")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
            published_number=Subquery(published.values("number")[:1]),
            published_at=Subquery(published.values("published_at")[:1]),
        )
    )
    for period in periods:
        period.latest_status_label = (
            RankingRun.Status(period.latest_status).label if period.latest_status else ""
        )
    return periods


@staff_permission(VIEW_PERIOD)
@require_http_methods(["GET", "POST"])
def period_list(request: HttpRequest) -> HttpResponse:
    can_add = request.user.has_perm(ADD_PERIOD)
    form = PeriodCreateForm()
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        form = PeriodCreateForm(request.POST)
        if form.is_valid():
            try:
                period = services.period_create(**form.cleaned_data)
            except services.ScoringError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Period %(code)s was created.") % {"code": period.code})
                return redirect("scoring:period", code=period.code)
    show = request.GET.get("show", "")
    show = show if show in PERIOD_LIST_FILTERS else ""
    context = {
        "periods": _periods(open_only=show == "open"),
        "show": show,
        "show_label": PERIOD_LIST_FILTERS.get(show, ""),
        "runs_to_review": (
            selectors.runs_awaiting_review()
            .select_related("period", "rule_set", "requested_by")
            .order_by("-finished_at", "-pk")
            if show == "review"
            else None
        ),
        "form": form,
        "can_add": can_add,
        "can_change": request.user.has_perm(CHANGE_PERIOD),
    }
    return render(
        request, "scoring/staff/period_list.html", context, status=400 if form.errors else 200
    )


def _period_page(
    request: HttpRequest, period: Period, *, rule_set_form=None, status: int = 200
) -> HttpResponse:
    runs = period.runs.select_related("rule_set", "requested_by").order_by("-number")
    page = Paginator(runs, 20).get_page(request.GET.get("page"))
    active = period.runs.filter(
        status__in=[RankingRun.Status.QUEUED, RankingRun.Status.RUNNING]
    ).first()
    if active:
        active.period = period
        active.stage_label = _stage(active)
    can_change = request.user.has_perm(CHANGE_PERIOD)
    rules_frozen = rulesets.period_was_published(period)
    if rules_frozen or not can_change:
        rule_set_form = None
    elif rule_set_form is None:
        rule_set_form = PeriodRuleSetForm(initial={"rule_set": period.rule_set.version})
    context = {
        "period": period,
        "page": page,
        "active": active,
        "published": period.published_run(),
        "can_compute": request.user.has_perm(COMPUTE),
        "can_change": can_change,
        "rules_frozen": rules_frozen,
        "rule_set_form": rule_set_form,
    }
    return render(request, "scoring/staff/period_detail.html", context, status=status)


@staff_permission(VIEW_RUN)
@require_GET
@_with_period
def period_detail(request: HttpRequest, period: Period) -> HttpResponse:
    return _period_page(request, period)


@staff_permission(CHANGE_PERIOD)
@require_POST
@_with_period
def period_close(request: HttpRequest, period: Period) -> HttpResponse:
    value = request.POST.get("closed")
    if value not in ("0", "1"):
        messages.error(request, _("Choose whether to close or reopen the period."))
        return _period_page(request, period, status=400)
    rulesets.period_closed_set(period=period, closed=value == "1")
    if period.closed:
        messages.success(
            request,
            _("Period %(code)s is closed: it is no longer recomputed every night.")
            % {"code": period.code},
        )
    else:
        messages.success(
            request,
            _("Period %(code)s is open again: it is recomputed every night.")
            % {"code": period.code},
        )
    return redirect("scoring:period", code=period.code)


@staff_permission(CHANGE_PERIOD)
@require_POST
@_with_period
def period_rule_set(request: HttpRequest, period: Period) -> HttpResponse:
    form = PeriodRuleSetForm(request.POST)
    if not form.is_valid():
        return _period_page(request, period, rule_set_form=form, status=400)
    try:
        period = rulesets.period_rule_set_switch(
            period=period, rule_set=form.cleaned_data["rule_set"]
        )
    except services.ScoringError as exc:
        messages.error(request, str(exc))
        return _period_page(request, period, status=409)
    messages.success(
        request,
        _(
            "Period %(code)s is scored with %(rule_set)s from its next run on; runs already "
            "computed keep the rules they used."
        )
        % {"code": period.code, "rule_set": period.rule_set},
    )
    return redirect("scoring:period", code=period.code)


@staff_permission(COMPUTE)
@require_POST
@_with_period
def period_compute(request: HttpRequest, period: Period) -> HttpResponse:
    try:
        run = services.run_request(
            period=period, trigger=RankingRun.Trigger.MANAGER, user=request.user
        )
    except services.ScoringError as exc:
        # Redirected, not rendered: the period page follows the busy run and reloads itself
        # when it is done, and a reload must not post again.
        messages.error(request, str(exc))
        return redirect("scoring:period", code=period.code)
    # Without a worker (the quick start, the tests) the run was computed in this request.
    run.refresh_from_db()
    if run.status == RankingRun.Status.FAILED:
        messages.error(
            request,
            _("Run #%(number)s failed: %(error)s") % {"number": run.number, "error": run.error},
        )
    elif run.is_done:
        messages.success(
            request, _("Run #%(number)s was computed; review it below.") % {"number": run.number}
        )
    else:
        messages.info(
            request,
            _("Run #%(number)s is queued; this page follows its progress.")
            % {"number": run.number},
        )
    return redirect("scoring:run", code=period.code, number=run.number)


# --- runs --------------------------------------------------------------------------------


def _why_url(name: str, period: Period, run: RankingRun, key: str) -> str | None:
    """The public "why this score" page of a row, showing this run."""
    try:
        return reverse(name, args=[period.code, key]) + f"?run={run.number}"
    except NoReverseMatch:  # the public rankings pages are not installed
        return None


def _fingerprint(run: RankingRun) -> list[dict]:
    rows = []
    for name, label in FINGERPRINT_TABLES.items():
        values = run.fingerprint.get(name)
        if values is not None:
            rows.append({"label": label, **values})
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
    run.stage_label = _stage(run)
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
@_with_period
def run_detail(request: HttpRequest, period: Period, run: RankingRun) -> HttpResponse:
    return _run_page(request, period, run)


@staff_permission(VIEW_RUN)
@require_GET
@_with_period
def run_progress(request: HttpRequest, period: Period, run: RankingRun) -> HttpResponse:
    """The progress fragment that a page showing a queued or computing run polls; once the
    run is done the page is reloaded to show its result."""
    run.stage_label = _stage(run)
    response = render(request, "scoring/staff/_run_progress.html", {"period": period, "run": run})
    if not run.is_active:
        response["HX-Refresh"] = "true"
    return response


@staff_permission(PUBLISH)
@require_POST
@_with_period
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
@_with_period
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


# --- rule sets ---------------------------------------------------------------------------


def _rule_set_page(request: HttpRequest, form: RuleSetForm | None, *, status: int = 200):
    # Newest first, as the page says; explicit, since a grouped query (the count) drops the
    # model's default ordering.
    rule_sets = list(
        RuleSet.objects.annotate(run_count=Count("runs"))
        .order_by("-version")
        .prefetch_related("periods")
    )
    for rule_set in rule_sets:
        values = rule_set.as_dict()
        rule_set.settings = rulesets.settings_labelled(values)
        rule_set.groups = rulesets.settings_grouped(values)
    admin_url = None
    if request.user.has_perm("scoring.change_ruleset") and request.user.is_staff:
        try:
            admin_url = reverse("admin:scoring_ruleset_changelist")
        except NoReverseMatch:  # not registered in the admin
            admin_url = None
    context = {
        "rule_sets": rule_sets,
        "form": form,
        "admin_url": admin_url,
        "may_change": request.user.has_perm("scoring.change_ruleset"),
    }
    return render(request, "scoring/staff/rule_sets.html", context, status=status)


@staff_permission(VIEW_RULE_SET)
@require_http_methods(["GET", "POST"])
def rule_set_list(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        can_add = request.user.has_perm(ADD_RULE_SET)
        return _rule_set_page(
            request, RuleSetForm.filled_from(RuleSet.current()) if can_add else None
        )
    if not request.user.has_perm(ADD_RULE_SET):
        raise PermissionDenied
    form = RuleSetForm(request.POST)
    if form.is_valid():
        based_on = form.cleaned_data["based_on"]
        try:
            rule_set = rulesets.rule_set_version_create(based_on=based_on, changes=form.changes())
        except services.ScoringError as exc:
            form.add_error(None, str(exc))
        else:
            _rule_set_saved(request, rule_set, based_on)
            return redirect(reverse("scoring:rule-sets") + f"#rule-set-{rule_set.version}")
    return _rule_set_page(request, form, status=400)


def _rule_set_saved(request: HttpRequest, rule_set: RuleSet, based_on: RuleSet) -> None:
    messages.success(
        request,
        _(
            "Version %(version)s was saved. It applies to periods created from now on; choose "
            "it on a period's page for a period whose ranking is not published yet."
        )
        % {"version": rule_set.version},
    )
    if rule_set.version != based_on.version + 1:
        # The form was filled from an older version: someone saved one meanwhile.
        messages.warning(
            request,
            _(
                "Your version is based on version %(based_on)s, but version %(newer)s was "
                "saved while you were editing: check that version %(version)s has every "
                "setting you want."
            )
            % {
                "based_on": based_on.version,
                "newer": rule_set.version - 1,
                "version": rule_set.version,
            },
        )
