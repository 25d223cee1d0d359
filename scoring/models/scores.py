"""What a ranking run wrote: a department's or official's score row with its breakdown,
the run's tallies (what it read, compactly) and its publication package."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kindness.models import Bureau, Department, Official
from scoring.models.runs import RankingRun

SCORE = {"max_digits": 6, "decimal_places": 2}


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
    # The row's place in its run's list, from 1.
    position = models.PositiveIntegerField(_("listing order"))

    class Meta:
        abstract = True
        ordering = ["run", "position"]


class DepartmentScore(ScoreRow):
    run = models.ForeignKey(RankingRun, on_delete=models.CASCADE, related_name="departments")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=20)
    bureau_rank = models.PositiveIntegerField(_("rank in bureau"), null=True, blank=True)
    v = models.DecimalField("V", null=True, blank=True, **SCORE)
    v_n = models.PositiveIntegerField(_("visitor responses"), default=0)
    award = models.BooleanField(_("marked for award"), default=False)

    class Meta(ScoreRow.Meta):
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

    class Meta(ScoreRow.Meta):
        verbose_name = _("individual score")
        verbose_name_plural = _("individual scores")
        constraints = [
            models.UniqueConstraint(fields=["run", "official"], name="one_row_per_official"),
        ]
        indexes = [models.Index(fields=["run", "department"])]

    def __str__(self) -> str:
        return f"{self.run} {self.employee_no} {self.score}"


class RunPart(models.Model):
    """What a run keeps beside it, one row per run: each subclass's `run` is a one-to-one
    key and its primary key."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.run)


class RunTallies(RunPart):
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


class RunPackage(RunPart):
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
