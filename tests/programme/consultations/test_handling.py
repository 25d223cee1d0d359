"""Staff handle consultation requests (SPEC section 6): experts and slots, confirming,
taking, cancelling and recording the outcome."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from kindness.models import OutboxMessage
from kindness.roles import Role
from programme.consultations import services
from programme.models import ConsultationRequest, ConsultationSlot, Expert
from tests.programme.consultations.helpers import (
    EMAIL,
    EXPERTS,
    PHONE,
    Status,
    at,
    detail,
    refreshed,
    sign_in,
    started,
    submit,
    tomorrow,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------- experts and slots


def test_a_slot_overlapping_another_of_the_same_expert_is_refused(expert, slot):
    with translation.override("en"), pytest.raises(services.ConsultationError, match="overlaps"):
        services.slot_create(expert=expert, starts_at=at(2, 14, 30), ends_at=at(2, 16))
    with pytest.raises(services.ConsultationError):
        services.slot_create(expert=expert, starts_at=at(2, 13), ends_at=at(2, 16))

    assert ConsultationSlot.objects.count() == 1


def test_slots_that_touch_or_belong_to_another_expert_are_fine(expert, slot):
    other = Expert.objects.create(name="이노무", field="노무")

    services.slot_create(expert=expert, starts_at=at(2, 15), ends_at=at(2, 16))
    services.slot_create(expert=other, starts_at=at(2, 14), ends_at=at(2, 15))

    assert ConsultationSlot.objects.count() == 3


def test_a_slot_must_end_after_it_starts(expert):
    with pytest.raises(services.ConsultationError):
        services.slot_create(expert=expert, starts_at=at(2, 15), ends_at=at(2, 14))
    assert ConsultationSlot.objects.count() == 0


def test_staff_add_an_expert_and_a_slot_through_the_pages(client, make_user):
    sign_in(client, make_user, Role.REPORT_OFFICER)

    response = client.post(EXPERTS, {"name": "박법률", "field": "생활법률"})

    expert = Expert.objects.get(name="박법률")
    assert response.status_code == 302
    day = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    added = client.post(
        f"{EXPERTS}{expert.pk}/", {"day": day, "starts": "10:00", "ends": "11:00", "place": "1층"}
    )
    assert added.status_code == 302
    slot = ConsultationSlot.objects.get(expert=expert)
    assert timezone.localtime(slot.starts_at).hour == 10
    assert client.get(f"{EXPERTS}{expert.pk}/").status_code == 200


def test_an_overlapping_slot_through_the_page_gets_a_clear_message(client, make_user, expert, slot):
    sign_in(client, make_user, Role.MANAGER)
    day = timezone.localdate(slot.starts_at).isoformat()

    response = client.post(
        f"{EXPERTS}{expert.pk}/",
        {"day": day, "starts": "14:30", "ends": "15:30"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 409
    assert "overlaps another slot of 김세무" in response.content.decode()
    assert ConsultationSlot.objects.count() == 1


def test_a_slot_ending_before_it_starts_is_a_form_error(client, make_user, expert):
    sign_in(client, make_user, Role.MANAGER)
    day = tomorrow().isoformat()

    response = client.post(
        f"{EXPERTS}{expert.pk}/", {"day": day, "starts": "15:00", "ends": "14:00"}
    )

    assert response.status_code == 400
    assert "ends" in response.context["form"].errors
    assert ConsultationSlot.objects.count() == 0


def test_an_empty_expert_form_is_a_form_error(client, make_user):
    sign_in(client, make_user, Role.MANAGER)

    response = client.post(EXPERTS, {"name": "", "field": ""})

    assert response.status_code == 400
    assert Expert.objects.count() == 0


def test_auditors_cannot_add_experts_or_slots(client, make_user, expert):
    sign_in(client, make_user, Role.AUDITOR)
    day = tomorrow().isoformat()

    assert client.get(EXPERTS).status_code == 200
    assert client.post(EXPERTS, {"name": "최회계", "field": "회계"}).status_code == 403
    slot_post = client.post(
        f"{EXPERTS}{expert.pk}/", {"day": day, "starts": "10:00", "ends": "11:00"}
    )
    assert slot_post.status_code == 403
    assert Expert.objects.count() == 1
    assert ConsultationSlot.objects.count() == 0


# ---------------------------------------------------------------------------- confirm


def test_confirming_books_the_slot_makes_the_handler_and_emails_the_resident(make_user, slot):
    officer = make_user(Role.REPORT_OFFICER)
    consultation = submit()

    services.consultation_confirm(consultation=consultation, slot=slot, by=officer)

    consultation = refreshed(consultation)
    assert consultation.status == Status.CONFIRMED
    assert consultation.slot == slot
    assert consultation.handler == officer
    assert consultation.confirmed_at is not None
    mail = OutboxMessage.objects.get(key=f"consultation:{consultation.pk}:confirmed:{slot.pk}")
    assert mail.to == EMAIL
    assert "김세무" in mail.body


def test_a_slot_booked_by_another_request_is_refused_and_nothing_is_written(make_user, slot):
    officer = make_user(Role.REPORT_OFFICER)
    first, second = submit(), submit(email="")
    services.consultation_confirm(consultation=first, slot=slot, by=officer)
    outbox_before = OutboxMessage.objects.count()

    with pytest.raises(services.ConsultationError, match=first.receipt_no):
        services.consultation_confirm(consultation=second, slot=slot, by=make_user(Role.MANAGER))

    second = refreshed(second)
    assert second.status == Status.REQUESTED
    assert second.slot is None and second.handler is None and second.confirmed_at is None
    assert OutboxMessage.objects.count() == outbox_before


def test_the_database_refuses_a_second_booking_of_a_slot(make_user, slot):
    first, second = submit(), submit()
    services.consultation_confirm(consultation=first, slot=slot, by=make_user(Role.MANAGER))

    with pytest.raises(IntegrityError), transaction.atomic():
        ConsultationRequest.objects.filter(pk=second.pk).update(status=Status.CONFIRMED, slot=slot)


def test_double_booking_through_the_page_gives_a_clear_message(client, make_user, slot):
    first, second = submit(), submit()
    services.consultation_confirm(consultation=first, slot=slot, by=make_user(Role.MANAGER))
    sign_in(client, make_user, Role.REPORT_OFFICER)

    response = client.post(detail(second, "confirm"), {"slot": slot.pk}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 409
    assert f"This slot is already booked by request {first.receipt_no}" in response.content.decode()
    assert refreshed(second).status == Status.REQUESTED
    assert refreshed(second).handler is None


def test_a_slot_that_has_begun_cannot_be_booked(make_user, expert):
    past = ConsultationSlot.objects.create(expert=expert, starts_at=at(-1), ends_at=at(-1, 15))

    with pytest.raises(services.ConsultationError):
        services.consultation_confirm(consultation=submit(), slot=past, by=make_user(Role.MANAGER))


def test_a_confirmed_request_cannot_be_confirmed_again(make_user, expert, slot):
    officer = make_user(Role.REPORT_OFFICER)
    consultation = submit()
    services.consultation_confirm(consultation=consultation, slot=slot, by=officer)
    later = services.slot_create(expert=expert, starts_at=at(3), ends_at=at(3, 15))

    with pytest.raises(services.ConsultationError):
        services.consultation_confirm(consultation=consultation, slot=later, by=officer)
    assert refreshed(consultation).slot == slot


def test_staff_confirm_a_slot_on_the_request_page(client, make_user, slot):
    consultation = submit()
    sign_in(client, make_user, Role.REPORT_OFFICER)

    page = client.get(detail(consultation))
    assert page.status_code == 200
    assert [f.action for f in page.context["forms"]] == ["take", "confirm", "cancel"]
    response = client.post(detail(consultation, "confirm"), {"slot": slot.pk})

    assert response.status_code == 302
    consultation = refreshed(consultation)
    assert consultation.status == Status.CONFIRMED
    assert consultation.handler == client.user


def test_without_an_email_the_handler_is_told_to_phone_with_the_phone_shown(
    client, make_user, slot
):
    consultation = submit(email="")
    sign_in(client, make_user, Role.REPORT_OFFICER)
    client.post(detail(consultation, "confirm"), {"slot": slot.pk})

    page = client.get(detail(consultation), HTTP_ACCEPT_LANGUAGE="en")

    assert f"phone them at {PHONE}" in page.content.decode()
    assert not OutboxMessage.objects.filter(key__contains=":confirmed:").exists()


def test_confirming_without_a_slot_is_a_form_error(client, make_user):
    consultation = submit()
    sign_in(client, make_user, Role.MANAGER)

    response = client.post(detail(consultation, "confirm"), {"slot": ""})

    assert response.status_code == 400
    assert refreshed(consultation).status == Status.REQUESTED


# ---------------------------------------------------------------------------- take, cancel, outcome


def test_taking_a_request_makes_the_handler_and_is_safe_to_repeat(make_user):
    officer = make_user(Role.REPORT_OFFICER)
    consultation = submit()

    services.consultation_take(consultation=consultation, by=officer)
    services.consultation_take(consultation=consultation, by=officer)

    assert refreshed(consultation).handler == officer


def test_cancelling_frees_the_slot_for_another_request(make_user, slot):
    officer = make_user(Role.REPORT_OFFICER)
    first, second = submit(), submit()
    services.consultation_confirm(consultation=first, slot=slot, by=officer)

    services.consultation_cancel(consultation=first, by=officer, reason="본인 요청")
    services.consultation_confirm(consultation=second, slot=slot, by=officer)

    first = refreshed(first)
    assert first.status == Status.CANCELLED and first.ended_at is not None
    assert first.outcome == "본인 요청"
    assert refreshed(second).status == Status.CONFIRMED
    assert OutboxMessage.objects.filter(key=f"consultation:{first.pk}:cancelled").exists()


def test_an_ended_request_cannot_be_cancelled_or_taken(make_user):
    officer = make_user(Role.REPORT_OFFICER)
    consultation = submit()
    services.consultation_cancel(consultation=consultation, by=officer)

    with pytest.raises(services.ConsultationError):
        services.consultation_cancel(consultation=consultation, by=officer)
    with pytest.raises(services.ConsultationError):
        services.consultation_take(consultation=consultation, by=make_user(Role.MANAGER))


def test_the_outcome_is_recorded_once_the_consultation_has_begun(make_user, slot):
    officer = make_user(Role.REPORT_OFFICER)
    consultation = submit()
    services.consultation_confirm(consultation=consultation, slot=slot, by=officer)

    with pytest.raises(services.ConsultationError):
        services.consultation_record_outcome(
            consultation=consultation, by=officer, result=Status.DONE, outcome="안내함"
        )
    started(slot)
    services.consultation_record_outcome(
        consultation=consultation, by=officer, result=Status.DONE, outcome="임대차 분쟁조정 안내"
    )

    consultation = refreshed(consultation)
    assert consultation.status == Status.DONE
    assert consultation.outcome == "임대차 분쟁조정 안내"
    assert consultation.ended_at is not None
    with pytest.raises(services.ConsultationError):
        services.consultation_record_outcome(
            consultation=consultation, by=officer, result=Status.NO_SHOW, outcome=""
        )


def test_a_no_show_is_recorded_through_the_page_and_keeps_the_slot_booked(client, make_user, slot):
    consultation = submit()
    sign_in(client, make_user, Role.MANAGER)
    client.post(detail(consultation, "confirm"), {"slot": slot.pk})
    started(slot)

    response = client.post(detail(consultation, "outcome"), {"result": "no_show", "outcome": ""})

    assert response.status_code == 302
    assert refreshed(consultation).status == Status.NO_SHOW
    with pytest.raises(services.ConsultationError):
        services.consultation_confirm(consultation=submit(), slot=slot, by=client.user)


def test_a_held_consultation_needs_an_outcome_text(client, make_user, slot):
    consultation = submit()
    sign_in(client, make_user, Role.MANAGER)
    client.post(detail(consultation, "confirm"), {"slot": slot.pk})
    started(slot)

    response = client.post(detail(consultation, "outcome"), {"result": "done", "outcome": " "})

    assert response.status_code == 400
    assert refreshed(consultation).status == Status.CONFIRMED


def test_an_unknown_action_is_not_found(client, make_user):
    consultation = submit()
    sign_in(client, make_user, Role.MANAGER)

    assert client.post(detail(consultation, "delete")).status_code == 404


def test_an_action_refused_because_the_request_ended_meanwhile_shows_why(client, make_user):
    consultation = submit()
    sign_in(client, make_user, Role.MANAGER)
    services.consultation_cancel(consultation=consultation, by=client.user)

    response = client.post(
        detail(consultation, "cancel"), {"reason": ""}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 409
    assert "Only a waiting or confirmed request can be cancelled." in response.content.decode()
