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
    from scoring.selectors import latest_published_period

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
    from scoring.models import RankingRun

    return RankingRun.objects.filter(status=RankingRun.Status.COMPLETED).count()


def _open_periods(user) -> int:
    from scoring.models import Period

    return Period.objects.filter(closed=False).count()


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

    register(
        StaffLink(
            key="scoring.runs-awaiting-review",
            label=_("Ranking runs awaiting review"),
            url_name="scoring:periods",
            roles=(Role.MANAGER,),
            permission="scoring.publish_ranking",
            count=_runs_awaiting_review,
            order=40,
        ),
        StaffLink(
            key="scoring.open-periods",
            label=_("Open evaluation periods"),
            url_name="scoring:periods",
            roles=(Role.MANAGER,),
            permission="scoring.view_period",
            count=_open_periods,
            order=41,
        ),
        StaffLink(
            key="scoring.department-rank",
            label=_("Your department's latest published rank"),
            url_name="rankings:latest",
            roles=(Role.DEPARTMENT_HEAD,),
            figures=_department_rank,
            order=40,
        ),
        StaffLink(
            key="scoring.bureau-ranks",
            label=_("Your bureau's departments in the latest published ranking"),
            url_name="rankings:latest",
            roles=(Role.BUREAU_HEAD,),
            figures=_bureau_ranks,
            order=40,
        ),
        StaffLink(
            key="scoring.recent-publications",
            label=_("Rankings published in the last 90 days"),
            url_name="rankings:latest",
            roles=(Role.AUDITOR,),
            figures=_recent_publications,
            order=20,
        ),
        StaffLink(
            key="scoring.periods",
            label=_("Evaluation periods and ranking runs"),
            url_name="scoring:periods",
            roles=(Role.MANAGER, Role.AUDITOR, Role.ADMIN),
            permission="scoring.view_period",
            order=300,
        ),
    )


class ScoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "scoring"
    verbose_name = _("Scores and rankings")

    def ready(self) -> None:
        post_migrate.connect(_ensure_defaults, sender=self, dispatch_uid="scoring.defaults")
        _register_staff_home()
