"""Which rankings a visitor may see (SPEC section 5, "Computing and publishing"): the
statuses that are public, who may see unpublished runs and individual rows, the periods
and runs the public pages and the staff's review list read, and `NotFound` with its
reason."""

from __future__ import annotations

import re

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kindness.models import Department
from kindness.roles import Role, has_role, scope_of
from scoring.models import OfficialScore, Period, RankingRun

Status = RankingRun.Status
# A published ranking stays public after a newer one supersedes it: both are its history.
PUBLIC_STATUSES = (Status.PUBLISHED, Status.SUPERSEDED)
COMPUTED_STATUSES = (Status.COMPLETED, Status.PUBLISHED, Status.SUPERSEDED)
# Periods whose scores are compared in one trend: halves with halves, years with years.
TREND_FAMILIES = (
    {Period.Kind.FIRST_HALF, Period.Kind.SECOND_HALF},
    {Period.Kind.YEAR},
    {Period.Kind.CUSTOM},
)
RUN_NUMBER = re.compile(r"[0-9]{1,9}")


class NotFound(Exception):
    """What the visitor asked for is not there, or not for them to see; says which."""

    def __init__(self, message: str, *, title: str | None = None, period: Period | None = None):
        super().__init__(message)
        self.message = message
        self.title = title
        self.period = period


# --- who may see what --------------------------------------------------------------------


def may_see_unpublished(user) -> bool:
    """Runs that were never published are for the evaluation office and inspection only."""
    return has_role(user, Role.MANAGER, Role.AUDITOR)


def may_see_all_officials(user) -> bool:
    return has_role(user, Role.MANAGER, Role.AUDITOR)


def may_see_officials(user) -> bool:
    """Individual rankings: managers and auditors all, heads their own people (SPEC
    section 5). Admin (IT), happy-call staff and report officers: none."""
    return has_role(user, Role.MANAGER, Role.AUDITOR, Role.DEPARTMENT_HEAD, Role.BUREAU_HEAD)


def _own_department_ids(user) -> frozenset[int]:
    scope = scope_of(user)
    if not scope.city_wide:
        return scope.department_ids
    # A head who also holds a city-wide role that grants no individual rows (happy-call
    # staff, report officer, admin) still sees only their own people here.
    official = getattr(user, "official", None)
    if official is None:
        return frozenset()
    ids = set()
    if has_role(user, Role.DEPARTMENT_HEAD):
        ids.add(official.department_id)
    if has_role(user, Role.BUREAU_HEAD):
        bureau_id = Department.objects.filter(pk=official.department_id).values("bureau_id")
        ids.update(Department.objects.filter(bureau_id__in=bureau_id).values_list("pk", flat=True))
    return frozenset(ids)


def official_rows_visible_to(user, run: RankingRun) -> QuerySet[OfficialScore] | None:
    """The individual rows of `run` this user may see, in listing order; None when the user
    may not see individual rankings at all (the caller answers 403, or login)."""
    if not getattr(user, "is_authenticated", False) or not may_see_officials(user):
        return None
    rows = OfficialScore.objects.filter(run=run).order_by("position")
    if may_see_all_officials(user):
        return rows
    return rows.filter(department_id__in=_own_department_ids(user))


def report_links_for(user, department_id: int) -> bool:
    """Whether receipt numbers behind a score link to the staff case page: only for staff
    who may open reports, and heads only for their own department's."""
    if not user.has_perm("complaints.view_report"):
        return False
    scope = scope_of(user)
    return scope.city_wide or department_id in scope.department_ids


# --- periods and runs --------------------------------------------------------------------


def runs_awaiting_review() -> QuerySet[RankingRun]:
    """Computed runs not yet published (nor superseded): what a manager reviews. The staff
    home counts them and links to the period list filtered to them (issue 15 item 3)."""
    return RankingRun.objects.filter(status=Status.COMPLETED)


def open_periods() -> QuerySet[Period]:
    """Periods still recomputed every night."""
    return Period.objects.filter(closed=False)


def published_periods() -> list[Period]:
    """Periods with a published run, oldest first (one published run per period at most)."""
    return list(
        Period.objects.filter(runs__status=Status.PUBLISHED).order_by(
            "starts_on", "ends_on", "code"
        )
    )


def latest_published_period() -> Period | None:
    """The period `/rankings/` shows: the one ending last (then starting last) that has a
    published run."""
    return (
        Period.objects.filter(runs__status=Status.PUBLISHED)
        .select_related("rule_set")
        .order_by("-ends_on", "-starts_on", "code")
        .first()
    )


def period_for(code: str) -> Period:
    period = Period.objects.filter(code=code).first()
    if period is None:
        raise NotFound(
            _("There is no evaluation period “%(code)s”.") % {"code": code[:40]},
            title=_("Period not found"),
        )
    return period


def run_for(*, period: Period, user, number: str | None) -> RankingRun:
    """The run to show: the period's published run, or with `?run=N` run N if this user may
    see it (published and superseded runs: everyone; computed, unpublished: managers and
    auditors). Raises NotFound with the reason."""
    runs = RankingRun.objects.filter(period=period).select_related("period")
    if number is None:
        run = runs.filter(status=Status.PUBLISHED).first()
        if run is None:
            raise NotFound(
                _("The rankings of period %(code)s have not been published yet.")
                % {"code": period.code},
                title=_("Not published yet"),
                period=period,
            )
        return run
    if not RUN_NUMBER.fullmatch(number):
        raise NotFound(
            _("“%(run)s” is not a run number: run numbers are whole numbers such as 1, 2 or 3.")
            % {"run": number[:20]},
            title=_("Run not found"),
            period=period,
        )
    statuses = COMPUTED_STATUSES if may_see_unpublished(user) else PUBLIC_STATUSES
    run = runs.filter(number=int(number), status__in=statuses).first()
    if run is None:
        raise NotFound(
            _("Period %(code)s has no run #%(number)s to show.")
            % {"code": period.code, "number": int(number)},
            title=_("Run not found"),
            period=period,
        )
    return run


def publication_stamp() -> tuple:
    """Every public run (published or superseded) with its status and times: it changes
    with every publication. A public rankings page depends on nothing else beside its own
    run, whose rows and period never change once published. (A plain list of the few public
    runs: cheaper to ask for than an aggregate of them.)"""
    return tuple(
        RankingRun.objects.filter(status__in=PUBLIC_STATUSES)
        .order_by("pk")
        .values_list("pk", "status", "published_at", "superseded_at")
    )


def publication_history(period: Period) -> list[RankingRun]:
    """The period's published and superseded runs, newest first."""
    return list(period.runs.filter(status__in=PUBLIC_STATUSES).order_by("-number"))
