"""The periods: the list (and a new period), a period's page with its runs, the compute
button, closing and reopening, and the rule set it is scored with."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindness.views import staff_permission
from scoring import rulesets, selectors, services
from scoring.forms import PeriodCreateForm, PeriodRuleSetForm
from scoring.models import Period, RankingRun
from scoring.views.staff.common import (
    ADD_PERIOD,
    CHANGE_PERIOD,
    COMPUTE,
    VIEW_PERIOD,
    VIEW_RUN,
    stage_label,
    with_period,
)

# The filters of the period list, each the list a staff home count links to (issue 15
# item 3): its value in `?show=` and the label saying which rows are shown.
PERIOD_LIST_FILTERS = {
    "review": gettext_lazy("Ranking runs awaiting review"),
    "open": gettext_lazy("Open evaluation periods"),
}
# The columns of the period list, of its runs awaiting review and of a period's runs
# (templates/_parts/_table.html).
PERIOD_HEADINGS = (
    gettext_lazy("Period"),
    gettext_lazy("Kind"),
    gettext_lazy("Dates"),
    gettext_lazy("Deduction window"),
    gettext_lazy("Rule set"),
    gettext_lazy("Nightly recomputation"),
    gettext_lazy("Latest run"),
    gettext_lazy("Published run"),
)
REVIEW_HEADINGS = (
    gettext_lazy("Period"),
    gettext_lazy("Run"),
    gettext_lazy("Computed"),
    gettext_lazy("Rule set"),
)
RUN_HEADINGS = (
    gettext_lazy("Run"),
    gettext_lazy("Status"),
    gettext_lazy("Started by"),
    gettext_lazy("Requested by"),
    gettext_lazy("Requested at"),
    gettext_lazy("Started at"),
    gettext_lazy("Finished at"),
    gettext_lazy("Duration (s)"),
    gettext_lazy("Rule set"),
    gettext_lazy("Notes and errors"),
)


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
        "headings": REVIEW_HEADINGS if show == "review" else PERIOD_HEADINGS,
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
        active.stage_label = stage_label(active)
    can_change = request.user.has_perm(CHANGE_PERIOD)
    rules_frozen = rulesets.period_was_published(period)
    if rules_frozen or not can_change:
        rule_set_form = None
    elif rule_set_form is None:
        rule_set_form = PeriodRuleSetForm(initial={"rule_set": period.rule_set.version})
    context = {
        "period": period,
        "page": page,
        "headings": RUN_HEADINGS,
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
@with_period
def period_detail(request: HttpRequest, period: Period) -> HttpResponse:
    return _period_page(request, period)


@staff_permission(CHANGE_PERIOD)
@require_POST
@with_period
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
@with_period
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
@with_period
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
