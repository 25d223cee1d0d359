"""Evaluation periods and ranking runs: a run's status, progress, the settings it used,
its fingerprint, timings and publication (SPEC section 5)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kindness.fields import optional_key, user_key
from scoring.models.rule_sets import RuleSet


class Period(models.Model):
    """An evaluation period (SPEC section 5): the days a ranking counts, the rule set it is
    computed with and, for a second half, the wider window in which unkindness deducts."""

    class Kind(models.TextChoices):
        """A half year or a whole year (`create_period 2026-H1|2026-H2|2026`), or any dates."""

        FIRST_HALF = "first_half", _("First half")
        SECOND_HALF = "second_half", _("Second half")
        YEAR = "year", _("Year")
        CUSTOM = "custom", _("Custom")

    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="periods", verbose_name=_("rule set")
    )
    deduction_starts_on = models.DateField(_("deduction window from"), null=True, blank=True)
    deduction_ends_on = models.DateField(_("deduction window to"), null=True, blank=True)
    closed = models.BooleanField(
        _("closed"),
        default=False,
        help_text=_("A closed period is no longer recomputed every night."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "code"]
        verbose_name = _("evaluation period")
        verbose_name_plural = _("evaluation periods")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="period_dates_in_order"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(deduction_starts_on__isnull=True, deduction_ends_on__isnull=True)
                    | models.Q(deduction_ends_on__gte=models.F("deduction_starts_on"))
                ),
                name="period_deduction_window_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last day comes before the first day.")})
        if (self.deduction_starts_on is None) != (self.deduction_ends_on is None):
            raise ValidationError(
                {"deduction_ends_on": _("Give both ends of the deduction window, or neither.")}
            )
        if self.deduction_starts_on and self.deduction_ends_on < self.deduction_starts_on:
            raise ValidationError(
                {"deduction_ends_on": _("The deduction window ends before it starts.")}
            )

    @property
    def has_deduction_window(self) -> bool:
        return self.deduction_starts_on is not None

    def published_run(self) -> RankingRun | None:
        return self.runs.filter(status=RankingRun.Status.PUBLISHED).first()


class RankingRun(models.Model):
    """One computation of a period's rankings. Its rows are written in the same transaction
    that marks it completed, so a run is either whole or has no rows at all."""

    class Status(models.TextChoices):
        """Queued, computing, then computed (or failed). Publishing a computed run makes the
        period's previously published run superseded: one published run per period."""

        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Computing")
        COMPLETED = "completed", _("Computed, not published")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        """Who asked for the run: a manager on the period's page, `compute_rankings`, the
        nightly recomputation of open periods, the rerun of a failed run, or the demo data."""

        MANAGER = "manager", _("Manager")
        COMMAND = "command", _("Command")
        NIGHTLY = "nightly", _("Nightly recomputation")
        RERUN = "rerun", _("Rerun after a failure")
        DEMO = "demo", _("Demo data")

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="runs", verbose_name=_("period")
    )
    number = models.PositiveIntegerField(_("run number"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    trigger = models.CharField(_("started by"), max_length=20, choices=Trigger.choices)
    requested_by = user_key(_("requested by"), optional=True, on_delete=models.SET_NULL)
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="runs", verbose_name=_("rule set")
    )
    rules = models.JSONField(_("rule settings used"), default=dict)
    fingerprint = models.JSONField(_("inputs fingerprint"), default=dict)
    notes = models.JSONField(_("notes"), default=list)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=40, blank=True)
    error = models.TextField(_("error"), blank=True)
    rerun_of = optional_key("self", _("rerun of"), on_delete=models.SET_NULL, related_name="reruns")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    timings = models.JSONField(_("timings (s)"), default=dict)
    # Per department component, the city pool: {"v": {"n", "mean" (p/q), "variance"}}; the
    # funnel plot and the "clearly above / below" marks read it. Under "officials" the same
    # for the officials' components ({"t": ..., "h": ...}): an official's breakdown is
    # built from it and the run's tallies.
    city = models.JSONField(_("city means and spread"), default=dict)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = user_key(_("published by"), optional=True, on_delete=models.SET_NULL)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        ordering = ["period", "-number"]
        verbose_name = _("ranking run")
        verbose_name_plural = _("ranking runs")
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="run_number_per_period"),
            models.UniqueConstraint(
                fields=["period"],
                condition=models.Q(status="published"),
                name="one_published_run_per_period",
            ),
        ]
        permissions = [
            ("compute_ranking", _("Can compute rankings")),
            ("publish_ranking", _("Can publish rankings")),
        ]

    def __str__(self) -> str:
        return f"{self.period.code} #{self.number}"

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.COMPLETED, self.Status.PUBLISHED, self.Status.SUPERSEDED)

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def duration(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None
