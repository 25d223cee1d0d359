"""Helpers shared by the tests of survey links."""

from __future__ import annotations

import re

from django.utils import timezone

from surveys.links import records
from surveys.links.services import survey_links_send
from surveys.models import HappyCall, SurveyLink
from tests.surveys.test_queue import make_petition

Status = HappyCall.Status
LinkStatus = SurveyLink.Status
TODAY = timezone.localdate()
ANSWERS = {"speed": 5, "clarity": 4, "kindness": 5, "result": 3, "overall": None}


def token_in(text: str) -> str:
    return re.search(r"/s/([A-Za-z0-9_-]{22,})/", text).group(1)


def linked_call(
    *, reason=SurveyLink.Reason.SHARE, phone="010-1234-5678", email="", sent=True, **kw
):
    petition = make_petition(phone=phone, petitioner_email=email, **kw)
    call = HappyCall.objects.create(
        petition=petition,
        department=petition.department,
        official=petition.official,
        queued_on=TODAY,
    )
    link = records.survey_link_open(call=call, reason=reason, today=TODAY)
    if sent:
        survey_links_send(today=TODAY)
        link.refresh_from_db()
    return call, link


def url(token: str) -> str:
    return f"/s/{token}/"
