"""Reads of survey links: finding a link by its token, the letters staff print, the
messages the outbox gave up on, and the dashboard's comparison of the two modes (SPEC
section 4: per mode, links sent, completed, the web response rate, mean scores per item
side by side, and the days from the petition's completion to the answer)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from kindness import tokens
from kindness.models import OutboxMessage
from surveys.links import records
from surveys.models import HappyCall, HappyCallAnswer, SurveyLink
from surveys.selectors import DashboardFilter, item_means_grouped

TOKEN = re.compile(r"[A-Za-z0-9_-]{22,64}")
Mode = HappyCall.Mode


def link_by_token(token: str) -> SurveyLink | None:
    """The link a token opens, or None (malformed or unknown). The stored hash is found by
    an indexed equality, then compared again in constant time."""
    if not TOKEN.fullmatch(token or ""):
        return None
    lookup = records.lookup_of(token)
    link = (
        SurveyLink.objects.select_related("call__department", "call__petition")
        .filter(lookup=lookup)
        .first()
    )
    if link is None or not tokens.digest_matches(records.LOOKUP, token, link.lookup):
        return None
    return link


def letters_to_print() -> QuerySet[SurveyLink]:
    return (
        SurveyLink.objects.filter(
            channel=SurveyLink.Channel.LETTER, status=SurveyLink.Status.PENDING
        )
        .select_related("call__petition", "call__department")
        .order_by("created_on", "pk")
    )


def letters_printed(limit: int = 50) -> QuerySet[SurveyLink]:
    """Letters printed and still open, for a reprint (the same link)."""
    return (
        SurveyLink.objects.filter(channel=SurveyLink.Channel.LETTER, status=SurveyLink.Status.OPEN)
        .select_related("call__petition", "call__department")
        .order_by("-sent_on", "pk")[:limit]
    )


@dataclass
class FailedMessage:
    link: SurveyLink | None
    message: OutboxMessage


def failed_link_messages(limit: int = 50) -> list[FailedMessage]:
    """Survey-link messages the outbox gave up on (SPEC section 4): shown to staff, who can
    reach the petitioner another way."""
    messages = list(
        OutboxMessage.objects.filter(related__startswith="survey-link:", failed_at__isnull=False)
        .only("pk", "channel", "related", "failed_at", "attempts", "last_error", "created_at")
        .order_by("-failed_at")[:limit]
    )
    ids = {int(m.related.split(":")[1]) for m in messages if m.related.split(":")[1].isdigit()}
    links = SurveyLink.objects.select_related("call__petition", "call__department").in_bulk(ids)
    return [
        FailedMessage(link=links.get(int(m.related.split(":")[1])), message=m) for m in messages
    ]


# ---------------------------------------------------------------------------- dashboard


@dataclass
class ModeRow:
    mode: str
    label: str
    sent: int | None = None  # links only
    completed: int = 0
    mean_days: float | None = None  # petition completed -> answered

    @property
    def response_rate(self) -> float | None:
        if self.sent is None or not self.sent:
            return None
        return self.completed / self.sent


@dataclass
class ItemByMode:
    key: str
    label: str
    means: dict[str, float | None] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def phone(self) -> tuple[float | None, int]:
        return self.means.get(Mode.PHONE), self.counts.get(Mode.PHONE, 0)

    @property
    def web(self) -> tuple[float | None, int]:
        return self.means.get(Mode.WEB), self.counts.get(Mode.WEB, 0)


@dataclass
class ModeComparison:
    rows: list[ModeRow]
    items: list[ItemByMode]


def _completed(f: DashboardFilter) -> QuerySet[HappyCall]:
    calls = HappyCall.objects.filter(
        status=HappyCall.Status.COMPLETED, answered_on__gte=f.start, answered_on__lte=f.end
    )
    if f.department is not None:
        calls = calls.filter(department=f.department)
    return calls


def links_sent(f: DashboardFilter) -> int:
    """Links sent in the period: the first message delivered (by its Seoul day), or the
    letter printed."""
    links = SurveyLink.objects.filter(
        Q(message__sent_at__date__gte=f.start, message__sent_at__date__lte=f.end)
        | Q(channel=SurveyLink.Channel.LETTER, sent_on__gte=f.start, sent_on__lte=f.end)
    )
    if f.department is not None:
        links = links.filter(call__department=f.department)
    return links.count()


def mode_comparison(f: DashboardFilter) -> ModeComparison:
    """Phone and web side by side over the period (the staff filter does not apply: a web
    answer has no caller)."""
    rows = {m: ModeRow(mode=m, label=str(label)) for m, label in Mode.choices}
    rows[Mode.WEB].sent = links_sent(f)
    days: dict[str, list[int]] = {m: [] for m in rows}
    for mode, answered_on, completed_on in _completed(f).values_list(
        "mode", "answered_on", "petition__completed_on"
    ):
        rows[mode].completed += 1
        days[mode].append((answered_on - completed_on).days)
    for mode, values in days.items():
        rows[mode].mean_days = sum(values) / len(values) if values else None

    answers = HappyCallAnswer.objects.filter(
        value__isnull=False, call__in=_completed(f).values("pk")
    )
    items: dict[str, ItemByMode] = {}
    for g in item_means_grouped(answers, "call__mode"):
        item = items.setdefault(g["item__key"], ItemByMode(key=g["item__key"], label=g["label"]))
        item.means[g["call__mode"]] = g["mean"]
        item.counts[g["call__mode"]] = g["n"]
    return ModeComparison(rows=[rows[Mode.PHONE], rows[Mode.WEB]], items=list(items.values()))
