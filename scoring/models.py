"""Evaluation periods, rule sets, ranking runs and their rows (SPEC section 5)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kindness.models import Bureau, Department, Official

SCORE = {"max_digits": 6, "decimal_places": 2}
SETTING = {"max_digits": 6, "decimal_places": 3}
# Fewer replicates make the 5th and 95th percentiles coarse; more cost time for nothing.
MIN_REPLICATES, MAX_REPLICATES = 100, 20000


class RuleSet(models.Model):
    """The settings of the scoring formulas, versioned. A rule set used by a run is frozen:
    a change is made as a new version, so a computed or published ranking never moves."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    # Department score.
    weight_v = models.DecimalField(
        _("weight of the visitor survey (V)"), default=Decimal("0.3"), **SETTING
    )
    weight_t = models.DecimalField(
        _("weight of the telephone survey (T)"), default=Decimal("0.4"), **SETTING
    )
    weight_h = models.DecimalField(
        _("weight of the happy-call survey (H)"), default=Decimal("0.3"), **SETTING
    )
    prior_k = models.DecimalField(_("prior weight k"), default=Decimal("5"), **SETTING)
    praise_bonus = models.DecimalField(
        _("department bonus per praise"), default=Decimal("0.5"), **SETTING
    )
    praise_cap = models.DecimalField(_("department bonus at most"), default=Decimal("5"), **SETTING)
    unkind_deduction = models.DecimalField(
        _("department deduction per unkindness report"), default=Decimal("2"), **SETTING
    )
    award_count = models.PositiveSmallIntegerField(
        _("departments marked for award (top ranks)"), default=3
    )
    # Individual score.
    official_weight_t = models.DecimalField(
        _("individual weight of calls (T)"), default=Decimal("0.6"), **SETTING
    )
    official_weight_h = models.DecimalField(
        _("individual weight of the kindness answer (H)"), default=Decimal("0.4"), **SETTING
    )
    official_praise_bonus = models.DecimalField(
        _("individual bonus per praise"), default=Decimal("1"), **SETTING
    )
    official_praise_cap = models.DecimalField(
        _("individual bonus at most"), default=Decimal("5"), **SETTING
    )
    official_unkind_deduction = models.DecimalField(
        _("individual deduction per unkindness report"), default=Decimal("3"), **SETTING
    )
    minimum_responses = models.PositiveSmallIntegerField(
        _("fewest scored responses for an individual rank"), default=3
    )
    encourage_count = models.PositiveSmallIntegerField(
        _("officials marked for encouragement (top ranks)"), default=10
    )
    # How sure a rank is (SPEC section 5): bootstrap replicates behind each rank interval.
    bootstrap_replicates = models.PositiveSmallIntegerField(
        _("bootstrap replicates for the rank intervals"), default=1000
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("scoring rule set")
        verbose_name_plural = _("scoring rule sets")

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    def clean(self) -> None:
        errors = {}
        department = self.weight_v + self.weight_t + self.weight_h
        if department != 1:
            errors["weight_h"] = _(
                "The department weights V, T and H must sum to 1 (they sum to %(sum)s)."
            ) % {"sum": department.normalize()}
        official = self.official_weight_t + self.official_weight_h
        if official != 1:
            errors["official_weight_h"] = _(
                "The individual weights T and H must sum to 1 (they sum to %(sum)s)."
            ) % {"sum": official.normalize()}
        for name in (
            "weight_v",
            "weight_t",
            "weight_h",
            "prior_k",
            "praise_bonus",
            "praise_cap",
            "unkind_deduction",
            "official_weight_t",
            "official_weight_h",
            "official_praise_bonus",
            "official_praise_cap",
            "official_unkind_deduction",
        ):
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = _("This setting cannot be negative.")
        replicates = self.bootstrap_replicates
        if replicates is not None and not MIN_REPLICATES <= replicates <= MAX_REPLICATES:
            errors["bootstrap_replicates"] = _(
                "Draw between %(low)s and %(high)s bootstrap replicates."
            ) % {"low": MIN_REPLICATES, "high": MAX_REPLICATES}
        if errors:
            raise ValidationError(errors)

    @property
    def in_use(self) -> bool:
        return self.pk is not None and self.runs.exists()

    def as_dict(self) -> dict[str, str | int]:
        """The settings, as stored with every run (decimals as strings, exactly)."""
        out: dict[str, str | int] = {"version": self.version, "name": self.name}
        for f in self._meta.concrete_fields:
            if isinstance(f, models.DecimalField):
                out[f.name] = format(getattr(self, f.name).normalize(), "f")
            elif isinstance(f, models.PositiveSmallIntegerField):
                out[f.name] = getattr(self, f.name)
        return out

    @classmethod
    def current(cls) -> RuleSet:
        """The newest version (the default rule set exists right after migrate)."""
        return cls.objects.order_by("-version").first() or rule_set_default_ensure()


def rule_set_default_ensure() -> RuleSet:
    """The default rule set of SPEC section 5, created if there is none. Safe to repeat."""
    existing = RuleSet.objects.order_by("version").first()
    if existing:
        return existing
    return RuleSet.objects.create(version=1, name=str(_("Default rules")))


class Period(models.Model):
    class Kind(models.TextChoices):
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
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Computing")
        COMPLETED = "completed", _("Computed, not published")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
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
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="runs", verbose_name=_("rule set")
    )
    rules = models.JSONField(_("rule settings used"), default=dict)
    fingerprint = models.JSONField(_("inputs fingerprint"), default=dict)
    notes = models.JSONField(_("notes"), default=list)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=40, blank=True)
    error = models.TextField(_("error"), blank=True)
    rerun_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reruns",
        verbose_name=_("rerun of"),
    )
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
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
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


