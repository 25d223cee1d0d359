"""The records every app shares: the access log (SPEC section 8), import batches (SPEC section 7),
number sequences, the programme's settings and the outbox."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kindness.fields import user_key


class AccessLog(models.Model):
    """Append-only record of every unmasked view of personal data (SPEC section 8)."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    user = user_key(_("user"))
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
        """Previewed or invalid once the file is checked; queued when a manager confirms it,
        then imported or failed. A preview never confirmed is cancelled when its file is
        erased (SPEC section 8)."""

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
    uploaded_by = user_key(_("uploaded by"))
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
        _("days to record a recurrence-prevention measure"),
        default=7,
        validators=[MinValueValidator(1)],
    )
    apology_deadline_days = models.PositiveSmallIntegerField(
        _("days after the measure to make the apology call"),
        default=3,
        validators=[MinValueValidator(1)],
    )
    encouragement_threshold = models.PositiveSmallIntegerField(
        _("verified praise in a year for bureau-head encouragement"),
        default=2,
        validators=[MinValueValidator(1)],
    )
    retention_years = models.PositiveSmallIntegerField(
        _("years to keep reporters' personal data after a case ends"), default=3
    )
    duplicate_window_hours = models.PositiveSmallIntegerField(
        _("hours in which the same phone and department count as a duplicate"), default=24
    )
    # Happy-call queue (SPEC section 4).
    call_window_days = models.PositiveSmallIntegerField(
        _("petitions completed in the last N days are called"),
        default=14,
        validators=[MinValueValidator(1)],
    )
    call_share_percent = models.PositiveSmallIntegerField(
        _("share of each department's petitions to call (percent)"),
        default=100,
        validators=[MaxValueValidator(100)],
    )
    call_department_minimum = models.PositiveSmallIntegerField(
        _("minimum calls per department when a share is set"), default=0
    )
    call_max_attempts = models.PositiveSmallIntegerField(
        _("failed attempts before a call is closed as unreachable"),
        default=3,
        validators=[MinValueValidator(1)],
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
        _("days to keep an uploaded file whose preview was not confirmed"),
        default=1,
        validators=[MinValueValidator(1)],
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
