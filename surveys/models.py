"""The happy-call centre and the outside kindness surveys (SPEC section 4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kindness.models import Department, Official


class Channel(models.TextChoices):
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone")
    ONLINE = "online", _("Online")
    FIELD = "field", _("Field")
    MAIL = "mail", _("Mail")


class Petition(models.Model):
    """A handled civil petition (민원) imported from the city's petition system."""

    class Contact(models.TextChoices):
        PHONE = "phone", _("Phone call")
        WRITTEN = "written", _("Written survey instead of a call")

    petition_no = models.CharField(_("petition number"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="petitions",
        verbose_name=_("handling department"),
    )
    official = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petitions",
        verbose_name=_("handling official"),
    )
    petitioner_name = models.CharField(_("petitioner's name"), max_length=100, blank=True)
    petitioner_phone = models.CharField(_("petitioner's phone"), max_length=30, blank=True)
    petitioner_email = models.EmailField(_("petitioner's e-mail"), blank=True)
    received_on = models.DateField(_("received on"))
    completed_on = models.DateField(_("completed on"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    contact = models.CharField(
        _("how to survey"), max_length=10, choices=Contact.choices, default=Contact.PHONE
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    # Personal data erased (SPEC section 8): name and phone blanked, title replaced by the
    # number, the voice of the customer masked. A re-import leaves the petition as it is.
    erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True)

    class Meta:
        ordering = ["-completed_on", "petition_no"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        indexes = [
            models.Index(fields=["completed_on", "department"]),
            models.Index(fields=["petitioner_phone"]),
        ]

    def __str__(self) -> str:
        return f"{self.petition_no} {self.title}"


class RefusedPhone(models.Model):
    """A phone number that refused a happy-call, kept as a keyed hash once the petition's
    personal data is erased, so the refusal still holds (SPEC sections 4 and 8)."""

    digest = models.CharField(_("keyed hash of the phone"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("refused phone")
        verbose_name_plural = _("refused phones")

    def __str__(self) -> str:
        return self.digest[:12]


class Questionnaire(models.Model):
    """A versioned questionnaire; its items, order and scale are data. Answers keep the
    version they were given under."""

    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="questionnaire_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class QuestionItem(models.Model):
    """One 1..scale item; `key` names it across versions (speed, clarity, kindness, ...)."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(_("key"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"))
    label_ko = models.CharField(_("label (Korean)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    scale = models.PositiveSmallIntegerField(_("scale points"), default=5)

    class Meta:
        ordering = ["questionnaire", "order"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="question_key_unique")
        ]

    def __str__(self) -> str:
        return self.key


class CallCentreAgent(models.Model):
    """A happy-call staff member and whether they are on duty (calls are assigned to
    agents on duty, round-robin)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="call_agent"
    )
    on_duty = models.BooleanField(_("on duty"), default=True)

    class Meta:
        verbose_name = _("happy-call agent")
        verbose_name_plural = _("happy-call agents")

    def __str__(self) -> str:
        return str(self.user)


class HappyCall(models.Model):
    """The satisfaction call for one petition: queued, attempted, then answered (with the
    survey), unreachable, refused, or moved to a written survey. Imported happy-calls
    arrive answered."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("To call")
        COMPLETED = "completed", _("Survey answered")
        UNREACHABLE = "unreachable", _("Unreachable")
        REFUSED = "refused", _("Refused")
        WRITTEN = "written", _("Written survey instead")
        LINK = "link", _("Survey link out")

    class Mode(models.TextChoices):
        PHONE = "phone", _("Phone")
        WEB = "web", _("Web (survey link)")

    petition = models.OneToOneField(
        Petition, on_delete=models.PROTECT, related_name="happy_call", verbose_name=_("petition")
    )
    call_id = models.CharField(_("call id"), max_length=40, unique=True, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    # How the survey was answered (SPEC section 4): scores count both alike.
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.PHONE)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="happy_calls",
        verbose_name=_("assigned to"),
    )
    queued_on = models.DateField(_("queued on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The department and official the survey counts for (SPEC section 5): the petition's.
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="happy_calls",
        verbose_name=_("handling department"),
    )
    official = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="happy_calls",
        verbose_name=_("handling official"),
    )
    # The survey.
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("questionnaire"),
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    # Response score = mean of (v - 1) x 25 over answered items; null when none answered.
    response_score = models.FloatField(_("response score"), null=True, blank=True)
    kindness_answer = models.PositiveSmallIntegerField(
        _("kindness of the official (1-5)"), null=True, blank=True
    )
    voc = models.TextField(_("voice of the customer"), blank=True)
    kind_case = models.BooleanField(_("kindness case"), default=False)
    unkind_case = models.BooleanField(_("unkindness case"), default=False)
    kind_report = models.OneToOneField(
        "complaints.Report",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="happy_call_praise",
        verbose_name=_("praise report raised"),
    )
    unkind_report = models.OneToOneField(
        "complaints.Report",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="happy_call_unkind",
        verbose_name=_("unkindness report raised"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-queued_on", "pk"]
        verbose_name = _("happy-call")
        verbose_name_plural = _("happy-calls")
        indexes = [
            models.Index(fields=["status", "assigned_to"]),
            models.Index(fields=["answered_on", "department"]),
        ]
        permissions = [("make_calls", _("Can work the happy-call queue"))]

    def __str__(self) -> str:
        return self.call_id or f"{self.petition.petition_no}"


class ContactChange(models.Model):
    """History of marking a petitioner for a written survey (a survey link instead of a
    call) and unmarking them, at the call desk (SPEC section 4)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="contact_changes")
    contact = models.CharField(_("how to survey"), max_length=10, choices=Petition.Contact.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    class Meta:
        ordering = ["petition", "at", "pk"]
        verbose_name = _("change of how to survey")
        verbose_name_plural = _("changes of how to survey")

    def __str__(self) -> str:
        return f"{self.petition_id} {self.contact}"


class SurveyLink(models.Model):
    """A one-time link to answer a petition's happy-call on the web (SPEC section 4,
    "Survey by link"). The token shown to the petitioner is a keyed hash of `nonce`
    (kindness.tokens); it is never stored: `lookup` holds the keyed hash of the token,
    so a lookup compares hashes. D (`sent_on`) is the day the first message went to the
    outbox or the letter was printed."""

    class Reason(models.TextChoices):
        WRITTEN = "written", _("Asked for a written survey")
        SHARE = "share", _("Share of the day's draw")
        DESK = "desk", _("Sent from the call desk")

    class Channel(models.TextChoices):
        SMS = "sms", _("Text message")
        EMAIL = "email", _("E-mail")
        LETTER = "letter", _("Letter insert")

    class Status(models.TextChoices):
        PENDING = "pending", _("To send")
        OPEN = "open", _("Sent, not yet answered")
        ANSWERED = "answered", _("Answered")
        EXPIRED = "expired", _("Expired")
        CLOSED = "closed", _("Closed without a web answer")

    call = models.OneToOneField(
        HappyCall, on_delete=models.CASCADE, related_name="link", verbose_name=_("happy-call")
    )
    nonce = models.CharField(max_length=32, unique=True, editable=False)
    lookup = models.CharField(max_length=64, unique=True, editable=False)
    reason = models.CharField(_("why a link"), max_length=10, choices=Reason.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_on = models.DateField(_("created on"))
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True)
    message = models.ForeignKey(
        "kindness.OutboxMessage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first message"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_on", "pk"]
        verbose_name = _("survey link")
        verbose_name_plural = _("survey links")
        indexes = [models.Index(fields=["status", "sent_on"])]

    def __str__(self) -> str:
        return f"{self.call} {self.channel} {self.status}"


class HappyCallAnswer(models.Model):
    call = models.ForeignKey(HappyCall, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(QuestionItem, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(_("answer"), null=True, blank=True)  # null: no answer

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["call", "item"], name="one_answer_per_item")]

    def __str__(self) -> str:
        return f"{self.item.key}={self.value}"


class CallAttempt(models.Model):
    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("Answered")
        NO_ANSWER = "no_answer", _("No answer")
        BUSY = "busy", _("Busy")
        WRONG_NUMBER = "wrong_number", _("Wrong number")
        REFUSED = "refused", _("Refused")

    call = models.ForeignKey(HappyCall, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)

    class Meta:
        ordering = ["call", "at", "pk"]
        verbose_name = _("call attempt")
        verbose_name_plural = _("call attempts")

    def __str__(self) -> str:
        return f"{self.call} {self.outcome}"


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
    answered_by = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="phone_surveys_answered",
        verbose_name=_("answered by"),
    )
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
