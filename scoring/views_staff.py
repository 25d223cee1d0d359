"""Managers' pages for evaluation periods and ranking runs (SPEC section 5, "Computing and
publishing"): the periods, a period's runs with its compute button, the review of one run
against the period's current publication with the publish button and the downloads, and
the rule sets. Auditors read every page and change nothing; other roles get 403."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

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
from scoring import exports, services
from scoring.forms import PeriodCreateForm, PublishForm
from scoring.models import Period, RankingRun, RuleSet

VIEW_PERIOD = "scoring.view_period"
VIEW_RUN = "scoring.view_rankingrun"
ADD_PERIOD = "scoring.add_period"
CHANGE_PERIOD = "scoring.change_period"
COMPUTE = "scoring.compute_ranking"
PUBLISH = "scoring.publish_ranking"

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


def _periods():
    runs = RankingRun.objects.filter(period=OuterRef("pk"))
    latest = runs.order_by("-number")
    published = runs.filter(status=RankingRun.Status.PUBLISHED)
    periods = list(
        Period.objects.select_related("rule_set").annotate(
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
    context = {
        "periods": _periods(),
        "form": form,
        "can_add": can_add,
        "can_change": request.user.has_perm(CHANGE_PERIOD),
    }
    return render(
        request, "scoring/staff/period_list.html", context, status=400 if form.errors else 200
    )


def _period_page(request: HttpRequest, period: Period, *, status: int = 200) -> HttpResponse:
    runs = period.runs.select_related("rule_set", "requested_by").order_by("-number")
    page = Paginator(runs, 20).get_page(request.GET.get("page"))
    active = period.runs.filter(
        status__in=[RankingRun.Status.QUEUED, RankingRun.Status.RUNNING]
    ).first()
    if active:
        active.period = period
        active.stage_label = _stage(active)
    context = {
        "period": period,
        "page": page,
        "active": active,
        "published": period.published_run(),
        "can_compute": request.user.has_perm(COMPUTE),
        "can_change": request.user.has_perm(CHANGE_PERIOD),
    }
    return render(request, "scoring/staff/period_detail.html", context, status=status)


@staff_permission(VIEW_RUN)
@require_GET
@_with_period
def period_detail(request: HttpRequest, period: Period) -> HttpResponse:
    return _period_page(request, period)


def period_closed_set(*, period: Period, closed: bool) -> Period:
    """Close a period (the nightly task no longer recomputes it) or reopen it. Safe to repeat.

    Closing changes no run: a run being computed finishes, and publishing stays possible."""
    Period.objects.filter(pk=period.pk).update(closed=closed)
    period.closed = closed
    return period


@staff_permission(CHANGE_PERIOD)
@require_POST
@_with_period
def period_close(request: HttpRequest, period: Period) -> HttpResponse:
    value = request.POST.get("closed")
    if value not in ("0", "1"):
        messages.error(request, _("Choose whether to close or reopen the period."))
        return _period_page(request, period, status=400)
    period_closed_set(period=period, closed=value == "1")
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


@dataclass
class Change:
    """How a row differs from the same department's or official's row in the baseline run."""

    new: bool = False
    rank_move: int | None = None  # positive: moved up
    rank_text: str = ""
    score_delta: Decimal | None = None

    @property
    def changed(self) -> bool:
        return self.new or bool(self.rank_text) or bool(self.score_delta)

    @property
    def text(self) -> str:
        if self.new:
            return _("new")
        parts = [self.rank_text] if self.rank_text else []
        if self.score_delta:
            parts.append(f"{self.score_delta:+.2f}")
        return " · ".join(parts)


def _change(row, old) -> Change:
    if old is None:
        return Change(new=True)
    change = Change(score_delta=row.score - old.score)
    if old.rank is not None and row.rank is not None:
        change.rank_move = old.rank - row.rank
        if change.rank_move > 0:
            change.rank_text = _("up %(n)s from %(rank)s") % {
                "n": change.rank_move,
                "rank": old.rank,
            }
        elif change.rank_move < 0:
            change.rank_text = _("down %(n)s from %(rank)s") % {
                "n": -change.rank_move,
                "rank": old.rank,
            }
    elif old.rank is None and row.rank is not None:
        change.rank_text = _("newly ranked")
    elif old.rank is not None and row.rank is None:
        change.rank_text = _("no longer ranked (was %(rank)s)") % {"rank": old.rank}
    return change


def _compare(rows: list, baseline_rows: list, key: str) -> dict:
    """Attach a `change` to every row; count the moves; list the baseline's rows that this
    run does not have."""
    before = {getattr(r, key): r for r in baseline_rows}
    summary = {"rank": 0, "score": 0, "new": 0, "missing": []}
    for row in rows:
        row.change = _change(row, before.pop(getattr(row, key), None))
        summary["new"] += row.change.new
        summary["rank"] += bool(row.change.rank_text)
        summary["score"] += bool(row.change.score_delta)
    summary["missing"] = sorted(before.values(), key=lambda r: r.position)
    return summary


def _baseline(run: RankingRun) -> RankingRun | None:
    """What a reviewer compares a run with: the period's current publication, or, for the
    published run itself, the publication it replaced."""
    Status = RankingRun.Status
    runs = run.period.runs.exclude(pk=run.pk)
    if run.status == Status.PUBLISHED:
        return (
            runs.filter(status=Status.SUPERSEDED, number__lt=run.number).order_by("-number").first()
        )
    return runs.filter(status=Status.PUBLISHED).first()


def _why_url(name: str, period: Period, run: RankingRun, key: str) -> str | None:
    """The public "why this score" page of a row, showing this run."""
    try:
        return reverse(name, args=[period.code, key]) + f"?run={run.number}"
    except NoReverseMatch:  # the public rankings pages are not installed
        return None


def _rules(run: RankingRun) -> list[tuple[str, object]]:
    out = []
    for name, value in run.rules.items():
        if name in ("version", "name"):
            continue
        try:
            label = RuleSet._meta.get_field(name).verbose_name
        except Exception:  # noqa: BLE001 - a setting of an older rule-set layout
            label = name
        out.append((label, value))
    return out


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
    baseline = _baseline(run)
    if baseline is not None:
        department_diff = _compare(departments, list(baseline.departments.all()), "department_id")
        official_diff = _compare(officials, list(baseline.officials.all()), "official_id")
    else:
        department_diff = official_diff = None
    for row in departments:
        row.why_url = _why_url("rankings:department", period, run, row.code)
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
        "officials": officials,
        "baseline": baseline,
        "published": published,
        "department_diff": department_diff,
        "official_diff": official_diff,
        "rules": _rules(run),
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


def _setting(value):
    return f"{value.normalize():f}" if isinstance(value, Decimal) else value


@staff_permission("scoring.view_ruleset")
@require_GET
def rule_set_list(request: HttpRequest) -> HttpResponse:
    rule_sets = list(RuleSet.objects.annotate(run_count=Count("runs")).prefetch_related("periods"))
    for rule_set in rule_sets:
        rule_set.settings = [
            (f.verbose_name, _setting(getattr(rule_set, f.name)))
            for f in RuleSet._meta.concrete_fields
            if f.name not in ("id", "version", "name", "created_at")
        ]
    admin_url = None
    if request.user.has_perm("scoring.change_ruleset") and request.user.is_staff:
        try:
            admin_url = reverse("admin:scoring_ruleset_changelist")
        except NoReverseMatch:  # not registered in the admin
            admin_url = None
    context = {
        "rule_sets": rule_sets,
        "admin_url": admin_url,
        "may_change": request.user.has_perm("scoring.change_ruleset"),
    }
    return render(request, "scoring/staff/rule_sets.html", context)
