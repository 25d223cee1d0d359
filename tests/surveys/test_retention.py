"""Petitioners' personal data is erased [1 year] after the latest of the petition's
completion and its happy-call's closing (SPEC section 8), by the core's
`erase_personal_data`, with refusals kept as a keyed hash of the phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kindness.imports import run_import
from kindness.retention_rules import personal_data_erase
from kindness.roles import Role
from surveys import services
from surveys.models import HappyCall, Petition, RefusedPhone
from tests.factories import DepartmentFactory, OfficialFactory
from tests.surveys.test_imports import petition_row, petitions

pytestmark = pytest.mark.django_db

Status = HappyCall.Status
DAY = dt.date(2025, 3, 5)
VOC = "홍길동입니다. 010-1234-5678로 연락 주세요. 김친절 주무관이 친절했어요."


def petition(*, no="P-1", completed_on=DAY, phone="010-1234-5678", **changes) -> Petition:
    department = changes.pop("department", None) or DepartmentFactory(code=f"D{no[-1]}")
    return Petition.objects.create(
        petition_no=no,
        title="홍길동 님 댁 앞 주차 민원",
        department=department,
        petitioner_name="홍길동",
        petitioner_phone=phone,
        received_on=completed_on - dt.timedelta(days=3),
        completed_on=completed_on,
        channel="visit",
        **changes,
    )


def call_of(p: Petition, **changes) -> HappyCall:
    return HappyCall.objects.create(petition=p, department=p.department, **changes)


def erased(p: Petition) -> bool:
    return Petition.objects.get(pk=p.pk).erased_at is not None


def test_a_petition_is_erased_one_year_after_its_happy_call_closed_and_not_a_day_before():
    p = petition()
    closed = timezone.make_aware(dt.datetime(2025, 3, 20, 10, 0))
    call = call_of(p, status=Status.COMPLETED, closed_at=closed, voc=VOC)

    assert personal_data_erase(today=dt.date(2026, 3, 19))["petitions"] == 0
    assert not erased(p)
    assert personal_data_erase(today=dt.date(2026, 3, 20))["petitions"] == 1

    p.refresh_from_db()
    call.refresh_from_db()
    assert (p.petitioner_name, p.petitioner_phone, p.title) == ("", "", "P-1")
    assert p.erased_at is not None
    assert "홍길동" not in call.voc and "010-1234-5678" not in call.voc
    assert call.voc.startswith("홍*동입니다. 010-****-5678")
    assert "김친절" in call.voc  # the official is not the petitioner
    assert call.status == Status.COMPLETED
    assert personal_data_erase(today=dt.date(2026, 3, 20))["petitions"] == 0


def test_an_imported_happy_call_counts_from_the_day_it_was_answered():
    p = petition()
    call_of(p, status=Status.COMPLETED, answered_on=dt.date(2025, 6, 1))

    assert personal_data_erase(today=dt.date(2026, 5, 31))["petitions"] == 0
    assert personal_data_erase(today=dt.date(2026, 6, 1))["petitions"] == 1


def test_a_petition_without_a_call_counts_from_its_completion():
    p = petition()
    assert personal_data_erase(today=dt.date(2026, 3, 4))["petitions"] == 0
    assert personal_data_erase(today=dt.date(2026, 3, 5))["petitions"] == 1
    assert erased(p)


def test_a_call_still_open_is_first_closed_as_unreachable():
    p = petition()
    call = call_of(p, status=Status.QUEUED)

    personal_data_erase(today=dt.date(2026, 3, 5))

    call.refresh_from_db()
    assert call.status == Status.UNREACHABLE and call.closed_at is not None
    assert erased(p)


def test_a_refusal_is_kept_as_a_keyed_hash_and_the_phone_is_still_never_called(make_user):
    p = petition()
    call = call_of(p, status=Status.QUEUED, assigned_to=make_user(Role.HAPPY_CALL))
    services.call_attempt_record(call=call, by=call.assigned_to, outcome="refused")

    closed_on = timezone.localdate(HappyCall.objects.get(pk=call.pk).closed_at)

    personal_data_erase(today=closed_on + dt.timedelta(days=366))

    (refusal,) = RefusedPhone.objects.all()
    assert "01012345678" not in refusal.digest and len(refusal.digest) == 64
    assert not Petition.objects.filter(petitioner_phone__contains="1234").exists()
    today = timezone.localdate()
    later = petition(no="P-2", completed_on=today, phone="01012345678")
    services.call_queue_build(today=today)
    assert HappyCall.objects.get(petition=later).status == Status.REFUSED


def test_a_dry_run_counts_and_erases_nothing():
    p = petition()
    assert personal_data_erase(today=dt.date(2027, 1, 1), dry_run=True)["petitions"] == 1
    assert not erased(p)


def test_a_reimport_leaves_an_erased_petition_as_it_is():
    department = DepartmentFactory(code="D01")
    OfficialFactory(employee_no="E001", department=department)
    assert run_import("petitions", petitions(petition_row())).ok
    p = Petition.objects.get(petition_no="P-1")
    personal_data_erase(today=dt.date(2026, 3, 5))
    assert erased(p)

    result = run_import("petitions", petitions(petition_row(title="다른 제목")))

    assert result.ok
    p.refresh_from_db()
    assert (p.petitioner_name, p.petitioner_phone, p.title) == ("", "", "P-1")


def test_the_call_desk_shows_an_erased_petitioner_as_erased(role_client):
    p = petition()
    call = call_of(p, status=Status.UNREACHABLE, closed_at=timezone.now() - dt.timedelta(days=800))
    personal_data_erase(today=timezone.localdate())
    client = role_client(Role.HAPPY_CALL)

    html = client.get(f"/staff/calls/{call.pk}/").content.decode()

    assert 'id="petitioner-erased"' in html
    assert "파기됨" in html and "홍*동" not in html


def test_a_survey_link_counts_from_its_closing_and_goes_with_its_messages_and_the_email():
    from kindness.models import OutboxMessage
    from surveys.links.records import survey_link_open
    from surveys.models import SurveyLink

    p = petition(petitioner_email="hong@example.com")
    call = call_of(p, status=Status.COMPLETED, answered_on=dt.date(2025, 3, 6))
    link = survey_link_open(call=call, reason=SurveyLink.Reason.WRITTEN, today=DAY)
    link.status, link.closed_at = SurveyLink.Status.OPEN, None
    link.save(update_fields=["status", "closed_at"])
    OutboxMessage.objects.create(
        channel=OutboxMessage.Channel.SMS,
        to="01012345678",
        subject="",
        body="설문 주소",
        related=f"survey-link:{link.pk}",
        key=f"survey-link:{link.pk}:test",
    )
    SurveyLink.objects.filter(pk=link.pk).update(
        closed_at=timezone.make_aware(dt.datetime(2025, 4, 1, 9, 0)),
        status=SurveyLink.Status.ANSWERED,
    )

    assert personal_data_erase(today=dt.date(2026, 3, 31))["petitions"] == 0
    assert personal_data_erase(today=dt.date(2026, 4, 1))["petitions"] == 1

    p.refresh_from_db()
    assert p.petitioner_email == "" and p.petitioner_phone == ""
    assert not OutboxMessage.objects.filter(related=f"survey-link:{link.pk}").exists()


def test_a_link_still_out_is_closed_when_its_petition_is_erased():
    from surveys.links.records import survey_link_open
    from surveys.models import SurveyLink

    p = petition()
    call = call_of(p, status=Status.QUEUED)
    link = survey_link_open(call=call, reason=SurveyLink.Reason.SHARE, today=DAY)

    personal_data_erase(today=dt.date(2026, 3, 5))

    link.refresh_from_db()
    assert link.status == SurveyLink.Status.CLOSED and link.closed_at is not None
    assert erased(p)
