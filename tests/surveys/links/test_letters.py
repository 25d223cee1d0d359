"""Letters with the link's QR code, and messages the outbox gave up on."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from kindness.models import OutboxMessage
from surveys.links import records
from tests.surveys.links.helpers import TODAY, LinkStatus, linked_call
from tests.surveys.test_queue import make_agent


@pytest.mark.django_db
def test_the_letters_page_prints_the_qr_code_and_address_without_the_name(
    client, make_user, sms_dir
):
    caller = make_agent(make_user)
    call, link = linked_call(phone="02-123-4567")
    client.force_login(caller)
    page = client.get(reverse("survey_links_staff:letters")).content.decode()
    assert "<svg" in page and records.link_url(link) in page
    assert call.petition.petition_no in page and call.department.name in page
    assert call.petition.petitioner_name not in page

    client.post(reverse("survey_links_staff:printed"), {"link": [link.pk]})
    link.refresh_from_db()
    assert (link.status, link.sent_on) == (LinkStatus.OPEN, TODAY)
    reprint = client.get(reverse("survey_links_staff:letters") + "?reprint=1").content.decode()
    assert records.link_url(link) in reprint


@pytest.mark.django_db
def test_printed_letters_posted_with_ids_that_are_no_row_are_refused_with_a_message(
    client, make_user, settings, sms_dir
):
    client.force_login(make_agent(make_user))
    url = reverse("survey_links_staff:printed")
    response = client.post(url, {"link": ["9" * 30, "\u0664\u0662", "x"]}, follow=True)
    assert response.status_code == 200
    assert gettext("Choose the letters you printed.") in response.content.decode()


@pytest.mark.django_db
def test_a_message_the_outbox_gave_up_on_is_shown_to_staff(client, make_user, settings, sms_dir):
    caller = make_agent(make_user)
    call, link = linked_call()
    OutboxMessage.objects.filter(pk=link.message_id).update(
        failed_at=timezone.now(), last_error="SmsRejected: 400"
    )
    client.force_login(caller)
    page = client.get(reverse("survey_links_staff:letters")).content.decode()
    assert "SmsRejected: 400" in page and call.petition.petition_no in page
