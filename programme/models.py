"""Other programme records of SPEC section 6: one department one kindness initiative,
training sessions and attendance, and the expert consultation room.

They were models of the `kindness` app until the programme got an app of its own; they keep
their tables (`db_table`), so a database made before the move upgrades without copying."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kindness.fields import optional_key, user_key

USER = settings.AUTH_USER_MODEL


# --- one department, one kindness initiative ---------------------------------------------


class Initiative(models.Model):
    """A department's kindness initiative for one year (1부서 1친절 시책)."""

    class Assessment(models.TextChoices):
        """A manager's assessment of the initiative's outcome; blank until assessed."""

        EXCELLENT = "excellent", _("Excellent")
        GOOD = "good", _("Good")
        FAIR = "fair", _("Fair")
        POOR = "poor", _("Needs improvement")

    department = models.ForeignKey(
        "kindness.Department",
        on_delete=models.PROTECT,
        related_name="initiatives",
        verbose_name=_("department"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    strengths = models.TextField(_("self-diagnosed strengths"), blank=True)
    weaknesses = models.TextField(_("self-diagnosed weaknesses"), blank=True)
    actions = models.TextField(_("planned actions"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    assessment = models.CharField(
        _("manager's assessment"), max_length=20, choices=Assessment.choices, blank=True
    )
    assessment_note = models.TextField(_("assessment note"), blank=True)
    assessed_by = user_key(_("assessed by"), optional=True, on_delete=models.SET_NULL)
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    created_by = user_key(_("created by"), optional=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "kindness_initiative"
        ordering = ["-year", "department__code"]
        verbose_name = _("kindness initiative")
        verbose_name_plural = _("kindness initiatives")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "year"], name="one_initiative_per_department_year"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="initiative_title_not_empty"),
        ]
        permissions = [("assess_initiative", _("Can comment on and assess kindness initiatives"))]

    def __str__(self) -> str:
        return f"{self.year} {self.department.name}: {self.title}"


class InitiativeNote(models.Model):
    """A progress update by the department or a comment by a manager, in order."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress update")
        COMMENT = "comment", _("Manager's comment")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"))
    by = user_key(_("by"), on_delete=models.SET_NULL, null=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        db_table = "kindness_initiativenote"
        ordering = ["initiative", "at", "pk"]
        verbose_name = _("initiative note")
        verbose_name_plural = _("initiative notes")

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.kind} {self.at:%Y-%m-%d}"


# --- training ----------------------------------------------------------------------------


class TrainingSession(models.Model):
    """A training session of the programme (SPEC section 6), with its attendance."""

    class Kind(models.TextChoices):
        """The kinds of session of SPEC section 6. A case-based session gets a handout of real
        cases (HandoutCase); a workshop is held for one department."""

        MIND = "mind", _("Kindness-mind training")
        SUPPORT_LECTURE = "support_lecture", _("Special lecture for support staff")
        NON_REGULAR = "non_regular", _("Training for non-regular staff")
        CASE_BASED = "case_based", _("Case-based training for petition handlers")
        WORKSHOP = "workshop", _("Departmental workshop")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    instructor = models.CharField(_("instructor"), max_length=200, blank=True)
    department = optional_key(
        "kindness.Department", _("department (for a workshop)"), related_name="training_sessions"
    )
    description = models.TextField(_("description"), blank=True)
    handout_intro = models.TextField(_("handout introduction"), blank=True)
    created_by = user_key(_("created by"), optional=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "kindness_trainingsession"
        ordering = ["-starts_on", "title"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="training_dates_in_order"
            ),
        ]
        permissions = [("manage_training", _("Can plan training and record attendance"))]

    def __str__(self) -> str:
        return f"{self.starts_on} {self.title}"


class TrainingAttendance(models.Model):
    """An official's attendance of a session, with their department on the day."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances"
    )
    official = models.ForeignKey(
        "kindness.Official",
        on_delete=models.PROTECT,
        related_name="training",
        verbose_name=_("official"),
    )
    department = models.ForeignKey(
        "kindness.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    employment_type = models.CharField(_("employment type"), max_length=20)
    completed = models.BooleanField(_("completed"), default=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "kindness_trainingattendance"
        ordering = ["session", "official__name"]
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "official"], name="one_attendance_per_session"
            ),
        ]
        indexes = [models.Index(fields=["department", "session"])]

    def __str__(self) -> str:
        return f"{self.session_id} {self.official_id}"


