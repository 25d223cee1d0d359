"""The outside surveys: visitor reception, and the telephone (mystery-call) survey with its
scorecard."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kindness.fields import optional_key
from kindness.models import Department, Official


class VisitSurvey(models.Model):
    """An outside agency's visitor-reception survey of a department."""

    survey_id = models.CharField(_("survey id"), max_length=40, unique=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="visit_surveys",
        verbose_name=_("department"),
    )
    surveyed_on = models.DateField(_("surveyed on"))
    greeting = models.PositiveSmallIntegerField(_("greeting"), null=True, blank=True)
    attitude = models.PositiveSmallIntegerField(_("attitude"), null=True, blank=True)
    explanation = models.PositiveSmallIntegerField(_("explanation"), null=True, blank=True)
    waiting = models.PositiveSmallIntegerField(_("waiting time"), null=True, blank=True)
    overall = models.PositiveSmallIntegerField(_("overall"), null=True, blank=True)
    response_score = models.FloatField(_("response score"), null=True, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    ITEMS = ("greeting", "attitude", "explanation", "waiting", "overall")

    class Meta:
        ordering = ["-surveyed_on", "survey_id"]
        verbose_name = _("visitor-reception survey")
        verbose_name_plural = _("visitor-reception surveys")
        indexes = [models.Index(fields=["surveyed_on", "department"])]

    def __str__(self) -> str:
        return self.survey_id


class PhoneScorecard(models.Model):
    """The telephone (mystery-call) scorecard as data; defaults of SPEC section 4."""

    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    active = models.BooleanField(_("in use"), default=True)
    rings_points = models.PositiveSmallIntegerField(_("answered before the 3rd ring"), default=15)
    greeting_points = models.PositiveSmallIntegerField(
        _("greeting with department and name"), default=15
    )
    tone_points = models.PositiveSmallIntegerField(_("tone and attitude (1-5)"), default=20)
    accuracy_points = models.PositiveSmallIntegerField(
        _("accuracy and helpfulness (1-5)"), default=20
    )
    duration_points = models.PositiveSmallIntegerField(_("finished within 3 minutes"), default=10)
    closing_points = models.PositiveSmallIntegerField(_("closing greeting"), default=10)
    hangup_points = models.PositiveSmallIntegerField(_("waited 3 s before hanging up"), default=10)
    max_rings = models.PositiveSmallIntegerField(_("most rings counted as quick"), default=2)
    max_duration_s = models.PositiveSmallIntegerField(_("longest call in seconds"), default=180)
    min_hangup_wait_s = models.PositiveSmallIntegerField(
        _("least wait before hanging up, seconds"), default=3
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("telephone scorecard")
        verbose_name_plural = _("telephone scorecards")

    def __str__(self) -> str:
        return f"v{self.version}"


class PhoneSurvey(models.Model):
    """One mystery call to an official. Unanswered calls score 0 for the department and
    count for no official; a call answered by a colleague counts for the target's
    department, is scored against the colleague, and is "covered"."""

    call_id = models.CharField(_("call id"), max_length=40, unique=True)
    target = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        related_name="phone_surveys_targeted",
        verbose_name=_("official called"),
    )
    answered_by = optional_key(Official, _("answered by"), related_name="phone_surveys_answered")
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="phone_surveys",
        verbose_name=_("department of the official called"),
    )
    called_at = models.DateTimeField(_("called at"))
    called_on = models.DateField(_("call date (Seoul)"))
    rings = models.PositiveSmallIntegerField(_("rings"), null=True, blank=True)
    duration_s = models.PositiveIntegerField(_("duration (s)"), null=True, blank=True)
    hangup_wait_s = models.PositiveSmallIntegerField(
        _("wait before hanging up (s)"), null=True, blank=True
    )
    greeting_with_name = models.BooleanField(_("greeting with name"), null=True, blank=True)
    tone = models.PositiveSmallIntegerField(_("tone"), null=True, blank=True)
    accuracy = models.PositiveSmallIntegerField(_("accuracy"), null=True, blank=True)
    closing_greeting = models.BooleanField(_("closing greeting"), null=True, blank=True)
    scorecard = models.ForeignKey(
        PhoneScorecard, on_delete=models.PROTECT, related_name="+", verbose_name=_("scorecard")
    )
    score = models.FloatField(_("score"))
    answered = models.BooleanField(_("answered"))
    covered = models.BooleanField(_("answered by a colleague"))
    compliant_333 = models.BooleanField(_("333 compliant"), null=True, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-called_at", "call_id"]
        verbose_name = _("telephone survey call")
        verbose_name_plural = _("telephone survey calls")
        indexes = [models.Index(fields=["called_on", "department"])]

    def __str__(self) -> str:
        return self.call_id
