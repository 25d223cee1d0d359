"""Demo data of the happy-call centre and the outside surveys for `manage.py seed_demo`: a
year of handled petitions, the happy-calls made about them (with their attempts), and the
agency's visitor-reception and telephone (mystery-call) surveys.

Planned first as plain data from a `random.Random(seed)` (the same seed gives the same
year), then written with a few bulk inserts. Petitions completed within the call window
(ProgrammeSettings.call_window_days, 14 by default) are left without a call, so the daily
queue builder gives the demo call desk work.

Seeded once: demo petitioners' phones are in the block 010-0000-xxxx that no carrier gives
out (as the report centre's demo reporters), and the surveys have the ids V00001... and
C00001...; a second run finds them and adds nothing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils import timezone

from demo.logins import DemoLogin
from demo.organisation import BUREAU_CHIEF, DEPARTMENT_HEAD, Organisation
from demo.petition_plans import DEPARTMENT_PETITIONS, plan_petitions
from demo.petitions import write_petitions
from demo.sampling import (
    MOODS,
    NO_ANSWER_SHARE,
    SILENT_SHARE,
    clamp,
    office_time,
    past_day,
    pick,
)
from kindness.models import Official, ProgrammeSettings
from kindness.roles import Role
from surveys.imports.outside import PhoneRow

VISIT_SURVEYS = 400
PHONE_SURVEYS = 1500


@dataclass(frozen=True)
class VisitPlan:
    survey_id: str
    department_code: str
    surveyed_on: datetime.date
    answers: tuple[int | None, ...]  # greeting, attitude, explanation, waiting, overall


def plan_visit_surveys(
    rng: random.Random, organisation: Organisation, *, today: datetime.date
) -> list[VisitPlan]:
    """VISIT_SURVEYS agency visits over the year, more where more residents come; each item
    1-5, now and then left blank."""
    departments = list(organisation.departments.values())
    weights = [DEPARTMENT_PETITIONS.get(d.name, (1, ()))[0] for d in departments]
    # Some departments receive visitors better than others, all year round.
    manner = {d.pk: rng.gauss(0, 0.4) for d in departments}
    drafts = []
    for _ in range(VISIT_SURVEYS):
        department = rng.choices(departments, weights)[0]
        mood = pick(rng, MOODS) + manner[department.pk]
        silent = rng.random() < SILENT_SHARE
        answers = tuple(
            None if silent or rng.random() < NO_ANSWER_SHARE else clamp(mood + rng.gauss(0, 0.6))
            for _item in range(5)
        )
        drafts.append((past_day(rng, today), department.code, answers))
    drafts.sort(key=lambda d: d[0])
    return [
        VisitPlan(f"V{n:05d}", code, day, answers)
        for n, (day, code, answers) in enumerate(drafts, start=1)
    ]


def plan_phone_surveys(
    rng: random.Random, organisation: Organisation, *, today: datetime.date
) -> list[PhoneRow]:
    """PHONE_SURVEYS mystery calls over the year, every active official (heads aside) called
    four or five times: about 8% ring out unanswered, about 7% are picked up by a colleague
    of the same department covering for the official."""
    heads = (BUREAU_CHIEF, DEPARTMENT_HEAD)
    targets = [o for o in organisation.officials if o.active and o.position not in heads]
    colleagues: dict[int, list[Official]] = {}
    for official in targets:
        colleagues.setdefault(official.department_id, []).append(official)
    # Each official's own manner on the phone, the same in every call.
    manner = {o.pk: rng.gauss(0, 0.5) for o in targets}
    order: list[Official] = []
    while len(order) < PHONE_SURVEYS:
        order.extend(rng.sample(targets, len(targets)))
    drafts = []
    for target in order[:PHONE_SURVEYS]:
        called_at = office_time(rng, past_day(rng, today))
        roll = rng.random()
        others = [o for o in colleagues[target.department_id] if o.pk != target.pk]
        if roll < 0.08:
            drafts.append(PhoneRow("", target, None, called_at))
            continue
        answerer = rng.choice(others) if roll < 0.15 and others else target
        skill = manner[answerer.pk]
        drafts.append(
            PhoneRow(
                "",
                target,
                answerer,
                called_at,
                rings=rng.choices((1, 2, 3, 4, 5), (34, 36, 16, 9, 5))[0],
                duration_s=min(300, max(30, round(rng.triangular(30, 300, 100)))),
                hangup_wait_s=rng.choices(range(7), (6, 7, 10, 22, 22, 18, 15))[0],
                greeting_with_name=rng.random() < 0.82 + skill / 5,
                tone=clamp(4 + skill + rng.gauss(0, 0.7)),
                accuracy=clamp(4 + skill / 2 + rng.gauss(0, 0.8)),
                closing_greeting=rng.random() < 0.85 + skill / 5,
            )
        )
    drafts.sort(key=lambda p: p.called_at)
    return [replace(p, call_id=f"C{n:05d}") for n, p in enumerate(drafts, start=1)]


# --- Writes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveySeed:
    """What seed_surveys wrote: all zero on a second run."""

    petitions: int = 0
    happy_calls: int = 0  # completed: the petitioner answered the survey
    unreachable: int = 0
    refused: int = 0
    written: int = 0  # the petitioner asked for a written survey instead
    attempts: int = 0
    reports: int = 0  # kindness and unkindness reports raised from the calls
    queued: int = 0  # calls of the call window queued for the demo call desk
    visit_surveys: int = 0
    phone_surveys: int = 0

    @property
    def created(self) -> bool:
        return bool(self.petitions or self.visit_surveys or self.phone_surveys)


@transaction.atomic
def seed_surveys(
    rng: random.Random,
    *,
    organisation: Organisation,
    logins: list[DemoLogin],
    today: datetime.date | None = None,
) -> SurveySeed:
    """A year of petitions with their happy-calls, visitor-reception and telephone surveys,
    and the demo happy-call login on duty at the call desk. Each kind is written only when
    none of the demo's rows of that kind are there: a second run adds nothing."""
    from surveys.models import CallCentreAgent

    today = today or timezone.localdate()
    programme = ProgrammeSettings.load()
    caller = next(login.user for login in logins if login.role == Role.HAPPY_CALL)
    CallCentreAgent.objects.update_or_create(user=caller, defaults={"on_duty": True})

    # Everything is planned before anything is skipped: the same seed, the same data.
    petitions = plan_petitions(rng, organisation, today=today, rules=programme)
    visits = plan_visit_surveys(rng, organisation, today=today)
    phones = plan_phone_surveys(rng, organisation, today=today)
    return SurveySeed(
        **write_petitions(petitions, organisation=organisation, caller=caller, today=today),
        visit_surveys=_write_visits(visits, organisation=organisation),
        phone_surveys=_write_phones(phones),
    )


