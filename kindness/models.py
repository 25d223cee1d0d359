"""The organisation core (SPEC section 2) shared by every app: bureaus, departments, teams,
officials and their department history, the access log of SPEC section 8, and the import
batches of SPEC section 7."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Bureau(models.Model):
    """실·국·본부: the top of the organisation. Known to the roster by its name."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("bureau")
        verbose_name_plural = _("bureaus")

    def __str__(self) -> str:
        return self.name


class DepartmentQuerySet(models.QuerySet):
    def active(self) -> DepartmentQuerySet:
        return self.filter(active=True)

    def visible_to(self, user) -> DepartmentQuerySet:
        """Departments a staff member may see: all for city-wide roles, else their own scope."""
        from kindness import roles

        scope = roles.scope_of(user)
        if scope.city_wide:
            return self
        return self.filter(pk__in=scope.department_ids)


class Department(models.Model):
    """과·사업소. Known to every import by its code; two departments may share a name."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    bureau = models.ForeignKey(
        Bureau, on_delete=models.PROTECT, related_name="departments", verbose_name=_("bureau")
    )
    active = models.BooleanField(_("active"), default=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Team(models.Model):
    """팀 within a department; its name is unique only inside the department."""

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="teams", verbose_name=_("department")
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["department__code", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="team_unique_in_department")
        ]

    def __str__(self) -> str:
        return self.name


class EmploymentType(models.TextChoices):
    REGULAR = "regular", _("Regular")
    FIXED_TERM = "fixed-term", _("Fixed-term")
    SUPPORT = "support", _("Support staff")


class OfficialQuerySet(models.QuerySet):
    def active(self) -> OfficialQuerySet:
        return self.filter(active=True)

    def visible_to(self, user) -> OfficialQuerySet:
        from kindness import roles

        scope = roles.scope_of(user)
        if scope.city_wide:
            return self
        return self.filter(department_id__in=scope.department_ids)


class Official(models.Model):
    """A civil servant who can be praised, reported, called and ranked."""

    employee_no = models.CharField(_("employee number"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.CharField(_("position"), max_length=100, blank=True)
    employment_type = models.CharField(
        _("employment type"), max_length=20, choices=EmploymentType.choices
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="officials", verbose_name=_("department")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="officials",
        verbose_name=_("team"),
    )
    phone = models.CharField(_("office phone"), max_length=30, blank=True)
    active = models.BooleanField(_("active"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="official",
        verbose_name=_("login"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OfficialQuerySet.as_manager()

    class Meta:
        ordering = ["employee_no"]
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        indexes = [models.Index(fields=["department", "active"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_no})"

    def department_on(self, day: datetime.date) -> Department:
        """The department this official belonged to on `day` (falls back to the current one)."""
        # On the day of a transfer two stretches touch; the later one wins.
        assignment = (
            self.assignments.filter(
                models.Q(started_on__lte=day) | models.Q(started_on__isnull=True)
            )
            .filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=day))
            .select_related("department")
            .order_by(models.F("started_on").desc(nulls_last=True), "-pk")
            .first()
        )
        return assignment.department if assignment else self.department


class OfficialAssignment(models.Model):
    """One stretch of an official's career in a department: the history behind transfers.

    Events (reports, calls, surveys) do not look their department up here: they store the
    department at the time of the event themselves (see DepartmentAtEvent), so nothing
    stored ever moves when an official transfers. This table answers "where was she then?"
    for events that arrive later than they happened, and shows the history in admin.
    """

    official = models.ForeignKey(
        Official, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("official")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    # Blank: the stretch began before the history was kept.
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["official", models.F("started_on").desc(nulls_last=True), "-pk"]
        verbose_name = _("department assignment")
        verbose_name_plural = _("department assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["official"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_assignment_per_official",
            )
        ]

    def __str__(self) -> str:
        return f"{self.official} → {self.department} ({self.started_on}–{self.ended_on or ''})"


class DepartmentAtEvent(models.Model):
    """Abstract base for every scored event: it keeps the department it belongs to *at the
    time of the event* (SPEC section 2), so history never moves when an official transfers.
    Set `department` from `official.department` (or `official.department_on(day)`) when the
    event is recorded or decided, never later."""

    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
        verbose_name=_("department at the time"),
    )

    class Meta:
        abstract = True


class AccessLog(models.Model):
    """Append-only record of every unmasked view of personal data (SPEC section 8)."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    action = models.CharField(_("action"), max_length=50)
    object_type = models.CharField(_("object type"), max_length=50)
    object_id = models.CharField(_("object id"), max_length=50)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_type}#{self.object_id}"


