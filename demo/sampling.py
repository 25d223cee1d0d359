"""Random draws shared by the demo's petitions, happy-calls and surveys: days of the last
twelve months, Seoul office hours, and how satisfied residents are."""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")
DAYS = 365  # the last twelve months

# How satisfied a petitioner is overall (5 = very satisfied): mostly satisfied.
MOODS = {5: 44, 4: 34, 3: 13, 2: 6, 1: 3}
NO_ANSWER_SHARE = 0.04  # per item
SILENT_SHARE = 0.01  # answered the phone but no item: no response score


def pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), list(weights.values()))[0]


def clamp(value: float) -> int:
    return min(5, max(1, round(value)))


def past_day(rng: random.Random, today: datetime.date, *, weekend: float = 0.0) -> datetime.date:
    """A day of the last twelve months before today; a weekend day only with the given odds."""
    while True:
        day = today - datetime.timedelta(days=rng.randint(1, DAYS))
        if day.weekday() < 5 or rng.random() < weekend:
            return day


def next_weekday(day: datetime.date) -> datetime.date:
    day += datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


OFFICE_HOURS = (9, 10, 11, 13, 14, 15, 16, 17)  # 09:00-18:00, lunch (12:00-13:00) aside


def office_time(rng: random.Random, day: datetime.date) -> datetime.datetime:
    """A time in Seoul office hours on `day`."""
    return datetime.datetime.combine(
        day,
        datetime.time(rng.choice(OFFICE_HOURS), rng.randint(0, 59), rng.randint(0, 59)),
        tzinfo=SEOUL,
    )
