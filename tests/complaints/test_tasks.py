"""The report centre's daily tasks: the follow-up of substantiated cases (reminders the day
before a deadline, escalation once a day after it) and the erasure of reporters' personal
data after the retention period (SPEC sections 3 and 8)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from complaints import tasks
from complaints.follow_up import report_follow_up_overdue
from complaints.models import Attachment, MeritRecord, Report, ReportEvent
from complaints.retention import personal_data_erase_expired
from kindness.models import OutboxMessage, ProgrammeSettings
from kindness.outbox import outbox_add
from kindness.retention import years_before
from kindness.roles import Role
from tests.factories import DepartmentFactory, OfficialFactory, ReportFactory

pytestmark = pytest.mark.django_db

Status = Report.Status
TODAY = dt.date(2026, 5, 12)
DAY = dt.timedelta(days=1)


@pytest.fixture
def department():
    return DepartmentFactory(name="민원과")


@pytest.fixture
def people(make_user, department):
    """The department's head and a manager with addresses; a manager without one; the head
    of another department, who must hear nothing."""
    return {
        "head": make_user(
            Role.DEPARTMENT_HEAD,
            official=OfficialFactory(department=department),
            email="head@city.example",
        ),
        "manager": make_user(Role.MANAGER, email="manager@city.example"),
        "quiet manager": make_user(Role.MANAGER, email=""),
        "other head": make_user(
            Role.DEPARTMENT_HEAD, official=OfficialFactory(), email="other@city.example"
        ),
    }


def case(department, **values) -> Report:
    """A substantiated case decided for `department` (named by the resident elsewhere)."""
    defaults = {
        "kind": Report.Kind.UNKIND,
        "status": Status.SUBSTANTIATED,
        "department": DepartmentFactory(),
        "decided_department": department,
        "decided_on": TODAY - dt.timedelta(days=10),
        "measure_due_on": TODAY - dt.timedelta(days=3),
    }
    return ReportFactory(**{**defaults, **values})


def recipients(report: Report) -> list[str]:
    return sorted(
        OutboxMessage.objects.filter(related=f"report:{report.pk}").values_list("to", flat=True)
    )


def escalations(report: Report) -> int:
    return report.events.filter(action=ReportEvent.Action.ESCALATED).count()


# ---------------------------------------------------------------------------- follow-up


def test_an_overdue_measure_escalates_to_the_department_head_and_the_managers(people, department):
    report = case(department)

    result = report_follow_up_overdue(today=TODAY)

    assert (result.escalated, result.reminded) == (1, 0)
    # The department at the decision answers for the case, not the one the resident named.
    assert recipients(report) == ["head@city.example", "manager@city.example"]
    event = report.events.get(action=ReportEvent.Action.ESCALATED)
    assert event.by is None
    assert "2026-05-09" in event.note
    report.refresh_from_db()
    assert report.last_escalated_on == TODAY


def test_escalation_happens_once_a_day_however_often_the_task_runs(people, department):
    report = case(department)

    report_follow_up_overdue(today=TODAY)
    again = report_follow_up_overdue(today=TODAY)

    assert again.total == 0
    assert escalations(report) == 1
    assert len(recipients(report)) == 2

    next_day = report_follow_up_overdue(today=TODAY + DAY)

    assert next_day.escalated == 1
    assert escalations(report) == 2
    assert len(recipients(report)) == 4


def test_an_overdue_apology_call_escalates_as_well(people, department):
    report = case(
        department,
        measure_text="교육 실시",
        measure_recorded_at=timezone.now() - dt.timedelta(days=6),
        apology_due_on=TODAY - DAY,
    )

    assert report_follow_up_overdue(today=TODAY).escalated == 1
    assert recipients(report) == ["head@city.example", "manager@city.example"]
    assert "2026-05-11" in report.events.get(action=ReportEvent.Action.ESCALATED).note


@pytest.mark.parametrize(
    "values",
    [
        {"measure_due_on": TODAY},  # due today: not yet late
        {"measure_due_on": TODAY + dt.timedelta(days=4)},
        {
            "measure_text": "교육",
            "measure_recorded_at": timezone.now(),
            "apology_due_on": TODAY + DAY * 2,
        },
        {
            "status": Status.CLOSED,
            "measure_recorded_at": timezone.now(),
            "apology_due_on": TODAY - DAY * 5,
        },
        {"status": Status.UNDER_REVIEW, "decided_on": None, "measure_due_on": None},
    ],
    ids=["due today", "due later", "apology due later", "closed", "not decided"],
)
def test_a_case_not_past_a_deadline_is_not_escalated(people, department, values):
    report = case(department, **values)

    assert report_follow_up_overdue(today=TODAY).escalated == 0
    assert escalations(report) == 0
    assert recipients(report) == []


def test_the_department_head_is_reminded_the_day_before_the_measure_is_due(people, department):
    report = case(department, measure_due_on=TODAY + DAY)

    result = report_follow_up_overdue(today=TODAY)

    assert (result.reminded, result.escalated) == (1, 0)
    assert recipients(report) == ["head@city.example"]
    assert escalations(report) == 0
    assert report_follow_up_overdue(today=TODAY).reminded == 0
    assert recipients(report) == ["head@city.example"]


def test_the_department_head_is_reminded_the_day_before_the_apology_call_is_due(people, department):
    report = case(
        department,
        measure_text="교육",
        measure_recorded_at=timezone.now(),
        apology_due_on=TODAY + DAY,
    )

    assert report_follow_up_overdue(today=TODAY).reminded == 1
    message = OutboxMessage.objects.get(related=f"report:{report.pk}")
    assert message.to == "head@city.example"
    assert report.receipt_no in message.subject


def test_the_daily_task_returns_what_it_did_and_nothing_the_second_time(people, department):
    case(department, measure_due_on=timezone.localdate() - DAY)
    case(department, measure_due_on=timezone.localdate() + DAY)

    assert tasks.follow_up_overdue.delay().get() == 2
    assert tasks.follow_up_overdue.delay().get() == 0
    assert OutboxMessage.objects.count() == 3


# ---------------------------------------------------------------------------- retention


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def ended(years: int, days: int = 0, **values) -> Report:
    """A closed case that ended `years` years and `days` days ago, with an attachment, an
    outbox message and a penalty."""
    official = OfficialFactory()
    report = ReportFactory(
        status=Status.CLOSED,
        official=official,
        decided_department=official.department,
        decided_on=timezone.localdate(),
        ended_at=years_before(timezone.now(), years) - dt.timedelta(days=days),
        reporter_email="resident@example.com",
        published_summary="설명 없이 통화를 끊은 사례",
        **values,
    )
    attachment = Attachment(
        report=report,
        token=f"t{report.pk}",
        original_name="홍길동_녹취.pdf",
        content_type="application/pdf",
        size=4,
    )
    attachment.file.save("x", ContentFile(b"%PDF"), save=True)
    outbox_add(
        key=f"report:{report.pk}:receipt",
        to=report.reporter_email,
        subject="s",
        body="b",
        related=f"report:{report.pk}",
    )
    MeritRecord.objects.create(
        kind=MeritRecord.Kind.PENALTY,
        official=official,
        report=report,
        department=official.department,
        on=report.decided_on,
    )
    return report


def test_personal_data_of_a_case_ended_over_three_years_ago_is_erased_and_the_case_kept(
    media, django_capture_on_commit_callbacks
):
    report = ended(3, days=1)
    # Filed through an Open311 app: where the resident was and their photo link go too.
    Report.objects.filter(pk=report.pk).update(
        lat="35.538377",
        long="129.311360",
        address_string="시청 민원실",
        address_id="A-1",
        media_url="https://example.com/photo.jpg",
    )
    path = media / Attachment.objects.get(report=report).file.name
    assert path.exists()
    unrelated = OutboxMessage.objects.create(
        key="other", to="x@example.com", subject="s", body="b", related="report:0"
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert personal_data_erase_expired() == 1

    report.refresh_from_db()
    assert (report.reporter_name, report.reporter_phone, report.reporter_email) == ("", "", "")
    assert (report.lat, report.long) == (None, None)
    assert (report.address_string, report.address_id, report.media_url) == ("", "", "")
    assert report.personal_data_erased_at is not None
    assert not Attachment.objects.filter(report=report).exists()
    assert not path.exists()
    assert not OutboxMessage.objects.filter(related=f"report:{report.pk}").exists()
    assert OutboxMessage.objects.filter(pk=unrelated.pk).exists()
    # The anonymised case, its decision, department and scores stay.
    assert report.status == Status.CLOSED
    assert report.decided_department is not None
    assert report.official is not None
    assert report.published_summary == "설명 없이 통화를 끊은 사례"
    assert MeritRecord.objects.filter(report=report).exists()
    assert Report.objects.substantiated().filter(pk=report.pk).exists()
    assert report.events.filter(action=ReportEvent.Action.ERASED).count() == 1


def test_cases_within_the_retention_period_or_still_open_keep_their_personal_data(media):
    recent = ended(2, days=360)
    # Open cases have no end date, whatever their age.
    old_open = ReportFactory(status=Status.SUBSTANTIATED, decided_on=dt.date(2020, 1, 1))

    assert personal_data_erase_expired() == 0

    for report in (recent, old_open):
        report.refresh_from_db()
        assert report.reporter_name == "홍길동"
        assert report.personal_data_erased_at is None
    assert Attachment.objects.filter(report=recent).exists()
    assert OutboxMessage.objects.filter(related=f"report:{recent.pk}").exists()


def test_the_retention_period_is_a_programme_setting(media):
    rules = ProgrammeSettings.load()
    rules.retention_years = 1
    rules.save()
    report = ended(1, days=1)

    assert personal_data_erase_expired() == 1
    report.refresh_from_db()
    assert report.reporter_phone == ""


def test_erasure_is_safe_to_run_twice(media, django_capture_on_commit_callbacks):
    report = ended(4)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.erase_expired_personal_data.delay().get() == 1
    erased_at = Report.objects.get(pk=report.pk).personal_data_erased_at
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.erase_expired_personal_data.delay().get() == 0

    assert Report.objects.get(pk=report.pk).personal_data_erased_at == erased_at
    assert report.events.filter(action=ReportEvent.Action.ERASED).count() == 1
