"""Date arithmetic of retention periods (SPEC section 8): "N years after the end of the
case", "1 year after the latest of ...", "30 days after applied". Every erasure rule and
every "the last year only" check computes its cut-off here, so a 29 February never turns
into a server error or an off-by-one day.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

Moment = TypeVar("Moment", dt.date, dt.datetime)


def years_shifted(moment: Moment, years: int) -> Moment:
    """The same calendar day `years` later (negative: earlier); 29 February becomes
    28 February in a year without one. Works for dates and datetimes alike."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February in a year without one
        return moment.replace(year=moment.year + years, day=28)


def years_before(moment: Moment, years: int) -> Moment:
    return years_shifted(moment, -years)


def years_after(moment: Moment, years: int) -> Moment:
    return years_shifted(moment, years)


def retention_cutoff(now: Moment, *, years: int = 0, days: int = 0) -> Moment:
    """The moment before which a record ended long enough ago to be erased now: `now`
    minus `years` (calendar years) and `days`."""
    return years_before(now, years) - dt.timedelta(days=days)


def retention_expired(ended: Moment | None, now: Moment, *, years: int = 0, days: int = 0) -> bool:
    """Whether something that ended at `ended` is past a retention period of `years` and
    `days` at `now` (never, while it has not ended)."""
    return ended is not None and ended < retention_cutoff(now, years=years, days=days)
