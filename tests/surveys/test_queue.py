"""The daily call queue (SPEC section 4, "Call queue"): which completed petitions are called,
the share per department with its minimum, petitioners who asked for a written survey or
refused before, round-robin assignment to the staff on duty, and running it twice."""

from __future__ import annotations

import datetime as dt
import importlib
import random

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.utils import timezone

from kindness.models import ProgrammeSettings
from kindness.roles import Role
from surveys import queue
from surveys.models import CallAttempt, CallCentreAgent, HappyCall, Petition
from surveys.services import call_attempt_record, call_queue_build
from surveys.tasks import build_call_queue
from tests.factories import DepartmentFactory, PetitionFactory

Status = HappyCall.Status


def make_petition(department=None, *, days_ago: int = 1, phone: str = "", **kwargs) -> Petition:
    """A handled petition completed `days_ago` days before today (Seoul)."""
    fields = {"completed_on": timezone.localdate() - dt.timedelta(days=days_ago)}
    if department is not None:
        fields["department"] = department
    if phone:
        fields["petitioner_phone"] = phone
    return PetitionFactory(**(fields | kwargs))


def survey_defaults_ensure() -> None:
    """The default questionnaire and scorecard of migration 0002. A transactional test (the
    browser tests) ends with a flush that removes migration data, so tests that need them
    make sure they are there (it changes nothing when they are)."""
    migration = importlib.import_module("surveys.migrations.0002_defaults")
    migration.create_defaults(django_apps, None)


@pytest.fixture
def survey_defaults(db):
    survey_defaults_ensure()


def make_agent(make_user, *, on_duty: bool = True, role: str = Role.HAPPY_CALL):
    user = make_user(role)
    CallCentreAgent.objects.create(user=user, on_duty=on_duty)
    return user


def set_rules(**values) -> None:
    rules = ProgrammeSettings.load()
    for name, value in values.items():
        setattr(rules, name, value)
    rules.save()


# ---------------------------------------------------------------------------- pure rule


@pytest.mark.parametrize(
    ("n", "share", "minimum", "quota"),
    [
        (0, 30, 2, 0),  # nothing to call
        (10, 100, 0, 10),  # the default: every petition
        (10, 30, 0, 3),
        (11, 30, 0, 4),  # ceil(3.3)
        (2, 30, 2, 2),  # ceil(0.6) = 1 is below the minimum
        (1, 30, 2, 1),  # the minimum is capped at n
        (10, 0, 3, 3),  # a zero share still calls the minimum
    ],
)
def test_department_quota_is_ceil_of_the_share_but_at_least_the_minimum(n, share, minimum, quota):
    assert queue.department_quota(n=n, share_percent=share, minimum=minimum) == quota


def test_the_draw_does_not_depend_on_the_order_of_the_petitions():
    numbers = [f"P-{i:05d}" for i in range(40)]
    shuffled = random.sample(numbers, len(numbers))

    first = queue.department_draw(window=numbers, already_called=0, share_percent=25, minimum=0)
    second = queue.department_draw(window=shuffled, already_called=0, share_percent=25, minimum=0)

    assert len(first) == 10
    assert first == second


def test_the_draw_counts_calls_already_made_in_the_window():
    # 10 petitions in the window at 30 %: 3 calls in all, whenever they were made.
    assert (
        queue.department_draw(window=_numbers_(7), already_called=3, share_percent=30, minimum=0)
        == []
    )
    assert (
        len(
            queue.department_draw(
                window=_numbers_(9), already_called=1, share_percent=30, minimum=0
            )
        )
        == 2
    )


def _numbers_(n: int) -> list[str]:
    return [f"P-{i:05d}" for i in range(n)]


def test_round_robin_gives_the_next_call_to_the_agent_with_fewest_open_calls():
    agents = [queue.Agent(user_id=7, open_calls=2), queue.Agent(user_id=3, open_calls=0)]

    assert queue.assign_round_robin(agents, 5) == [3, 3, 3, 7, 3]
    assert queue.assign_round_robin([], 2) == [None, None]


# ---------------------------------------------------------------------------- the service


@pytest.mark.django_db
def test_every_petition_completed_in_the_last_14_days_is_queued():
    department = DepartmentFactory()
    today_ = make_petition(department, days_ago=0)
    oldest = make_petition(department, days_ago=13)
    too_old = make_petition(department, days_ago=14)
    future = make_petition(department, days_ago=-1)

    result = call_queue_build()

    assert result.queued == 2
    queued = set(HappyCall.objects.values_list("petition_id", flat=True))
    assert queued == {today_.pk, oldest.pk}
    assert too_old.pk not in queued and future.pk not in queued
    call = HappyCall.objects.get(petition=oldest)
    assert call.status == Status.QUEUED
    assert call.queued_on == timezone.localdate()
    assert call.department == department
    assert call.official == oldest.official


@pytest.mark.django_db
def test_the_window_is_a_setting():
    set_rules(call_window_days=3)
    inside = make_petition(days_ago=2)
    make_petition(days_ago=3)

    call_queue_build()

    assert list(HappyCall.objects.values_list("petition_id", flat=True)) == [inside.pk]


@pytest.mark.django_db
def test_a_petition_already_called_is_not_queued_again():
    petition = make_petition()
    call_queue_build()
    HappyCall.objects.filter(petition=petition).update(status=Status.COMPLETED)

    assert call_queue_build().queued == 0
    assert HappyCall.objects.count() == 1


@pytest.mark.django_db
def test_running_the_queue_twice_creates_no_duplicate_calls(make_user):
    make_agent(make_user)
    for _ in range(5):
        make_petition()

    first = call_queue_build()
    second = call_queue_build()

    assert first.queued == 5
    assert second.as_dict() == {"queued": 0, "unassigned": 0, "written": 0, "refused": 0}
    assert HappyCall.objects.count() == 5


