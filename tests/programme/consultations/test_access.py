"""Who may do what in the consultation room, masking of the resident's data with its
access log (SPEC section 8), retention and the demo data."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from demo import programme as programme_demo
from demo.logins import seed_users
from demo.organisation import seed_organisation
from kindness.models import AccessLog, OutboxMessage, ProgrammeSettings
from kindness.roles import Role
from programme.consultations import selectors, services
from programme.models import ConsultationRequest, ConsultationSlot, Expert
from programme.tasks import erase_expired_consultation_data
from tests.programme.consultations.helpers import (
    EMAIL,
    EXPERTS,
    LIST,
    MASKED_NAME,
    MASKED_PHONE,
    NAME,
    PHONE,
    Status,
    detail,
    refreshed,
    sign_in,
    submit,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------- permissions


@pytest.mark.parametrize(
    "role, status",
    [
        (None, 302),
        (Role.HAPPY_CALL, 403),
        (Role.REPORT_OFFICER, 200),
        (Role.DEPARTMENT_HEAD, 403),
        (Role.BUREAU_HEAD, 403),
        (Role.MANAGER, 200),
        (Role.AUDITOR, 200),
        (Role.ADMIN, 200),
    ],
)
def test_who_may_open_the_staff_pages(role_client, role, status):
    consultation = submit()
    client = role_client(role)

    for url in (LIST, detail(consultation), EXPERTS):
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.HAPPY_CALL, Role.DEPARTMENT_HEAD])
def test_roles_without_the_right_cannot_act(role_client, role, slot):
    consultation = submit()
    client = role_client(role)

    for action, data in [("take", {}), ("confirm", {"slot": slot.pk}), ("cancel", {})]:
        assert client.post(detail(consultation, action), data).status_code == 403

    consultation = refreshed(consultation)
    assert consultation.status == Status.REQUESTED and consultation.handler is None


def test_auditors_read_without_action_forms(client, make_user):
    consultation = submit()
    sign_in(client, make_user, Role.AUDITOR)

    page = client.get(detail(consultation))

    assert page.context["forms"] == []


def test_anonymous_visitors_cannot_post_actions(client, db):
    consultation = submit()

    response = client.post(detail(consultation, "take"))

    assert response.status_code == 302
    assert refreshed(consultation).handler is None


def test_the_action_urls_take_post_only(client, make_user):
    consultation = submit()
    sign_in(client, make_user, Role.MANAGER)

    assert client.get(detail(consultation, "take")).status_code == 405


# ---------------------------------------------------------------------------- masking


def test_the_list_masks_residents_for_everyone_and_marks_priority_first(client, make_user):
    priority = submit(priority_group="disabled")
    plain = submit(priority_group="")
    sign_in(client, make_user, Role.MANAGER)
    services.consultation_take(consultation=plain, by=client.user)

    page = client.get(LIST)

    body = page.content.decode()
    assert NAME not in body and MASKED_NAME in body
    assert [c.pk for c, _contact in page.context["rows"]] == [priority.pk, plain.pk]
    newest = client.get(LIST, {"order": "newest"})
    assert [c.pk for c, _contact in newest.context["rows"]] == [plain.pk, priority.pk]
    only = client.get(LIST, {"priority_only": "on"})
    assert [c.pk for c, _contact in only.context["rows"]] == [priority.pk]


def test_the_list_filters_by_status(client, make_user, slot):
    waiting = submit()
    confirmed = submit()
    services.consultation_confirm(consultation=confirmed, slot=slot, by=make_user(Role.MANAGER))
    sign_in(client, make_user, Role.REPORT_OFFICER)

    page = client.get(LIST, {"status": "confirmed"})

    assert [c.pk for c, _contact in page.context["rows"]] == [confirmed.pk]
    assert waiting.pk not in [c.pk for c, _contact in page.context["rows"]]


def test_a_bad_filter_is_a_400_not_a_500(client, make_user):
    sign_in(client, make_user, Role.REPORT_OFFICER)

    assert client.get(LIST, {"status": "nonsense"}).status_code == 400


def test_staff_who_do_not_handle_the_request_see_it_masked_and_nothing_is_logged(client, make_user):
    consultation = submit()
    sign_in(client, make_user, Role.REPORT_OFFICER)

    body = client.get(detail(consultation)).content.decode()

    assert MASKED_NAME in body and MASKED_PHONE in body
    assert NAME not in body and PHONE not in body and EMAIL not in body
    assert AccessLog.objects.count() == 0


def test_the_handler_sees_the_resident_unmasked_and_each_view_is_logged(client, make_user):
    consultation = submit()
    sign_in(client, make_user, Role.REPORT_OFFICER)
    client.post(detail(consultation, "take"))

    first = client.get(detail(consultation)).content.decode()
    client.get(detail(consultation))

    assert NAME in first and PHONE in first and EMAIL in first
    logs = AccessLog.objects.filter(
        object_type="programme.consultationrequest", object_id=str(consultation.pk)
    )
    assert logs.count() == 2
    assert set(logs.values_list("user", flat=True)) == {client.user.pk}


def test_an_auditor_never_sees_the_resident_unmasked(client, make_user):
    consultation = submit()
    auditor = make_user(Role.AUDITOR)
    ConsultationRequest.objects.filter(pk=consultation.pk).update(handler=auditor)
    client.force_login(auditor)

    body = client.get(detail(consultation)).content.decode()

    assert NAME not in body and AccessLog.objects.count() == 0


# ---------------------------------------------------------------------------- retention


def ended(consultation, *, years_ago: float) -> None:
    moment = timezone.now() - dt.timedelta(days=365.25 * years_ago)
    ConsultationRequest.objects.filter(pk=consultation.pk).update(
        status=Status.CANCELLED, ended_at=moment
    )


def test_personal_data_is_erased_after_the_retention_period(db):
    old, recent, open_request = submit(), submit(), submit()
    ended(old, years_ago=3.1)
    ended(recent, years_ago=2.9)
    ConsultationRequest.objects.filter(pk=open_request.pk).update(
        created_at=timezone.now() - dt.timedelta(days=365 * 5)
    )

    assert services.consultation_personal_data_erase_expired() == 1

    old = refreshed(old)
    assert (old.name, old.phone, old.email) == ("", "", "")
    assert old.personal_data_erased_at is not None
    assert old.topic == "퇴직금 계산"
    assert not OutboxMessage.objects.filter(related=f"consultation:{old.pk}").exists()
    assert refreshed(recent).name == NAME
    assert refreshed(open_request).name == NAME


def test_the_retention_period_is_the_programme_setting(db):
    settings_row = ProgrammeSettings.load()
    settings_row.retention_years = 1
    settings_row.save()
    consultation = submit()
    ended(consultation, years_ago=1.5)

    assert services.consultation_personal_data_erase_expired() == 1


def test_the_erasure_task_is_safe_to_run_twice(db):
    consultation = submit()
    ended(consultation, years_ago=4)

    assert erase_expired_consultation_data.delay().get() == 1
    assert erase_expired_consultation_data.delay().get() == 0
    assert refreshed(consultation).phone == ""


def test_an_erased_request_says_so_on_its_page(client, make_user):
    consultation = submit()
    ended(consultation, years_ago=4)
    services.consultation_personal_data_erase_expired()
    sign_in(client, make_user, Role.MANAGER)

    page = client.get(detail(consultation))

    assert page.status_code == 200
    assert page.context["c"].personal_data_erased_at is not None
    assert AccessLog.objects.count() == 0


# ---------------------------------------------------------------------------- demo


def test_the_demo_has_experts_slots_and_requests_in_every_state_and_is_idempotent(db):
    rng = random.Random(7)
    organisation = seed_organisation(rng)
    logins = seed_users(rng, organisation=organisation)

    first = programme_demo.seed_consultations(
        random.Random(1), organisation=organisation, logins=logins
    )
    second = programme_demo.seed_consultations(
        random.Random(1), organisation=organisation, logins=logins
    )

    assert first == second
    assert first.experts == 3
    assert Expert.objects.count() == 3
    assert ConsultationSlot.objects.count() == first.slots
    assert ConsultationRequest.objects.count() == first.requests
    assert set(ConsultationRequest.objects.values_list("status", flat=True)) == set(Status.values)
    assert ConsultationRequest.objects.exclude(priority_group="").exists()
    now = timezone.now()
    assert ConsultationSlot.objects.filter(starts_at__lt=now).exists()
    assert ConsultationSlot.objects.filter(starts_at__gt=now).exists()
    assert selectors.slots_open().exists()
