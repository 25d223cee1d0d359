"""The consultation room's public request form (SPEC section 6): its number, bad input,
the honeypot, notifications and the rate limit."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from kindness import numbering, tokens
from kindness.models import OutboxMessage
from kindness.roles import Role
from programme.consultations import services
from programme.models import ConsultationRequest
from tests.programme.consultations.helpers import EMAIL, NAME, NEW, PHONE, Status, form_data, submit

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------- request form


def test_the_request_form_is_public_and_in_korean_by_default(client, db):
    response = client.get(NEW)

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "ko"
    assert 'name="preferred_on"' in response.content.decode()
    assert f'min="{timezone.localdate().isoformat()}"' in response.content.decode()


def test_a_resident_files_a_request_and_sees_its_secret_once_and_its_number_on_reload(client, db):
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
    done = client.get(response.url).content.decode()
    secret = re.search(r'id="tracking-secret">([^<]+)<', done)[1]
    assert re.fullmatch(r"[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{10}", secret)
    assert consultation.receipt_no in done
    assert tokens.digest_matches(services.SECRET_PURPOSE, secret, consultation.secret_hash)
    assert secret not in consultation.secret_hash
    reloaded = client.get(response.url)
    assert reloaded["Cache-Control"].startswith("max-age=0")
    assert "no-store" in reloaded["Cache-Control"]
    assert consultation.receipt_no in reloaded.content.decode()
    assert secret not in reloaded.content.decode()
    assert 'id="secret-shown"' in reloaded.content.decode()


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


def test_numbering_continues_the_years_sequence_of_the_core(db):
    year = timezone.localdate().year
    numbering.number_advance(prefix=numbering.CONSULTATION, year=year, number=41)

    assert submit().receipt_no == f"C-{year}-000042"
    assert submit().receipt_no == f"C-{year}-000043"


def test_another_years_sequence_does_not_count(db):
    year = timezone.localdate().year
    numbering.number_advance(prefix=numbering.CONSULTATION, year=year - 1, number=77)

    assert submit().receipt_no == f"C-{year}-000001"


def test_a_used_up_year_is_a_clear_error_and_stores_nothing(db):
    year = timezone.localdate().year
    numbering.number_advance(prefix=numbering.CONSULTATION, year=year, number=numbering.LAST)

    with pytest.raises(services.ConsultationError, match=str(year)):
        submit()
    assert not ConsultationRequest.objects.exists()


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
