"""Demo rankings for `manage.py seed_demo`: the demo city's last two half-years, each with a
published ranking, so that /rankings/ shows tables and a trend at once.

The demo surveys and reports cover the twelve months before today, so the half-year under
way and the one before it are both covered (the earlier one whole). A half-year that began
less than four weeks ago has too few responses to rank yet: then the two half-years before
it are used, and the nightly recomputation takes up the new one once a manager creates it.
The half-year still under way also gets a second, provisional run, computed and not
published, for a manager to review.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from demo.logins import DemoLogin
from kindness.roles import Role
from scoring import services
from scoring.models import Period, RankingRun

MIN_DAYS_TO_RANK = 28


@dataclass(frozen=True)
class SeededPeriod:
    code: str
    published: int  # the published run's number
    provisional: int | None  # a computed, unpublished run's number, for the period under way


@dataclass
class RankingSeed:
    """What seed_rankings wrote: nothing on a second run."""

    periods: list[SeededPeriod] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)  # codes found already there

    @property
    def created(self) -> bool:
        return bool(self.periods)


def _half_of(day: datetime.date) -> tuple[int, int]:
    return day.year, 1 if day.month <= 6 else 2


def _half_before(year: int, half: int) -> tuple[int, int]:
    return (year, 1) if half == 2 else (year - 1, 2)


def demo_period_codes(today: datetime.date) -> list[str]:
    """The two half-years to rank, oldest first: the one under way and the one before it,
    or the two before it when the one under way began less than MIN_DAYS_TO_RANK ago."""
    current = _half_of(today)
    began = datetime.date(current[0], 1 if current[1] == 1 else 7, 1)
    previous = _half_before(*current)
    if (today - began).days >= MIN_DAYS_TO_RANK:
        halves = [previous, current]
    else:
        halves = [_half_before(*previous), previous]
    return [f"{year}-H{half}" for year, half in halves]


def _computed(period: Period) -> RankingRun:
    with transaction.atomic():
        run = services.run_request(period=period, trigger=RankingRun.Trigger.DEMO, send=False)
    run = services.run_execute(run.pk)
    if run.status != RankingRun.Status.COMPLETED:
        # The demo surveys cover these periods: a failure here is a bug, not the data.
        raise services.ScoringError(run.error)
    return run


def seed_rankings(*, logins: list[DemoLogin], today: datetime.date | None = None) -> RankingSeed:
    """Create the demo periods with the standard codes, compute a run of each in this
    process and publish it as the demo manager; the period under way gets a second,
    provisional run. A period that exists already (seeded before, or made by someone) is
    left as it is: a second run adds nothing."""
    today = today or timezone.localdate()
    manager = next(login.user for login in logins if login.role == Role.MANAGER)
    seeded = RankingSeed()
    for code in demo_period_codes(today):
        if Period.objects.filter(code=code).exists():
            seeded.existing.append(code)
            continue
        period = services.period_create(code=code)
        if period.ends_on < today:
            # Over: no longer recomputed every night.
            period.closed = True
            period.save(update_fields=["closed"])
        published = services.run_publish(run=_computed(period), user=manager)
        provisional = None if period.closed else _computed(period).number
        seeded.periods.append(SeededPeriod(code, published.number, provisional))
    return seeded