def _write_visits(plans: list[VisitPlan], *, organisation: Organisation) -> int:
    """Written through the importer's row function, as a file of these rows would be."""
    from surveys.imports.outside import VisitRow, visit_survey_new
    from surveys.models import VisitSurvey

    if VisitSurvey.objects.filter(survey_id__in=[p.survey_id for p in plans]).exists():
        return 0
    rows = [
        visit_survey_new(
            VisitRow(
                survey_id=p.survey_id,
                department=organisation.departments[p.department_code],
                surveyed_on=p.surveyed_on,
                **dict(zip(VisitSurvey.ITEMS, p.answers, strict=True)),
            )
        )
        for p in plans
    ]
    VisitSurvey.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _write_phones(plans: list[PhoneRow]) -> int:
    """Written through the importer's row function, scored with the scorecard in use."""
    from surveys.imports.outside import phone_survey_new, scorecard_rules
    from surveys.models import PhoneScorecard, PhoneSurvey

    if PhoneSurvey.objects.filter(call_id__in=[p.call_id for p in plans]).exists():
        return 0
    scorecard = PhoneScorecard.objects.filter(active=True).order_by("-version").first()
    card = scorecard_rules(scorecard)
    rows = [phone_survey_new(plan, scorecard=scorecard, card=card) for plan in plans]
    PhoneSurvey.objects.bulk_create(rows, batch_size=500)
    return len(rows)
