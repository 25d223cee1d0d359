"""The per-response arithmetic of SPEC section 4, as plain functions of numbers: no ORM, so
each can be read beside the specification and tested number by number."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace


def response_score(answers: Iterable[int | None]) -> float | None:
    """Visitor-reception and happy-call response score: the mean over answered items of
    (v - 1) x 25. None when no item was answered (such a response counts nowhere)."""
    given = [v for v in answers if v is not None]
    if not given:
        return None
    return sum((v - 1) * 25 for v in given) / len(given)


@dataclass(frozen=True)
class Scorecard:
    """Points of each telephone item (defaults: SPEC section 4, total 100)."""

    rings_points: int = 15
    greeting_points: int = 15
    tone_points: int = 20
    accuracy_points: int = 20
    duration_points: int = 10
    closing_points: int = 10
    hangup_points: int = 10
    max_rings: int = 2
    max_duration_s: int = 180
    min_hangup_wait_s: int = 3


@dataclass(frozen=True, kw_only=True)
class PhoneMeasures:
    """What the surveyor measures on an answered telephone survey call (all blank when
    nobody answered), in the order of the import file's columns."""

    rings: int | None = None
    duration_s: int | None = None
    hangup_wait_s: int | None = None
    greeting_with_name: bool | None = None
    tone: int | None = None
    accuracy: int | None = None
    closing_greeting: bool | None = None


PHONE_MEASURES = tuple(f.name for f in fields(PhoneMeasures))


@dataclass(frozen=True)
class PhoneCall(PhoneMeasures):
    answered: bool


def _scale(value: int | None, points: int) -> float:
    """A 1-5 item gives (v - 1) / 4 x points."""
    return 0.0 if value is None else (value - 1) / 4 * points


def phone_score(call: PhoneCall, card: Scorecard = Scorecard()) -> float:
    """The call's score out of the scorecard's total; an unanswered call scores 0."""
    if not call.answered:
        return 0.0
    return (
        (card.rings_points if call.rings is not None and call.rings <= card.max_rings else 0)
        + (card.greeting_points if call.greeting_with_name else 0)
        + _scale(call.tone, card.tone_points)
        + _scale(call.accuracy, card.accuracy_points)
        + (
            card.duration_points
            if call.duration_s is not None and call.duration_s <= card.max_duration_s
            else 0
        )
        + (card.closing_points if call.closing_greeting else 0)
        + (
            card.hangup_points
            if call.hangup_wait_s is not None and call.hangup_wait_s >= card.min_hangup_wait_s
            else 0
        )
    )


def compliant_333(call: PhoneCall, card: Scorecard = Scorecard()) -> bool | None:
    """The "333" campaign: answered before the 3rd ring, finished within 3 minutes, waited
    3 seconds before hanging up. None for an unanswered call (it is not in the share)."""
    if not call.answered:
        return None
    return (
        call.rings is not None
        and call.rings <= card.max_rings
        and call.duration_s is not None
        and call.duration_s <= card.max_duration_s
        and call.hangup_wait_s is not None
        and call.hangup_wait_s >= card.min_hangup_wait_s
    )


@dataclass(frozen=True)
class PhoneOutcome:
    """What a telephone survey stores beside its measures, derived from them once (the
    importer, the demo city and the benchmark city all use phone_outcome)."""

    answered: bool
    covered: bool  # picked up by a colleague, not the official the surveyor called
    score: float
    compliant_333: bool | None


def phone_outcome(
    *, target: int, answered_by: int | None, call: PhoneCall, card: Scorecard = Scorecard()
) -> PhoneOutcome:
    """The call of official `target` (an id), answered by official `answered_by` (an id, None
    when nobody answered): answered, covered, its score and its "333" compliance. `call`
    carries the measures; whether it was answered follows from `answered_by`."""
    answered = answered_by is not None
    call = replace(call, answered=answered)
    return PhoneOutcome(
        answered=answered,
        covered=answered and answered_by != target,
        score=phone_score(call, card),
        compliant_333=compliant_333(call, card),
    )


@dataclass(frozen=True)
class Dispositions:
    """Final outcomes of happy-calls, in AAPOR terms: I complete interviews, R refusals,
    NC non-contacts (never reached: no answer, busy), O other non-interviews, UH cases of
    unknown eligibility, and NE not eligible (wrong numbers: not the petitioner)."""

    complete: int = 0
    refusal: int = 0
    non_contact: int = 0
    other: int = 0
    unknown: int = 0
    not_eligible: int = 0


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def response_rate(d: Dispositions) -> float | None:
    """AAPOR RR1 = I / ((I + P) + (R + NC + O) + (UH + UO)); no partials here (P = 0)."""
    return _ratio(d.complete, d.complete + d.refusal + d.non_contact + d.other + d.unknown)


def contact_rate(d: Dispositions) -> float | None:
    """AAPOR CON1 = (I + P + R + O) / ((I + P) + R + O + NC + (UH + UO))."""
    reached = d.complete + d.refusal + d.other
    return _ratio(reached, reached + d.non_contact + d.unknown)


def refusal_rate(d: Dispositions) -> float | None:
    """AAPOR REF1 = R / ((I + P) + (R + NC + O) + (UH + UO))."""
    return _ratio(d.refusal, d.complete + d.refusal + d.non_contact + d.other + d.unknown)
