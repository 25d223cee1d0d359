"""Evaluation periods: their codes and default dates, creating and finding one, and the
check that a period's rule set can be used (SPEC section 5)."""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _

from scoring.models import (
    Period,
    RuleSet,
)
from scoring.services.errors import ScoringError

PERIOD_CODE = re.compile(r"^(?P<year>\d{4})(?:-H(?P<half>[12]))?$")


def period_defaults(code: str) -> dict:
    """Kind, dates and deduction window of a standard code: `2026-H1`, `2026-H2`, `2026`."""
    match = PERIOD_CODE.match(code)
    if not match:
        raise ScoringError(
            _(
                "“%(code)s” is not a standard period code (2026-H1, 2026-H2 or 2026); give the first and last day for a custom period."
            )
            % {"code": code}
        )
    year = int(match["year"])
    if not 2000 <= year <= 2100:
        raise ScoringError(_("The year %(year)s is out of range.") % {"year": year})
    jan1, dec31 = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if match["half"] == "1":
        return {
            "kind": Period.Kind.FIRST_HALF,
            "starts_on": jan1,
            "ends_on": datetime.date(year, 6, 30),
            "deduction": None,
        }
    if match["half"] == "2":
        # The programme deducts unkindness in the second-half evaluation over the whole year.
        return {
            "kind": Period.Kind.SECOND_HALF,
            "starts_on": datetime.date(year, 7, 1),
            "ends_on": dec31,
            "deduction": (jan1, dec31),
        }
    return {
        "kind": Period.Kind.YEAR,
        "starts_on": jan1,
        "ends_on": dec31,
        "deduction": (jan1, dec31),
    }


def period_create(
    *,
    code: str,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    deduction_starts_on: datetime.date | None = None,
    deduction_ends_on: datetime.date | None = None,
    rule_set: RuleSet | None = None,
) -> Period:
    """Create a period: a standard code takes the dates of SPEC section 5 (dates given
    override them); any other code is a custom period and needs both dates."""
    code = (code or "").strip()
    if not code or len(code) > 20 or not re.fullmatch(r"[\w.-]+", code):
        raise ScoringError(_("A period code is 1-20 letters, digits, dots, dashes or underscores."))
    if Period.objects.filter(code=code).exists():
        raise ScoringError(_("The period %(code)s exists already.") % {"code": code})
    if PERIOD_CODE.match(code):
        defaults = period_defaults(code)
        kind = defaults["kind"]
        starts_on = starts_on or defaults["starts_on"]
        ends_on = ends_on or defaults["ends_on"]
        if deduction_starts_on is None and deduction_ends_on is None and defaults["deduction"]:
            deduction_starts_on, deduction_ends_on = defaults["deduction"]
    else:
        if not (starts_on and ends_on):
            raise ScoringError(
                _(
                    "“%(code)s” is not a standard period code (2026-H1, 2026-H2 or 2026); give the first and last day for a custom period."
                )
                % {"code": code}
            )
        kind = Period.Kind.CUSTOM
    if ends_on < starts_on:
        raise ScoringError(_("The last day comes before the first day."))
    if (deduction_starts_on is None) != (deduction_ends_on is None):
        raise ScoringError(_("Give both ends of the deduction window, or neither."))
    if deduction_starts_on and deduction_ends_on < deduction_starts_on:
        raise ScoringError(_("The deduction window ends before it starts."))
    rule_set = rule_set or RuleSet.current()
    rule_set_check(rule_set)
    return Period.objects.create(
        code=code,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        rule_set=rule_set,
        deduction_starts_on=deduction_starts_on,
        deduction_ends_on=deduction_ends_on,
    )


def period_get(code: str) -> Period:
    try:
        return Period.objects.select_related("rule_set").get(code=code)
    except Period.DoesNotExist:
        raise ScoringError(_("There is no period %(code)s.") % {"code": code}) from None


def rule_set_check(rule_set: RuleSet) -> None:
    """Refuse a rule set the formulas cannot use (weights not summing to 1, negatives)."""
    from django.core.exceptions import ValidationError

    try:
        rule_set.clean()
    except ValidationError as error:
        messages = [str(m) for msgs in error.message_dict.values() for m in msgs]
        raise ScoringError(
            _("Rule set v%(version)s cannot be used: %(reason)s")
            % {"version": rule_set.version, "reason": " ".join(messages)}
        ) from None
