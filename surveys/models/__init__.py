"""The happy-call centre and the outside kindness surveys (SPEC section 4)."""

from __future__ import annotations

from surveys.models.calls import (
    CallAttempt,
    CallCentreAgent,
    Channel,
    ContactChange,
    HappyCall,
    HappyCallAnswer,
    Petition,
    QuestionItem,
    Questionnaire,
    RefusedPhone,
    SurveyLink,
)
from surveys.models.outside import (
    PhoneScorecard,
    PhoneSurvey,
    VisitSurvey,
)

__all__ = [
    "CallAttempt",
    "CallCentreAgent",
    "Channel",
    "ContactChange",
    "HappyCall",
    "HappyCallAnswer",
    "Petition",
    "PhoneScorecard",
    "PhoneSurvey",
    "QuestionItem",
    "Questionnaire",
    "RefusedPhone",
    "SurveyLink",
    "VisitSurvey",
]
