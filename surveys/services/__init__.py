"""Every write of the happy-call centre's call desk (SPEC section 4): building the daily
queue, taking a call, recording an attempt and entering the survey.

Changes to a call lock its row first and check its state under the lock, so two staff
acting on the same call at once are served one after the other and the second is told what
happened; a change the call's state does not allow raises CallError with a message for
people.
"""

from __future__ import annotations

from surveys.services.calls import (
    FAILED,
    MAKE_CALLS,
    QUESTIONNAIRE_CODE,
    CallClosed,
    CallError,
    NotYourCall,
    Outcome,
    Status,
    SurveyIncomplete,
    call_attempt_record,
    call_check,
    call_locked,
    call_questionnaire,
    call_take,
    happy_call_complete,
    may_act,
    questionnaire_active,
    require_caller,
    require_open,
    survey_store,
)
from surveys.services.daily_queue import (
    QueueResult,
    agents_on_duty,
    call_queue_build,
    refused_phone_digest,
    refused_phones,
)

__all__ = [
    "CallClosed",
    "CallError",
    "FAILED",
    "MAKE_CALLS",
    "NotYourCall",
    "Outcome",
    "QUESTIONNAIRE_CODE",
    "QueueResult",
    "Status",
    "SurveyIncomplete",
    "agents_on_duty",
    "call_attempt_record",
    "call_check",
    "call_locked",
    "call_questionnaire",
    "call_queue_build",
    "call_take",
    "happy_call_complete",
    "may_act",
    "questionnaire_active",
    "refused_phone_digest",
    "refused_phones",
    "require_caller",
    "require_open",
    "survey_store",
]
