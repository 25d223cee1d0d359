"""The demo city's survey links (demo/survey_links.py): part of the queue gets a link, some
answer it, and the dashboard has both modes; running it again adds nothing."""

import datetime
import random

import pytest
from django.core.management import call_command

from demo.survey_links import seed_survey_links
from kindness.models import OutboxMessage
from surveys.links.selectors import mode_comparison
from surveys.models import HappyCall, SurveyLink
from surveys.selectors import DashboardFilter


@pytest.mark.django_db
def test_the_demo_answers_part_of_the_queue_by_link(settings, capsys):
    settings.SMS_URL = "console://"
    settings.DEBUG = True
    call_command("seed_demo", seed=2026, force=True)
    capsys.readouterr()

    links = SurveyLink.objects.filter(reason=SurveyLink.Reason.SHARE)
    assert links.count() > 5
    web = HappyCall.objects.filter(mode=HappyCall.Mode.WEB, status=HappyCall.Status.COMPLETED)
    assert web.count() > 0
    assert not OutboxMessage.objects.filter(
        related__startswith="survey-link:", sent_at=None
    ).exists()
    assert not any("/s/" in body for body in OutboxMessage.objects.values_list("body", flat=True))
    days = web.values_list("answered_on", flat=True)
    start = min(days) - datetime.timedelta(days=60)
    phone, by_link = mode_comparison(DashboardFilter(start=start, end=max(days))).rows
    assert by_link.completed == web.count() and by_link.sent >= by_link.completed
    assert phone.completed > 0

    assert seed_survey_links(random.Random(1)).links == 0
