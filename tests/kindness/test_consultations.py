"""The expert consultation room (SPEC section 6): the public request form with its number,
experts and slots, confirming, cancelling and the outcome, who may do what, masking of the
resident's data with its access log (SPEC section 8), retention and the demo data."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from kindness import consultations as services
from kindness import demo
from kindness.models import (
    AccessLog,
    ConsultationRequest,
    ConsultationSlot,
    Expert,
    OutboxMessage,
    ProgrammeSettings,
)
from kindness.roles import Role
from kindness.tasks import erase_expired_consultation_data

pytestmark = pytest.mark.django_db

Status = ConsultationRequest.Status
NEW = "/consultations/new/"
LIST = "/staff/consultations/"
EXPERTS = "/staff/consultations/experts/"
NAME, PHONE, EMAIL = "홍길동", "010-1234-5678", "hong@example.com"
MASKED_NAME, MASKED_PHONE = "홍*동", "010-****-5678"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def at(days: int, hour: int = 14, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def form_data(**changes) -> dict:
    data = {
        "topic": "전세 보증금 반환 문의",
        "details": "계약이 끝났는데 보증금을 돌려받지 못했습니다.",
        "preferred_on": tomorrow().isoformat(),
        "preferred_time": "afternoon",
        "preferred_note": "평일 오후 3시 이후",
        "priority_group": "low_income",
        "name": NAME,
        "phone": "01012345678",
        "email": EMAIL,
        "consent": "on",
        "website": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def submit(**changes) -> ConsultationRequest:
    fields = {
        "topic": "퇴직금 계산",
        "preferred_on": tomorrow(),
        "name": NAME,
        "phone": PHONE,
        "email": EMAIL,
    }
    fields.update(changes)
    return services.consultation_request_submit(**fields)


@pytest.fixture
def expert(db):
    return Expert.objects.create(name="김세무", field="세무")


@pytest.fixture
def slot(expert):
    return services.slot_create(expert=expert, starts_at=at(2), ends_at=at(2, 15), place="상담실")


def refreshed(obj):
    return type(obj).objects.get(pk=obj.pk)


def detail(consultation: ConsultationRequest, action: str = "") -> str:
    return f"{LIST}{consultation.receipt_no}/" + (f"{action}/" if action else "")


def sign_in(client, make_user, role, **kwargs):
    user = make_user(role, **kwargs)
    client.force_login(user)
    client.user = user
    return client


def started(slot: ConsultationSlot) -> None:
    """Move a slot into the past: only then can its outcome be recorded."""
    ConsultationSlot.objects.filter(pk=slot.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() - dt.timedelta(minutes=10),
    )


# ---------------------------------------------------------------------------- request form


def test_the_request_form_is_public_and_in_korean_by_default(client, db):
    response = client.get(NEW)

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "ko"
    assert 'name="preferred_on"' in response.content.decode()
    assert f'min="{timezone.localdate().isoformat()}"' in response.content.decode()


def test_a_resident_files_a_request_and_sees_its_number_once(client, db):
    response = client.post(NEW, form_data())

    assert response.status_code == 302
    consultation = ConsultationRequest.objects.get()
    year = timezone.localdate().year
    assert consultation.receipt_no == f"C-{year}-000001"
    assert consultation.phone == PHONE  # normalised
    assert consultation.priority_group == "low_income"
    assert consultation.preferred_time == "afternoon"
    assert consultation.status == Status.REQUESTED
    assert consultation.consent_at is not None
    done = client.get(response.url)
    assert consultation.receipt_no in done.content.decode()
    assert consultation.receipt_no not in client.get(response.url).content.decode()


def test_a_past_preferred_date_is_refused_with_a_clear_message_and_nothing_stored(client, db):
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()

    response = client.post(NEW, form_data(preferred_on=yesterday), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "The preferred date cannot be in the past." in response.content.decode()
    assert ConsultationRequest.objects.count() == 0


def test_the_service_refuses_a_past_date_too(db):
    with pytest.raises(services.ConsultationError):
        submit(preferred_on=timezone.localdate() - dt.timedelta(days=1))
    assert ConsultationRequest.objects.count() == 0


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"phone": "12345"}, "phone"),
        ({"phone": ""}, "phone"),
        ({"name": ""}, "name"),
        ({"topic": ""}, "topic"),
        ({"consent": None}, "consent"),
        ({"preferred_on": "not a date"}, "preferred_on"),
        ({"email": "not an address"}, "email"),
        ({"priority_group": "rich"}, "priority_group"),
    ],
)
def test_bad_input_re_renders_the_form_with_an_error_and_stores_nothing(client, db, changes, field):
    response = client.post(NEW, form_data(**changes))

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert ConsultationRequest.objects.count() == 0


def test_the_honeypot_stores_nothing(client, db):
    response = client.post(NEW, form_data(website="http://spam"))

    assert response.status_code == 400
    assert ConsultationRequest.objects.count() == 0


def test_request_numbers_are_sequential_within_the_year(db):
    year = timezone.localdate().year
    numbers = [submit().receipt_no for _ in range(3)]

    assert numbers == [f"C-{year}-{n:06d}" for n in (1, 2, 3)]


def test_numbering_continues_after_the_latest_number_of_the_year(db):
    year = timezone.localdate().year
    first = submit()
    ConsultationRequest.objects.filter(pk=first.pk).update(receipt_no=f"C-{year}-000041")

    assert submit().receipt_no == f"C-{year}-000042"


def test_another_years_numbers_do_not_count(db):
    year = timezone.localdate().year
    old = submit()
    ConsultationRequest.objects.filter(pk=old.pk).update(receipt_no=f"C-{year - 1}-000077")

    assert submit().receipt_no == f"C-{year}-000001"


def test_a_request_notifies_handlers_and_acknowledges_the_resident(db, make_user):
    officer = make_user(Role.REPORT_OFFICER, email="officer@city.example")
    make_user(Role.MANAGER, email="manager@city.example")
    make_user(Role.HAPPY_CALL, email="caller@city.example")
    make_user(Role.AUDITOR, email="auditor@city.example")

    consultation = submit(priority_group="elderly")

    messages = OutboxMessage.objects.filter(related=f"consultation:{consultation.pk}")
    assert sorted(messages.values_list("to", flat=True)) == sorted(
        [EMAIL, officer.email, "manager@city.example"]
    )
    staff_message = messages.get(to=officer.email)
    assert consultation.receipt_no in staff_message.subject
    assert NAME not in staff_message.body and PHONE not in staff_message.body


def test_the_request_form_is_rate_limited_per_address(client, db, settings):
    settings.RATELIMIT_ENABLE = True
    settings.REPORT_RATE = "2/m"

    statuses = [client.post(NEW, form_data()).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert ConsultationRequest.objects.count() == 2


def test_correcting_mistakes_does_not_use_up_the_limit(client, db, settings):
    settings.RATELIMIT_ENABLE = True
    settings.REPORT_RATE = "1/m"

    mistakes = [client.post(NEW, form_data(consent=None)).status_code for _ in range(2)]

    assert mistakes == [400, 400]
    assert client.post(NEW, form_data()).status_code == 302


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
        (Role.ADMIN, 403),
    ],
)
def test_who_may_open_the_staff_pages(role_client, role, status):
    consultation = submit()
    client = role_client(role)

    for url in (LIST, detail(consultation), EXPERTS):
        # Experts are programme settings, which IT keeps (SPEC section 1); requests are not.
        want = 200 if role == Role.ADMIN and url == EXPERTS else status
        assert client.get(url).status_code == want, url


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
        object_type="kindness.consultationrequest", object_id=str(consultation.pk)
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
    organisation = demo.seed_organisation(rng)
    logins = demo.seed_users(rng, organisation=organisation)

    first = services.seed_consultations(random.Random(1), organisation=organisation, logins=logins)
    second = services.seed_consultations(random.Random(1), organisation=organisation, logins=logins)

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
    assert services.slots_open().exists()


def test_an_action_refused_because_the_request_ended_meanwhile_shows_why(client, make_user):
    consultation = submit()
    sign_in(client, make_user, Role.MANAGER)
    services.consultation_cancel(consultation=consultation, by=client.user)

    response = client.post(
        detail(consultation, "cancel"), {"reason": ""}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 409
    assert "Only a waiting or confirmed request can be cancelled." in response.content.decode()
