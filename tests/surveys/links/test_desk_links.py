"""The desk's key and written-survey marks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kindness.roles import Role
from surveys.links.services import call_send_link
from surveys.models import HappyCall, SurveyLink
from surveys.services import NotYourCall
from tests.surveys.links.helpers import TODAY, Status
from tests.surveys.test_queue import make_agent, make_petition


@pytest.mark.django_db
def test_the_desk_sends_a_link_instead_of_calling(client, make_user, questionnaire, sms_dir):
    caller = make_agent(make_user)
    petition = make_petition()
    call = HappyCall.objects.create(
        petition=petition, department=petition.department, assigned_to=caller, queued_on=TODAY
    )
    client.force_login(caller)
    page = client.get(reverse("surveys:call", args=[call.pk])).content.decode()
    assert 'id="send-link"' in page and 'aria-keyshortcuts="L"' in page

    response = client.post(reverse("survey_links_staff:send", args=[call.pk]))

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == Status.LINK and call.link.reason == "desk"
    again = client.post(reverse("survey_links_staff:send", args=[call.pk]))
    assert again.status_code == 302  # refused with a message: the call is no longer queued
    assert SurveyLink.objects.count() == 1


@pytest.mark.django_db
def test_somebody_elses_call_cannot_be_sent_a_link(make_user, sms_dir):
    caller, other = make_agent(make_user), make_agent(make_user)
    petition = make_petition()
    call = HappyCall.objects.create(
        petition=petition, department=petition.department, assigned_to=caller
    )
    with pytest.raises(NotYourCall):
        call_send_link(call=call, by=other)


@pytest.mark.django_db
def test_marking_and_unmarking_a_written_survey_keeps_history(client, make_user, sms_dir):
    caller = make_agent(make_user)
    petition = make_petition()
    call = HappyCall.objects.create(
        petition=petition, department=petition.department, assigned_to=caller, queued_on=TODAY
    )
    client.force_login(caller)
    contact = reverse("survey_links_staff:contact", args=[call.pk])

    client.post(contact, {"contact": "written"})
    call.refresh_from_db()
    assert call.status == Status.LINK and call.link.reason == "written"

    client.post(contact, {"contact": "phone"})
    call.refresh_from_db()
    assert (call.status, call.assigned_to, call.link.status) == (Status.QUEUED, caller, "closed")
    assert list(petition.contact_changes.values_list("contact", flat=True)) == ["written", "phone"]
    page = client.get(reverse("surveys:call", args=[call.pk])).content.decode()
    assert 'id="contact-history"' in page
    assert client.post(contact, {"contact": "fax"}).status_code == 302
    assert petition.contact_changes.count() == 2


@pytest.mark.django_db
def test_only_happy_call_staff_reach_the_link_pages(role_client):
    for role in (Role.MANAGER, Role.AUDITOR, Role.REPORT_OFFICER):
        assert role_client(role).get(reverse("survey_links_staff:letters")).status_code == 403


@pytest.mark.django_db
def test_somebody_elses_petitioner_cannot_be_marked(client, make_user, sms_dir):
    caller, other = make_agent(make_user), make_agent(make_user)
    petition = make_petition()
    call = HappyCall.objects.create(
        petition=petition, department=petition.department, assigned_to=caller, queued_on=TODAY
    )
    client.force_login(other)
    client.post(reverse("survey_links_staff:contact", args=[call.pk]), {"contact": "written"})
    petition.refresh_from_db()
    assert petition.contact == "phone" and not petition.contact_changes.exists()
