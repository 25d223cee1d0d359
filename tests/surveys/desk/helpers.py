"""Helpers shared by the tests of the call desk."""

from __future__ import annotations

from django.utils import timezone

from surveys import services
from surveys.models import CallAttempt, HappyCall
from tests.surveys.test_queue import make_petition

Status = HappyCall.Status
Outcome = CallAttempt.Outcome
NAME, PHONE = "김민원", "010-2345-6789"
MASKED_NAME, MASKED_PHONE = "김*원", "010-****-6789"
ANSWERS = {"speed": 5, "clarity": 4, "kindness": 2, "result": None, "overall": 3}
FORM = {
    "item_speed": "5",
    "item_clarity": "4",
    "item_kindness": "2",
    "item_result": "0",
    "item_overall": "3",
}


def queued_call(assigned_to=None, **petition) -> HappyCall:
    p = make_petition(petitioner_name=NAME, petitioner_phone=PHONE, **petition)
    return HappyCall.objects.create(
        petition=p,
        department=p.department,
        official=p.official,
        assigned_to=assigned_to,
        queued_on=timezone.localdate(),
    )


def complete(call, by, answers=ANSWERS, **flags):
    return services.happy_call_complete(call=call, by=by, answers=dict(answers), voc="", **flags)
