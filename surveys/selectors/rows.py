"""The dashboard's filter and the rows of its tables: counts, and the rates of surveys.rules
over them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from django.utils.translation import gettext_lazy as _

from kindness.models import Department
from surveys import rules
from surveys.models import CallAttempt, HappyCall

Status = HappyCall.Status
Outcome = CallAttempt.Outcome

# AAPOR disposition codes of a happy-call (SPEC section 4, "AAPOR standard definitions").
COMPLETE, REFUSAL, NON_CONTACT, NOT_ELIGIBLE, UNKNOWN = "I", "R", "NC", "NE", "UH"

# Backlog age buckets: (label, least age in days); a call falls in the last bucket it reaches.
BACKLOG_BUCKETS: tuple[tuple[str, int], ...] = (
    (_("0–2 days"), 0),
    (_("3–6 days"), 3),
    (_("7–13 days"), 7),
    (_("14 days or more"), 14),
)


@dataclass(frozen=True)
class DashboardFilter:
    """What the dashboard counts: a period (inclusive, Seoul dates), optionally one
    department and one happy-call staff member."""

    start: dt.date
    end: dt.date
    department: Department | None = None
    staff: object | None = None  # a User


# ---------------------------------------------------------------------------- rows


class Figures:
    """Counts of a group that add up to those of a larger group (the days of a week, the
    departments of the city): every field but the row's key and label."""

    def add(self, other: Figures) -> None:
        for f in fields(self):
            if f.name not in ("key", "label"):
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass
class CallRow(Figures):
    """Happy-call figures of one group (a day, a staff member, a department or a week)."""

    key: object
    label: str = ""
    attempts: int = 0
    reached: int = 0
    complete: int = 0
    refusal: int = 0
    non_contact: int = 0
    not_eligible: int = 0
    unknown: int = 0
    scored: int = 0
    score_total: float = 0.0
    backlog: int = 0

    @property
    def dispositions(self) -> rules.Dispositions:
        return rules.Dispositions(
            complete=self.complete,
            refusal=self.refusal,
            non_contact=self.non_contact,
            unknown=self.unknown,
            not_eligible=self.not_eligible,
        )

    @property
    def counted(self) -> int:
        """Calls with a disposition (closed, or queued after an attempt)."""
        return self.complete + self.refusal + self.non_contact + self.not_eligible + self.unknown

    @property
    def response_rate(self) -> float | None:
        return rules.response_rate(self.dispositions)

    @property
    def contact_rate(self) -> float | None:
        return rules.contact_rate(self.dispositions)

    @property
    def refusal_rate(self) -> float | None:
        return rules.refusal_rate(self.dispositions)

    @property
    def mean_score(self) -> float | None:
        return self.score_total / self.scored if self.scored else None


@dataclass
class PhoneRow(Figures):
    """Telephone (mystery-call) survey figures of one department."""

    calls: int = 0
    answered: int = 0
    compliant: int = 0
    absent: int = 0
    covered: int = 0

    @property
    def compliance_333(self) -> float | None:
        """Share of answered calls meeting all three of the 333 rules (SPEC section 4)."""
        return self.compliant / self.answered if self.answered else None

    @property
    def cover_rate(self) -> float | None:
        """Covered / calls to absent officials; a call to an absent official is one answered
        by a colleague (covered) or not answered at all."""
        return self.covered / self.absent if self.absent else None


@dataclass
class DepartmentRow:
    department: Department
    calls: CallRow
    phone: PhoneRow


@dataclass
class ItemMean:
    key: str
    label: str
    mean: float
    n: int


@dataclass
class BacklogBucket:
    label: str
    count: int


@dataclass
class Dashboard:
    filter: DashboardFilter
    total: CallRow
    phone_total: PhoneRow
    by_day: list[CallRow]
    by_staff: list[CallRow]
    by_department: list[DepartmentRow]
    by_week: list[CallRow]
    backlog: list[BacklogBucket]
    oldest_queued_on: dt.date | None
    items: list[ItemMean] = field(default_factory=list)
