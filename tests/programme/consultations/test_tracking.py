"""Residents follow their consultation request at /consultations/track/ (SPEC section 6,
issue 15 item 13): by number and secret, with the status and the confirmed slot and never
the staff's notes or the handler; one answer for every mistake; limited per address."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from kindness import tokens
from kindness.models import OutboxMessage
from kindness.roles import Role
from programme.consultations import services
from programme.models import ConsultationRequest
from tests.factories import UserFactory
from tests.programme.consultations.helpers import NAME, NEW, PHONE, Status, form_data, submit

pytestmark = pytest.mark.django_db

TRACK = "/consultations/track/"
NO_MATCH = "No request matches this number and secret."


def track(client, receipt_no: str, secret: str, **extra):
    return client.post(
        TRACK, {"receipt_no": receipt_no, "secret": secret}, HTTP_ACCEPT_LANGUAGE="en", **extra
    )


@pytest.fixture
def officer(db):
    user = UserFactory(username="officer-kim", first_name="Handler", last_name="Kim")
    user.groups.add(Group.objects.get(name=Role.REPORT_OFFICER))
    return user


def test_the_secret_is_random_from_the_unambiguous_alphabet_and_stored_as_a_keyed_hash(db):
    first, second = submit(), submit()

    for consultation in (first, second):
        assert re.fullmatch(r"[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{10}", consultation.secret)
        stored = ConsultationRequest.objects.get(pk=consultation.pk).secret_hash
        assert stored == tokens.keyed_digest(services.SECRET_PURPOSE, consultation.secret)
        assert consultation.secret not in stored
    assert first.secret != second.secret


def test_a_digest_made_for_another_purpose_does_not_verify(db):
    consultation = submit()
    ConsultationRequest.objects.filter(pk=consultation.pk).update(
        secret_hash=tokens.keyed_digest("report-secret", consultation.secret)
    )

    found = services.consultation_find_for_tracking(
        receipt_no=consultation.receipt_no, secret=consultation.secret
    )

    assert found is None


def test_the_tracking_page_asks_for_number_and_secret_and_explains_older_requests(client):
    response = client.get(TRACK + "?receipt_no=C-2026-000007", HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="receipt_no"' in page and 'value="C-2026-000007"' in page
    assert 'name="secret"' in page
    assert "no secret and cannot be followed here" in page
    assert "no-store" in response["Cache-Control"]


def test_a_waiting_request_shows_its_status_without_a_slot(client):
    consultation = submit()

    response = track(client, consultation.receipt_no, consultation.secret)

    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'id="track-status">\s*Requested\s*<', page)
    assert 'id="track-slot"' not in page
    assert NO_MATCH not in page


def test_a_confirmed_request_shows_the_slot_with_the_experts_field_but_no_staff_data(
    client, slot, officer
):
    consultation = submit(priority_group="low_income")
    services.consultation_confirm(consultation=consultation, slot=slot, by=officer)

    # Typed as a person copies it from paper: lower case, spaces, dashes left out.
    typed_no = consultation.receipt_no.replace("-", " ").lower()
    response = track(client, typed_no, " " + consultation.secret.lower() + " ")

    page = response.content.decode()
    starts, ends = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    assert response.status_code == 200
    assert re.search(r'id="track-status">\s*Confirmed\s*<', page)
    assert f"{starts:%Y-%m-%d} {starts:%H:%M}–{ends:%H:%M}" in page
    assert re.search(r'id="track-field">\s*세무\s*<', page)
    assert slot.place in page
    for hidden in ("officer-kim", "Handler", NAME, PHONE, "low_income", "Low income"):
        assert hidden not in page


def test_the_outcome_and_the_handler_are_never_shown(client, slot, officer):
    consultation = submit()
    services.consultation_cancel(consultation=consultation, by=officer, reason="STAFF-NOTE-42")

    page = track(client, consultation.receipt_no, consultation.secret).content.decode()

    assert re.search(r'id="track-status">\s*Cancelled\s*<', page)
    assert "STAFF-NOTE-42" not in page
    assert "officer-kim" not in page


@pytest.mark.parametrize("mistake", ["unknown number", "wrong secret", "made before tracking"])
def test_every_mistake_gets_the_same_answer(client, mistake):
    consultation = submit()
    if mistake == "made before tracking":
        ConsultationRequest.objects.filter(pk=consultation.pk).update(secret_hash="")
    number = consultation.receipt_no
    secret = consultation.secret
    if mistake == "unknown number":
        number = number[:-1] + "9"
    elif mistake == "wrong secret":
        secret = "ABCDEFGHJK" if secret != "ABCDEFGHJK" else "BCDEFGHJKL"

    response = track(client, number, secret)

    page = response.content.decode()
    assert response.status_code == 200
    assert NO_MATCH in page
    assert 'id="track-status"' not in page
    # Apart from the number typed back into the form, the pages are identical.
    page_for_unknown = track(client, "C-2000-000001", secret).content.decode()
    strip = re.compile(r'value="[^"]*"')
    assert strip.sub("", page.replace(number, "")) == strip.sub(
        "", page_for_unknown.replace("C-2000-000001", "")
    )


def test_every_mistake_spends_one_keyed_hash_against_a_full_length_digest(monkeypatch, db):
    """The same work on every path, so timing tells an unknown number from a wrong secret
    no more than the page does (issue 16 item 1)."""
    consultation = submit()
    older = submit()
    ConsultationRequest.objects.filter(pk=older.pk).update(secret_hash="")
    seen = []
    real = tokens.digest_matches

    def spy(purpose, value, stored):
        seen.append((purpose, len(stored)))
        return real(purpose, value, stored)

    monkeypatch.setattr(tokens, "digest_matches", spy)
    for number, secret in [
        ("C-2000-000001", consultation.secret),
        (consultation.receipt_no, "WRONGSECRT"),
        (older.receipt_no, older.secret),
        (consultation.receipt_no, consultation.secret),
    ]:
        services.consultation_find_for_tracking(receipt_no=number, secret=secret)

    assert seen == [(services.SECRET_PURPOSE, 64)] * 4


@pytest.mark.parametrize(
    ("number", "secret"),
    [("R-2026-000001", "ABCDEFGHJK"), ("hello", "ABCDEFGHJK"), ("", ""), ("C-2026-1", "")],
)
def test_bad_input_is_a_400_with_a_clear_message(client, number, secret):
    response = track(client, number, secret)

    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page or "C-YYYY-NNNNNN" in page


def test_a_form_field_too_long_is_a_400_not_a_500(client):
    response = track(client, "C" * 500, "S" * 500)

    assert response.status_code == 400


def test_only_get_and_post_are_allowed(client):
    assert client.put(TRACK).status_code == 405


def test_tracking_tries_are_limited_per_address(client, settings):
    settings.RATELIMIT_ENABLE = True
    settings.TRACK_RATE = "3/m"
    consultation = submit()

    statuses = [track(client, consultation.receipt_no, "WRONGSECRT").status_code for _ in range(3)]
    statuses.append(track(client, consultation.receipt_no, consultation.secret).status_code)
    other = track(client, consultation.receipt_no, consultation.secret, REMOTE_ADDR="192.0.2.9")

    assert statuses == [200, 200, 200, 429]
    assert other.status_code == 200


def test_the_acknowledgement_mail_names_the_tracking_page_but_not_the_secret(db):
    consultation = submit()

    message = OutboxMessage.objects.get(key=f"consultation:{consultation.pk}:received")
    assert TRACK in message.body
    assert consultation.secret not in message.body
    assert consultation.receipt_no in message.body


def test_the_done_page_links_to_tracking_with_the_number(client):
    response = client.post(NEW, form_data())
    number = ConsultationRequest.objects.get().receipt_no

    page = client.get(response.url).content.decode()

    assert f'href="{TRACK}?receipt_no={number}"' in page


def test_the_home_page_and_the_request_form_link_to_tracking(client):
    assert f'href="{TRACK}"' in client.get("/").content.decode()
    assert f'href="{TRACK}"' in client.get(NEW).content.decode()


def test_the_request_form_heading_names_the_applicant_not_a_reporter(client):
    korean = client.get(NEW, HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert "신청인 정보" in korean
    assert "신고인" not in korean


def test_the_tracking_page_is_in_korean_by_default(client):
    consultation = submit()

    page = client.post(
        TRACK, {"receipt_no": consultation.receipt_no, "secret": consultation.secret}
    ).content.decode()

    assert "상담 신청 조회" in page
    assert f"신청 {consultation.receipt_no}" in page
    with translation.override("ko"):
        requested = str(Status.REQUESTED.label)
    assert requested != "Requested"
    assert re.search(r'id="track-status">\s*' + re.escape(requested) + r"\s*<", page)
