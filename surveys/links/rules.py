"""The rules of survey links as plain functions (SPEC section 4, "Survey by link"): who can
get a link online, how many of a department's draw get one, and the dates of a link."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

# Korean mobile numbers: 010, 011, 016, 017, 018, 019, then 7 or 8 digits.
MOBILE = re.compile(r"01[016789]\d{7,8}")


def is_mobile(digits: str) -> bool:
    return bool(MOBILE.fullmatch(digits or ""))


def share_count(*, n: int, share_percent: int) -> int:
    """ceil(share x n), in integers (no float rounding), never more than n."""
    if n <= 0 or share_percent <= 0:
        return 0
    return min(n, -(-min(share_percent, 100) * n // 100))


def share_links(
    draw: Sequence[T], *, share_percent: int, reachable: Callable[[T], bool]
) -> list[T]:
    """Of a department's petitions queued by the day's draw (in the draw's order, refusers
    and written-survey petitioners already left out), the first ceil(share x n) that can be
    reached online (a mobile number or an e-mail)."""
    wanted = share_count(n=len(draw), share_percent=share_percent)
    return [p for p in draw if reachable(p)][:wanted]


def last_valid_day(sent_on: dt.date, valid_days: int) -> dt.date:
    """A link sent on D is valid through the end of D + valid_days (Seoul)."""
    return sent_on + dt.timedelta(days=valid_days)


def reminder_due(sent_on: dt.date, reminder_day: int, today: dt.date) -> bool:
    return today >= sent_on + dt.timedelta(days=reminder_day)


def expired(sent_on: dt.date, valid_days: int, today: dt.date) -> bool:
    return today > last_valid_day(sent_on, valid_days)
