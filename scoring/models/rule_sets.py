"""Rule sets: the versioned settings of the formulas (weights, prior weight k, bonus and
cap, deductions, minimum responses, award counts, replicates), frozen once in use, and the
default rule set of SPEC section 5."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

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
        # The decimal settings (weights, k, bonuses, caps, deductions); the counts are
        # positive fields already.
        for name in self.decimal_settings():
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

    @classmethod
    def decimal_settings(cls) -> list[str]:
        """The names of the settings that are decimals, in the order they are declared."""
        return [f.name for f in cls._meta.concrete_fields if isinstance(f, models.DecimalField)]

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


def rule_set_default_restore(sender, **kwargs) -> None:
    """post_migrate receiver. A flush (as transactional tests do) empties every table and
    then sends post_migrate: recreate the default rule set, as the roles and the survey
    defaults are."""
    rule_set_default_ensure()


def rule_set_default_ensure() -> RuleSet:
    """The default rule set of SPEC section 5, created if there is none. Safe to repeat."""
    existing = RuleSet.objects.order_by("version").first()
    if existing:
        return existing
    return RuleSet.objects.create(version=1, name=str(_("Default rules")))
