"""Rule sets and period settings: new rule set versions, the rule set a period is scored
with, and whether a period is recomputed every night (SPEC sections 1 and 5).

Rule sets are versioned data. A version is never changed once saved: a change is saved as
a new version, and a period switches to it only until a ranking of the period has been
published, so a published ranking always cites the rules it was computed with. Every run
stores the settings it used (`RankingRun.rules`), so runs already computed keep theirs.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.models import Period, RankingRun, RuleSet
from scoring.services import ScoringError, rule_set_check

# The settings of RuleSet, by the score they shape (SPEC section 5). The prior weight k
# shrinks the individual means too, but is set once, with the department settings.
DEPARTMENT_SETTINGS = (
    "weight_v",
    "weight_t",
    "weight_h",
    "prior_k",
    "praise_bonus",
    "praise_cap",
    "unkind_deduction",
    "award_count",
)
INDIVIDUAL_SETTINGS = (
    "official_weight_t",
    "official_weight_h",
    "official_praise_bonus",
    "official_praise_cap",
    "official_unkind_deduction",
    "minimum_responses",
    "encourage_count",
)
CERTAINTY_SETTINGS = ("bootstrap_replicates",)
SETTINGS = DEPARTMENT_SETTINGS + INDIVIDUAL_SETTINGS + CERTAINTY_SETTINGS
GROUPS = (
    (gettext_lazy("Department score"), DEPARTMENT_SETTINGS),
    (gettext_lazy("Individual score"), INDIVIDUAL_SETTINGS),
    (gettext_lazy("How sure a rank is"), CERTAINTY_SETTINGS),
)
# A run in either state is, or was, a publication.
PUBLISHED_ONCE = (RankingRun.Status.PUBLISHED, RankingRun.Status.SUPERSEDED)
# Attempts at taking the next version number when other versions are saved at once.
ATTEMPTS = 5


# --- reading -----------------------------------------------------------------------------


def setting_label(name: str) -> str:
    try:
        return RuleSet._meta.get_field(name).verbose_name
    except FieldDoesNotExist:  # a setting of an older rule-set layout, stored with a run
        return name


def settings_labelled(values: Mapping[str, object]) -> list[tuple[str, object]]:
    """(label, value) for every setting in `values` (a rule set's or a run's `as_dict()`),
    in the order given; the version and name are not settings."""
    return [
        (setting_label(name), value)
        for name, value in values.items()
        if name not in ("version", "name")
    ]


def settings_grouped(values: Mapping[str, object]) -> list[tuple[str, list[tuple[str, object]]]]:
    """The settings of `values` under the score they shape."""
    return [
        (title, [(setting_label(name), values[name]) for name in names if name in values])
        for title, names in GROUPS
    ]


def rule_set_next_version() -> int:
    return (RuleSet.objects.aggregate(m=Max("version"))["m"] or 0) + 1


def period_was_published(period: Period) -> bool:
    return period.runs.filter(status__in=PUBLISHED_ONCE).exists()


# --- rule sets ---------------------------------------------------------------------------


def _refusal(error: ValidationError) -> ScoringError:
    reasons = [
        f"{setting_label(name)}: {message}" if name in SETTINGS else str(message)
        for name, messages in error.message_dict.items()
        for message in messages
    ]
    return ScoringError(
        _("These settings cannot be used: %(reasons)s") % {"reasons": " ".join(reasons)}
    )


@transaction.atomic
def rule_set_version_create(*, based_on: RuleSet, changes: Mapping[str, object]) -> RuleSet:
    """Save the settings of `based_on`, with `changes` (a new name, settings), as a new
    version numbered one more than the highest, which need not be `based_on`: another
    manager may have saved a version meanwhile. No existing version changes.

    Raises ScoringError when the settings are unusable (RuleSet.clean: the weights must sum
    to 1, no setting is negative) or when, exceptionally, no free version number could be
    taken; nothing is written then."""
    unknown = set(changes) - {"name", *SETTINGS}
    if unknown:
        raise TypeError(f"not settings of a rule set: {sorted(unknown)}")
    values = {name: getattr(based_on, name) for name in ("name", *SETTINGS)}
    values.update(changes)
    rule_set = RuleSet(**values)
    try:
        rule_set.full_clean(exclude=["version"], validate_unique=False)
    except ValidationError as error:
        raise _refusal(error) from None
    for _attempt in range(ATTEMPTS):
        rule_set.version = rule_set_next_version()
        try:
            # A savepoint: a failed insert must not spoil the surrounding transaction.
            with transaction.atomic():
                rule_set.save(force_insert=True)
        except IntegrityError:
            # Two managers saving at once read the same highest version; the unique version
            # lets the first insert win and the second lands here. The winner has committed
            # by the time the database reports the clash (PostgreSQL waits for it), so the
            # next read sees its number and this one takes the one after.
            continue
        return rule_set
    raise ScoringError(
        _("Other rule set versions were being saved at the same moment; save yours again.")
    )


# --- periods -----------------------------------------------------------------------------


@transaction.atomic
def period_rule_set_switch(*, period: Period, rule_set: RuleSet) -> Period:
    """Score the period with `rule_set` from its next run on. Runs already requested or
    computed keep the rules stored on them. Safe to repeat.

    Raises ScoringError once a ranking of the period has been published (even if it was
    superseded since): that ranking was computed with the rules the period has, and keeps
    citing them; a new period ranks with other rules. Raises it too for a rule set the
    formulas cannot use."""
    # The period row is locked, as run_publish and run_request lock it: no publication
    # slips in between the check below and the change, and a run requested meanwhile
    # takes the old rules or the new ones, never a mixture.
    period = Period.objects.select_for_update().select_related("rule_set").get(pk=period.pk)
    published = period.runs.filter(status__in=PUBLISHED_ONCE).order_by("-number").first()
    if published is not None:
        raise ScoringError(
            _(
                "Run #%(number)s of %(code)s has been published with the rules of version "
                "%(version)s, so the period keeps them: a published ranking never changes. "
                "Create a new period to rank with other rules."
            )
            % {"number": published.number, "code": period.code, "version": period.rule_set.version}
        )
    rule_set_check(rule_set)
    if period.rule_set_id != rule_set.pk:
        period.rule_set = rule_set
        period.save(update_fields=["rule_set"])
    return period


@transaction.atomic
def period_closed_set(*, period: Period, closed: bool) -> Period:
    """Close a period (the nightly task no longer recomputes it) or reopen it. Safe to repeat.

    Closing changes no run: a run being computed finishes, and publishing stays possible."""
    Period.objects.filter(pk=period.pk).update(closed=closed)
    period.closed = closed
    return period