class ScoreRow(models.Model):
    """What both kinds of row share: the names as they were, the result and its parts."""

    run = models.ForeignKey(RankingRun, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    bureau_name = models.CharField(_("bureau"), max_length=100)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    score = models.DecimalField(_("score"), **SCORE)
    base = models.FloatField(_("weighted score before bonus and deduction"))
    t = models.DecimalField("T", null=True, blank=True, **SCORE)
    h = models.DecimalField("H", null=True, blank=True, **SCORE)
    t_n = models.PositiveIntegerField(_("telephone responses"), default=0)
    h_n = models.PositiveIntegerField(_("happy-call responses"), default=0)
    bonus = models.DecimalField(_("bonus"), **SCORE)
    deduction = models.DecimalField(_("deduction"), **SCORE)
    rank_low = models.PositiveIntegerField(_("rank interval from"), null=True, blank=True)
    rank_high = models.PositiveIntegerField(_("rank interval to"), null=True, blank=True)
    praise_count = models.PositiveIntegerField(_("praise counted"), default=0)
    unkind_count = models.PositiveIntegerField(_("unkindness reports counted"), default=0)
    # Every number behind the score, in full precision, and the reports counted:
    # {"components": {"t": {"mean", "n", "city_mean", "adjusted", "weight"}, ...},
    #  "praise": [receipt numbers], "unkind": [receipt numbers]}. Stored with department
    # rows; an official's row leaves it empty and `selectors.breakdown_of` builds it from
    # the run's tallies (official rows of runs computed before that keep theirs).
    breakdown = models.JSONField(_("breakdown"), default=dict)

    class Meta:
        abstract = True


class DepartmentScore(ScoreRow):
    run = models.ForeignKey(RankingRun, on_delete=models.CASCADE, related_name="departments")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=20)
    bureau_rank = models.PositiveIntegerField(_("rank in bureau"), null=True, blank=True)
    v = models.DecimalField("V", null=True, blank=True, **SCORE)
    v_n = models.PositiveIntegerField(_("visitor responses"), default=0)
    award = models.BooleanField(_("marked for award"), default=False)
    position = models.PositiveIntegerField(_("listing order"))

    class Meta:
        ordering = ["run", "position"]
        verbose_name = _("department score")
        verbose_name_plural = _("department scores")
        constraints = [
            models.UniqueConstraint(fields=["run", "department"], name="one_row_per_department"),
        ]

    def __str__(self) -> str:
        return f"{self.run} {self.code} {self.score}"


class OfficialScore(ScoreRow):
    run = models.ForeignKey(RankingRun, on_delete=models.CASCADE, related_name="officials")
    official = models.ForeignKey(Official, on_delete=models.PROTECT, related_name="+")
    employee_no = models.CharField(_("employee number"), max_length=30)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    department_name = models.CharField(_("department"), max_length=100)
    insufficient = models.BooleanField(_("insufficient data"), default=False)
    encourage = models.BooleanField(_("marked for encouragement"), default=False)
    position = models.PositiveIntegerField(_("listing order"))

    class Meta:
        ordering = ["run", "position"]
        verbose_name = _("individual score")
        verbose_name_plural = _("individual scores")
        constraints = [
            models.UniqueConstraint(fields=["run", "official"], name="one_row_per_official"),
        ]
        indexes = [models.Index(fields=["run", "department"])]

    def __str__(self) -> str:
        return f"{self.run} {self.employee_no} {self.score}"


class RunTallies(models.Model):
    """What a run read, compactly: per department and official code, each component's
    distinct response scores (exact fractions "p/q") with their counts, and the receipt
    numbers of the reports counted (SPEC section 5, "How sure a rank is"). The rank
    intervals and the publication package are computed from it alone."""

    run = models.OneToOneField(
        RankingRun, on_delete=models.CASCADE, primary_key=True, related_name="tallies"
    )
    data = models.JSONField(_("tallies"))
    seed = models.CharField(_("bootstrap seed"), max_length=20)
    replicates = models.PositiveIntegerField(_("bootstrap replicates"))

    class Meta:
        verbose_name = _("ranking run tallies")
        verbose_name_plural = _("ranking run tallies")

    def __str__(self) -> str:
        return str(self.run)


class RunPackage(models.Model):
    """The publication package of a published run: the zip built once at publication and
    served byte for byte ever after (SPEC section 5, "A publication anyone can re-check")."""

    run = models.OneToOneField(
        RankingRun, on_delete=models.CASCADE, primary_key=True, related_name="package"
    )
    content = models.BinaryField(_("zip file"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    built_at = models.DateTimeField(_("built at"), auto_now_add=True)

    class Meta:
        verbose_name = _("publication package")
        verbose_name_plural = _("publication packages")

    def __str__(self) -> str:
        return str(self.run)