class HandoutCase(models.Model):
    """A real case chosen by a manager into a case-based session's handout: a published
    (anonymised) unkindness case, or a happy-call's voice of the customer."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="handout")
    report = optional_key("complaints.Report", _("published case"))
    happy_call = optional_key("surveys.HappyCall", _("happy-call voice"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    note = models.TextField(_("trainer's note"), blank=True)

    class Meta:
        db_table = "kindness_handoutcase"
        ordering = ["session", "order", "pk"]
        verbose_name = _("handout case")
        verbose_name_plural = _("handout cases")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(report__isnull=False, happy_call__isnull=True)
                    | Q(report__isnull=True, happy_call__isnull=False)
                ),
                name="handout_case_has_one_source",
            ),
            models.UniqueConstraint(fields=["session", "report"], name="handout_report_once"),
            models.UniqueConstraint(fields=["session", "happy_call"], name="handout_call_once"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} #{self.order}"


# --- expert consultation room ------------------------------------------------------------


class Expert(models.Model):
    """An outside expert of the consultation room, who offers hours (slots) in one field."""

    name = models.CharField(_("name"), max_length=100)
    field = models.CharField(_("field"), max_length=200)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "kindness_expert"
        ordering = ["name"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self) -> str:
        return f"{self.name} ({self.field})"


class ConsultationSlot(models.Model):
    """An hour an expert offers. Slots of one expert never overlap (checked by the
    service); a slot holds at most one confirmed consultation (a constraint)."""

    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="slots", verbose_name=_("expert")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)

    class Meta:
        db_table = "kindness_consultationslot"
        ordering = ["starts_at", "expert"]
        verbose_name = _("consultation slot")
        verbose_name_plural = _("consultation slots")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert.name} {self.starts_at:%Y-%m-%d %H:%M}"


class ConsultationRequest(models.Model):
    """A resident's request for a consultation with an expert (SPEC section 6), followed
    online with its request number and tracking secret."""

    class Status(models.TextChoices):
        """Requested until staff confirm it into a slot; then held or not attended. Cancelled
        any time before; the booked states hold the slot (one booking per slot)."""

        REQUESTED = "requested", _("Requested")
        CONFIRMED = "confirmed", _("Confirmed")
        DONE = "done", _("Held")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("Did not come")

    BOOKED = (Status.CONFIRMED, Status.DONE, Status.NO_SHOW)
    ENDED = (Status.DONE, Status.CANCELLED, Status.NO_SHOW)

    class PriorityGroup(models.TextChoices):
        """The vulnerable group the resident says they belong to, if any; staff see these
        requests first."""

        NONE = "", _("None")
        LOW_INCOME = "low_income", _("Low income")
        DISABLED = "disabled", _("Person with a disability")
        ELDERLY = "elderly", _("Older person living alone")
        OTHER = "other", _("Other vulnerable group")

    class TimeOfDay(models.TextChoices):
        """When on the preferred date suits the resident."""

        ANY = "any", _("Any time")
        MORNING = "morning", _("Morning")
        AFTERNOON = "afternoon", _("Afternoon")

    receipt_no = models.CharField(_("request number"), max_length=20, unique=True)
    # The keyed hash of the tracking secret (kindness.tokens, SPEC section 8); empty for
    # requests made before tracking, which cannot be followed online.
    secret_hash = models.CharField(_("tracking secret (keyed hash)"), max_length=64, blank=True)
    topic = models.CharField(_("topic"), max_length=200)
    # One of the experts' fields, chosen by the resident; empty when they left it to staff.
    field = models.CharField(_("field of expertise"), max_length=200, blank=True)
    details = models.TextField(_("details"), blank=True)
    preferred_on = models.DateField(_("preferred date"))
    preferred_time = models.CharField(
        _("preferred time of day"), max_length=20, choices=TimeOfDay.choices, default=TimeOfDay.ANY
    )
    preferred_note = models.CharField(_("other times that suit"), max_length=200, blank=True)
    priority_group = models.CharField(
        _("priority group"), max_length=20, choices=PriorityGroup.choices, blank=True
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    slot = optional_key(ConsultationSlot, _("slot"), related_name="requests")
    handler = user_key(_("handled by"), optional=True, on_delete=models.SET_NULL)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    personal_data_erased_at = models.DateTimeField(
        _("personal data erased at"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "kindness_consultationrequest"
        ordering = ["-created_at"]
        verbose_name = _("consultation request")
        verbose_name_plural = _("consultation requests")
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status__in=["confirmed", "done", "no_show"]),
                name="one_booking_per_slot",
            ),
            models.CheckConstraint(
                condition=Q(status="requested") | Q(status="cancelled") | Q(slot__isnull=False),
                name="booked_request_has_slot",
            ),
        ]
        permissions = [("handle_consultation", _("Can confirm consultations and record outcomes"))]

    def __str__(self) -> str:
        return f"{self.receipt_no} {self.topic}"
