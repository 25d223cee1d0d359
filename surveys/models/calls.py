"""Handled petitions and their happy-calls (SPEC section 4): the phones that refused a call,
questionnaires, agents, the call with its attempts, answers and survey link."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kindness.fields import optional_key, user_key
from kindness.models import Department, Official


class Channel(models.TextChoices):
    """How the petition reached the city, as the petition system records it
    (`import_petitions`, SPEC section 7)."""

    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone")
    ONLINE = "online", _("Online")
    FIELD = "field", _("Field")
    MAIL = "mail", _("Mail")


class Petition(models.Model):
    """A handled civil petition (민원) imported from the city's petition system."""

    class Contact(models.TextChoices):
        """How the petitioner is surveyed: phoned, or, once marked at the call desk, sent a
        survey link instead (see ContactChange for the history)."""

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
    official = optional_key(Official, _("handling official"), related_name="petitions")
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
        """Where the call stands (surveys.services): queued for an agent, then answered,
        unreachable, refused, or, for a petitioner who gets a survey link instead, link until
        the link is answered, expires back to the queue, or closes the call as written."""

        QUEUED = "queued", _("To call")
        COMPLETED = "completed", _("Survey answered")
        UNREACHABLE = "unreachable", _("Unreachable")
        REFUSED = "refused", _("Refused")
        WRITTEN = "written", _("Written survey instead")
        LINK = "link", _("Survey link out")

    class Mode(models.TextChoices):
        """How the survey was answered: to an agent on the phone, or on the web by link."""

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
    assigned_to = user_key(
        _("assigned to"), optional=True, on_delete=models.SET_NULL, related_name="happy_calls"
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
    official = optional_key(Official, _("handling official"), related_name="happy_calls")
    # The survey.
    questionnaire = optional_key(Questionnaire, _("questionnaire"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = user_key(_("entered by"), optional=True, on_delete=models.SET_NULL)
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
    by = user_key(_("by"))

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
        """Why the petition got a link instead of a call: the petitioner asked for a written
        survey, the day's draw gave it one under the link share, or the call desk sent it."""

        WRITTEN = "written", _("Asked for a written survey")
        SHARE = "share", _("Share of the day's draw")
        DESK = "desk", _("Sent from the call desk")

    class Channel(models.TextChoices):
        """How the link goes out: SMS to a mobile number, else e-mail, else a letter insert
        that staff print (SPEC section 4)."""

        SMS = "sms", _("Text message")
        EMAIL = "email", _("E-mail")
        LETTER = "letter", _("Letter insert")

    class Status(models.TextChoices):
        """Pending until the message goes to the outbox or the letter is printed (D), then open
        until it is answered or expires after D+7; closed when the call ends another way."""

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
    message = optional_key("kindness.OutboxMessage", _("first message"), on_delete=models.SET_NULL)
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
    """One dialling of a happy-call by an agent (SPEC section 4)."""

    class Outcome(models.TextChoices):
        """What the dialling came to. No answer and busy count toward the attempts allowed
        before the call is closed as unreachable; a wrong number closes it unreachable at
        once, a refusal as refused; an answered attempt is recorded with its survey."""

        ANSWERED = "answered", _("Answered")
        NO_ANSWER = "no_answer", _("No answer")
        BUSY = "busy", _("Busy")
        WRONG_NUMBER = "wrong_number", _("Wrong number")
        REFUSED = "refused", _("Refused")

    call = models.ForeignKey(HappyCall, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField(_("at"))
    by = user_key(_("by"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)

    class Meta:
        ordering = ["call", "at", "pk"]
        verbose_name = _("call attempt")
        verbose_name_plural = _("call attempts")

    def __str__(self) -> str:
        return f"{self.call} {self.outcome}"
