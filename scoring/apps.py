from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_defaults(sender, **kwargs) -> None:
    # A flush (as transactional tests do) empties every table and then sends post_migrate:
    # recreate the default rule set like the roles and the survey defaults.
    from scoring.models import rule_set_default_ensure

    rule_set_default_ensure()


def _rank_figures(rows):
    """One line per department row of the latest published ranking, linking to its "why
    this score" page."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from kindness.staff_home import Figure

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
    from kindness.roles import scope_of
    from scoring.models import DepartmentScore, RankingRun
    from scoring.selectors.runs import latest_published_period

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
    from scoring.selectors.runs import runs_awaiting_review

    return runs_awaiting_review().count()


def _open_periods(user) -> int:
    from scoring.selectors.runs import open_periods

    return open_periods().count()


def _recent_publications(user):
    import datetime as dt

    from django.urls import reverse
    from django.utils import formats, timezone

    from kindness.staff_home import Figure
    from scoring.models import RankingRun

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


def _register_staff_home() -> None:
    from kindness.roles import Role
    from kindness.staff_home import StaffLink, register

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


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scores and rankings")

    def ready(self) -> None:
        post_migrate.connect(_ensure_defaults, sender=self, dispatch_uid="scoring.defaults")
        _register_staff_home()
