"""The scores and rankings' entries on the staff home (kindness.staff_home), registered on
import: the app's `ready()` imports this module."""

import datetime as dt

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kindness.roles import Role, scope_of
from kindness.staff_home import Figure, StaffLink, register
from scoring.models import DepartmentScore, RankingRun
from scoring.selectors.runs import latest_published_period, open_periods, runs_awaiting_review


def _rank_figures(rows):
    """One line per department row of the latest published ranking, linking to its "why
    this score" page."""
    rows = list(rows.select_related("run__period").order_by("position"))
    if not rows:
        return []
    run = rows[0].run
    ranked = run.departments.filter(rank__isnull=False).count()
    figures = []
    for row in rows:
        if row.rank is None:
            value = gettext("not ranked · score %(score)s") % {"score": row.score}
        else:
            value = gettext("rank %(rank)s of %(n)s · score %(score)s") % {
                "rank": row.rank,
                "n": ranked,
                "score": row.score,
            }
        figures.append(
            Figure(
                label=f"{row.name} ({run.period.code})",
                value=value,
                url=reverse("rankings:department", args=[run.period.code, row.code]),
            )
        )
    return figures


def _latest_published_rows(user, *, bureau: bool):
    scope = scope_of(user)
    period = latest_published_period()
    wanted = scope.bureau_id if bureau else scope.department_id
    if period is None or wanted is None:
        return DepartmentScore.objects.none()
    run = period.runs.filter(status=RankingRun.Status.PUBLISHED).first()
    rows = DepartmentScore.objects.filter(run=run)
    if bureau:
        return rows.filter(department__bureau_id=wanted)
    return rows.filter(department_id=wanted)


def _department_rank(user):
    return _rank_figures(_latest_published_rows(user, bureau=False))


def _bureau_ranks(user):
    return _rank_figures(_latest_published_rows(user, bureau=True))


def _runs_awaiting_review(user) -> int:
    return runs_awaiting_review().count()


def _open_periods(user) -> int:
    return open_periods().count()


def _recent_publications(user):
    since = timezone.now() - dt.timedelta(days=90)
    runs = (
        RankingRun.objects.filter(published_at__gte=since)
        .select_related("period")
        .order_by("-published_at")[:5]
    )
    return [
        Figure(
            label=run.period.code,
            value=formats.date_format(timezone.localtime(run.published_at), "Y-m-d"),
            url=reverse("rankings:period", args=[run.period.code]),
        )
        for run in runs
    ]


# A table, one entry per line: key, label, URL name, roles, permission, query, count, figures, order.
# fmt: off
register(
    StaffLink("scoring.runs-awaiting-review", _("Ranking runs awaiting review"), "scoring:periods", (Role.MANAGER,), "scoring.publish_ranking", "show=review", _runs_awaiting_review, None, 40),
    StaffLink("scoring.open-periods", _("Open evaluation periods"), "scoring:periods", (Role.MANAGER,), "scoring.view_period", "show=open", _open_periods, None, 41),
    StaffLink("scoring.department-rank", _("Your department's latest published rank"), "rankings:latest", (Role.DEPARTMENT_HEAD,), "", "", None, _department_rank, 40),
    StaffLink("scoring.bureau-ranks", _("Your bureau's departments in the latest published ranking"), "rankings:latest", (Role.BUREAU_HEAD,), "", "", None, _bureau_ranks, 40),
    StaffLink("scoring.recent-publications", _("Rankings published in the last 90 days"), "rankings:latest", (Role.AUDITOR,), "", "", None, _recent_publications, 20),
    StaffLink("scoring.periods", _("Evaluation periods and ranking runs"), "scoring:periods", (Role.MANAGER, Role.AUDITOR), "scoring.view_period", "", None, None, 300),
)
# fmt: on