@pytest.mark.django_db
def test_a_share_per_department_takes_ceil_of_the_share_with_the_minimum_and_reruns_draw_nothing():
    set_rules(call_share_percent=30, call_department_minimum=2)
    big, small, tiny = DepartmentFactory(), DepartmentFactory(), DepartmentFactory()
    big_petitions = [make_petition(big) for _ in range(10)]
    for _ in range(2):
        make_petition(small)
    make_petition(tiny)

    result = call_queue_build()

    per_department = {
        d.pk: HappyCall.objects.filter(department=d).count() for d in (big, small, tiny)
    }
    assert per_department == {big.pk: 3, small.pk: 2, tiny.pk: 1}
    assert result.queued == 6
    # The same three of the big department whatever else happens: the draw is by hash.
    expected = queue.department_draw(
        window=[p.petition_no for p in big_petitions],
        already_called=0,
        share_percent=30,
        minimum=2,
    )
    drawn = HappyCall.objects.filter(department=big).values_list("petition__petition_no", flat=True)
    assert sorted(drawn) == sorted(expected)
    assert call_queue_build().queued == 0
    assert HappyCall.objects.count() == 6


@pytest.mark.django_db
def test_a_new_petition_tops_the_department_up_to_its_share():
    set_rules(call_share_percent=50)
    department = DepartmentFactory()
    for _ in range(4):
        make_petition(department, days_ago=2)
    call_queue_build()
    assert HappyCall.objects.count() == 2

    for _ in range(2):
        make_petition(department, days_ago=0)
    call_queue_build()

    assert HappyCall.objects.count() == 3  # ceil(50 % of 6)


@pytest.mark.django_db
def test_a_petitioner_who_asked_for_a_written_survey_is_not_phoned(make_user):
    make_agent(make_user)
    written = make_petition(contact=Petition.Contact.WRITTEN)

    result = call_queue_build()

    call = HappyCall.objects.get(petition=written)
    assert (result.written, result.queued) == (1, 0)
    assert call.status == Status.WRITTEN
    assert call.assigned_to is None
    assert call.closed_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("written", ["01055551234", "+82-10-5555-1234", "(010) 5555 1234"])
def test_a_petitioner_whose_phone_refused_an_earlier_call_is_not_phoned_again(make_user, written):
    caller = make_agent(make_user)
    earlier = make_petition(days_ago=30, phone="010-5555-1234")
    earlier_call = HappyCall.objects.create(
        petition=earlier, department=earlier.department, assigned_to=caller
    )
    call_attempt_record(call=earlier_call, by=caller, outcome=CallAttempt.Outcome.REFUSED)
    again = make_petition(phone=written)  # the same phone, written differently
    other = make_petition(phone="010-5555-9999")

    result = call_queue_build()

    assert (result.refused, result.queued) == (1, 1)
    refused = HappyCall.objects.get(petition=again)
    assert refused.status == Status.REFUSED
    assert refused.assigned_to is None
    assert not refused.attempts.exists()
    assert HappyCall.objects.get(petition=other).status == Status.QUEUED


@pytest.mark.django_db
def test_calls_are_assigned_round_robin_across_agents_on_duty(make_user):
    first, second = make_agent(make_user), make_agent(make_user)
    petitions = [make_petition(days_ago=1 + i) for i in range(4)]

    call_queue_build()

    # Oldest petitions first, alternating between the agents by id.
    by_age = sorted(petitions, key=lambda p: (p.completed_on, p.petition_no))
    callers = [HappyCall.objects.get(petition=p).assigned_to for p in by_age]
    assert callers == [first, second, first, second]


@pytest.mark.django_db
def test_an_agent_holding_a_backlog_gets_new_calls_only_after_the_others(make_user):
    busy, free = make_agent(make_user), make_agent(make_user)
    for _ in range(2):
        make_petition(days_ago=20)  # outside the window: queued by hand below
    for petition in Petition.objects.all():
        HappyCall.objects.create(
            petition=petition, department=petition.department, assigned_to=busy
        )
    for _ in range(3):
        make_petition()

    call_queue_build()

    new = HappyCall.objects.filter(queued_on=timezone.localdate())
    assert new.filter(assigned_to=free).count() == 2
    assert new.filter(assigned_to=busy).count() == 1


@pytest.mark.django_db
def test_off_duty_agents_and_other_roles_get_no_calls(make_user):
    on_duty = make_agent(make_user)
    off_duty = make_agent(make_user, on_duty=False)
    officer = make_agent(make_user, role=Role.REPORT_OFFICER)
    for _ in range(3):
        make_petition()

    call_queue_build()

    assert HappyCall.objects.filter(assigned_to=on_duty).count() == 3
    assert not HappyCall.objects.filter(assigned_to__in=[off_duty, officer]).exists()


@pytest.mark.django_db
def test_with_nobody_on_duty_calls_wait_unassigned(make_user):
    make_agent(make_user, on_duty=False)
    make_petition()

    result = call_queue_build()

    assert (result.queued, result.unassigned) == (1, 1)
    assert HappyCall.objects.get().assigned_to is None


@pytest.mark.django_db
def test_the_daily_task_builds_the_queue_and_reports_its_counts():
    make_petition()
    make_petition(contact=Petition.Contact.WRITTEN)

    counts = build_call_queue.delay().get()

    assert counts == {"queued": 1, "unassigned": 1, "written": 1, "refused": 0}
    assert build_call_queue.delay().get()["queued"] == 0


def test_the_queue_task_is_scheduled_daily():
    entries = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "surveys.tasks.build_call_queue"
    ]

    assert len(entries) == 1
