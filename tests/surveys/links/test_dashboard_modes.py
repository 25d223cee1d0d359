"""The dashboard by mode."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kindness.outbox import outbox_deliver
from kindness.roles import Role
from surveys.links import selectors
from surveys.links.services import survey_link_answer
from surveys.models import HappyCall
from surveys.selectors import DashboardFilter, dashboard
from surveys.services import happy_call_complete
from tests.surveys.links.helpers import ANSWERS, TODAY, linked_call
from tests.surveys.test_queue import make_agent, make_petition


@pytest.mark.django_db
def test_the_dashboard_compares_modes_and_leaves_links_out_of_the_aapor_rates(
    client, make_user, questionnaire, sms_dir
):
    caller = make_agent(make_user)
    web_call, link = linked_call()
    outbox_deliver()
    survey_link_answer(link=link, answers=ANSWERS)
    _pending_call, _pending = linked_call()
    outbox_deliver()
    petition = make_petition()
    phone_call = HappyCall.objects.create(
        petition=petition, department=petition.department, assigned_to=caller
    )
    happy_call_complete(call=phone_call, by=caller, answers={**ANSWERS, "speed": 1})

    f = DashboardFilter(start=TODAY, end=TODAY)
    assert dashboard(f, today=TODAY).total.complete == 1  # phone only
    modes = selectors.mode_comparison(f)
    phone, web = modes.rows
    assert (phone.completed, web.completed, web.sent) == (1, 1, 2)
    assert web.response_rate == 0.5
    assert web.mean_days == 1  # make_petition: completed yesterday
    speed = next(i for i in modes.items if i.key == "speed")
    assert (speed.phone[0], speed.web[0]) == (1, 5)

    manager = make_user(Role.MANAGER)
    client.force_login(manager)
    page = client.get(reverse("surveys:dashboard")).content.decode()
    assert 'id="mode-web"' in page and "50.0%" in page