class ImportBatch(models.Model):
    """One uploaded file for one import (SPEC section 7): kept from preview to apply, so a
    manager confirms exactly the file that was validated, and the history of imports stays."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Validated, awaiting confirmation")
        INVALID = "invalid", _("Rejected: errors in the file")
        QUEUED = "queued", _("Queued")
        APPLIED = "applied", _("Imported")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=40)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PREVIEWED
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    # The file and its error list (they quote rows) are erased after a while (SPEC 8).
    files_erased_at = models.DateTimeField(_("file erased at"), null=True, blank=True)
    # The rows the import creates or changes (kindness.imports.Change), for the preview.
    changes = models.JSONField(_("changed rows"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        permissions = [("run_import", _("Can upload and apply imports"))]

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename} ({self.get_status_display()})"

    @property
    def kind_label(self) -> str:
        """The kind for people ("Roster ..."), or its code for a kind no longer registered."""
        from kindness.imports import REGISTRY

        importer = REGISTRY.get(self.kind)
        return str(importer.label) if importer else self.kind


class NumberSequence(models.Model):
    """The last number given in one yearly sequence: receipts ("R") and consultations
    ("C"). Advanced only through kindness.numbering, in the transaction that stores the
    numbered row, so numbers are sequential with no gaps or repeats."""

    prefix = models.CharField(_("prefix"), max_length=4)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        ordering = ["prefix", "year"]
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["prefix", "year"], name="one_number_sequence_per_prefix_and_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class ProgrammeSettings(models.Model):
    """The programme's adjustable rules (SPEC: "defaults below are defaults: the city can
    change them without code"). One row, edited in admin; `load()` creates it with the
    defaults of the specification."""

    measure_deadline_days = models.PositiveSmallIntegerField(
        _("days to record a recurrence-prevention measure"), default=7
    )
    apology_deadline_days = models.PositiveSmallIntegerField(
        _("days after the measure to make the apology call"), default=3
    )
    encouragement_threshold = models.PositiveSmallIntegerField(
        _("verified praise in a year for bureau-head encouragement"), default=2
    )
    retention_years = models.PositiveSmallIntegerField(
        _("years to keep reporters' personal data after a case ends"), default=3
    )
    duplicate_window_hours = models.PositiveSmallIntegerField(
        _("hours in which the same phone and department count as a duplicate"), default=24
    )
    # Happy-call queue (SPEC section 4).
    call_window_days = models.PositiveSmallIntegerField(
        _("petitions completed in the last N days are called"), default=14
    )
    call_share_percent = models.PositiveSmallIntegerField(
        _("share of each department's petitions to call (percent)"), default=100
    )
    call_department_minimum = models.PositiveSmallIntegerField(
        _("minimum calls per department when a share is set"), default=0
    )
    call_max_attempts = models.PositiveSmallIntegerField(
        _("failed attempts before a call is closed as unreachable"), default=3
    )
    # Retention (SPEC section 8).
    petitioner_retention_years = models.PositiveSmallIntegerField(
        _("years to keep petitioners' personal data after the petition and its survey"),
        default=1,
    )
    import_file_retention_days = models.PositiveSmallIntegerField(
        _("days to keep an uploaded import file after it was applied"), default=30
    )
    import_preview_retention_days = models.PositiveSmallIntegerField(
        _("days to keep an uploaded file whose preview was not confirmed"), default=1
    )
    # Survey by link (SPEC section 4).
    link_share_percent = models.PositiveSmallIntegerField(
        _("share of each department's daily draw sent a survey link instead (percent)"),
        default=0,
        validators=[MaxValueValidator(100)],
    )
    link_valid_days = models.PositiveSmallIntegerField(
        _("days a survey link stays valid after it is sent"),
        default=7,
        validators=[MinValueValidator(1)],
    )
    centre_phone = models.CharField(
        _("happy-call centre's phone number, shown to residents"), max_length=30, default="120"
    )
    link_reminder_day = models.PositiveSmallIntegerField(
        _("day after sending on which an unanswered link is sent again"),
        default=3,
        validators=[MinValueValidator(1)],
    )

    class Meta:
        verbose_name = _("programme settings")
        verbose_name_plural = _("programme settings")

    def __str__(self) -> str:
        return str(_("Programme settings"))

    @classmethod
    def load(cls) -> ProgrammeSettings:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class OutboxMessage(models.Model):
    """A notification written in the same transaction as the change that causes it and
    delivered later by a periodic task (SPEC section 8), so a mail or broker outage delays
    it and loses none. `key` makes writing it idempotent ("report:12:received")."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("Text message")

    key = models.CharField(_("key"), max_length=200, unique=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    to = models.CharField(_("to"), max_length=254)  # an e-mail address, or a phone's digits
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    # Where in the body a secret (a survey link) sits, so delivery can blank it: the
    # secret itself is never stored apart from the message that carries it.
    secret_start = models.PositiveIntegerField(null=True, blank=True, editable=False)
    secret_end = models.PositiveIntegerField(null=True, blank=True, editable=False)
    related = models.CharField(_("related object"), max_length=50, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("given up at"), null=True, blank=True, db_index=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")

    def __str__(self) -> str:
        return self.subject


# The signed-in user as the site sees it (permissions from roles only).
from kindness.staff_user import StaffUser  # noqa: E402,F401
