"""The report centre's cases (SPEC section 3): the report, its history and its attachments,
and what a decided case leads to for the official: an incentive or a penalty, and a bureau
head's encouragement."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kindness.fields import optional_key, user_key
from kindness.models import Department, Official


class ReportQuerySet(models.QuerySet):
    def praise(self) -> ReportQuerySet:
        return self.filter(kind=Report.Kind.PRAISE)

    def unkind(self) -> ReportQuerySet:
        return self.filter(kind=Report.Kind.UNKIND)

    def counted_praise(self) -> ReportQuerySet:
        """Praise that counts for scores: verified (or since shared). SPEC section 5."""
        return self.praise().filter(status__in=Report.COUNTED_PRAISE)

    def substantiated(self) -> ReportQuerySet:
        """Unkindness that counts for scores: substantiated (or since closed)."""
        return self.unkind().filter(status__in=Report.COUNTED_UNKIND)

    def decided_between(self, start, end) -> ReportQuerySet:
        return self.filter(decided_on__gte=start, decided_on__lte=end)

    def visible_to(self, user) -> ReportQuerySet:
        """Reports a staff member may open: city-wide roles all; heads those of their scope
        (by the department the resident named or the one stored at the decision)."""
        from kindness import roles

        scope = roles.scope_of(user)
        if scope.city_wide:
            return self
        ids = scope.department_ids
        return self.filter(
            models.Q(decided_department_id__in=ids)
            | models.Q(decided_department__isnull=True, department_id__in=ids)
        )

    def shared_praise(self) -> ReportQuerySet:
        return self.praise().filter(status=Report.Status.SHARED)


class Report(models.Model):
    """A resident's praise of an official or report of unkindness (SPEC section 3), from
    intake to the decision and, for substantiated unkindness, the department's follow-up."""

    class Kind(models.TextChoices):
        """Praise or unkindness, as the resident filed it: it decides the workflow."""

        PRAISE = "praise", _("Praise")
        UNKIND = "unkind", _("Unkindness")

    class Status(models.TextChoices):
        """Where the case stands (SPEC section 3). Praise: received (or under review) ->
        verified -> shared, or rejected. Unkindness: received -> under review -> substantiated
        -> closed once the apology call is recorded, or not substantiated; or withdrawn."""

        RECEIVED = "received", _("Received")
        UNDER_REVIEW = "under_review", _("Under review")
        VERIFIED = "verified", _("Verified")
        SHARED = "shared", _("Shared")
        REJECTED = "rejected", _("Rejected")
        SUBSTANTIATED = "substantiated", _("Substantiated")
        NOT_SUBSTANTIATED = "not_substantiated", _("Not substantiated")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CLOSED = "closed", _("Closed")

    COUNTED_PRAISE = (Status.VERIFIED, Status.SHARED)
    COUNTED_UNKIND = (Status.SUBSTANTIATED, Status.CLOSED)
    # States in which the case has ended; the retention period runs from `ended_at`.
    ENDED = (
        Status.VERIFIED,
        Status.SHARED,
        Status.REJECTED,
        Status.NOT_SUBSTANTIATED,
        Status.WITHDRAWN,
        Status.CLOSED,
    )

    class Channel(models.TextChoices):
        """How the resident was in contact with the official (SPEC section 3, intake)."""

        VISIT = "visit", _("Visit")
        PHONE = "phone", _("Phone")
        FIELD = "field", _("Field")
        ONLINE = "online", _("Online")

    class Source(models.TextChoices):
        """Where the report came in, set once at intake: the public form, a happy-call's
        kindness or unkindness flag, an import of past records, or an Open311 client."""

        WEB = "web", _("Web form")
        HAPPY_CALL = "happy_call", _("Happy-call")
        IMPORT = "import", _("Imported record")
        OPEN311 = "open311", _("Open311 API")

    receipt_no = models.CharField(_("receipt number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.WEB
    )

    # What the resident told us.
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("department named by the resident"),
    )
    official_name = models.CharField(_("official's name as given"), max_length=100, blank=True)
    incident_on = models.DateField(_("date of the incident"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    text = models.TextField(_("what happened"))

    # Personal data: masked for everyone but the role acting on the case, erased after
    # the retention period (SPEC section 8).
    reporter_name = models.CharField(_("reporter's name"), max_length=100, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=30, blank=True)
    reporter_email = models.EmailField(_("reporter's e-mail"), blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    secret_hash = models.CharField(_("tracking secret (hashed)"), max_length=200, blank=True)
    personal_data_erased_at = models.DateTimeField(
        _("personal data erased at"), null=True, blank=True
    )

    # Same phone and department within the duplicate window (SPEC section 3): stored all
    # the same and marked for staff; the resident who filed it is never told.
    duplicate_of = optional_key("self", _("possible duplicate of"), on_delete=models.SET_NULL)

    # What staff established.
    official = optional_key(Official, _("matched official"), related_name="reports")
    handler = user_key(_("handling officer"), optional=True, related_name="handled_reports")
    decided_department = optional_key(
        Department, _("department at verification or decision"), related_name="decided_reports"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_on = models.DateField(_("verification or decision date"), null=True, blank=True)
    ended_at = models.DateTimeField(_("case ended at"), null=True, blank=True)
    public_text = models.TextField(_("text shown on the praise board"), blank=True)
    # The name a praise card shows when no official is matched, as staff approved it; the
    # resident's own `official_name` is never shown unapproved (SPEC section 3).
    board_name = models.CharField(
        _("name approved for the praise board"), max_length=100, blank=True
    )
    public_outcome = models.TextField(_("outcome shown to the resident"), blank=True)
    published_summary = models.TextField(_("anonymised summary for staff"), blank=True)

    # After substantiation: the department head's follow-up.
    measure_due_on = models.DateField(_("measure due on"), null=True, blank=True)
    measure_text = models.TextField(_("recurrence-prevention measure"), blank=True)
    measure_recorded_at = models.DateTimeField(_("measure recorded at"), null=True, blank=True)
    measure_by = user_key(_("measure recorded by"), optional=True)
    apology_due_on = models.DateField(_("apology call due on"), null=True, blank=True)
    apology_called_on = models.DateField(_("apology call made on"), null=True, blank=True)
    apology_caller = models.CharField(_("apology call made by"), max_length=100, blank=True)
    apology_outcome = models.TextField(_("apology call outcome"), blank=True)
    apology_recorded_by = user_key(_("apology call recorded by"), optional=True)
    last_escalated_on = models.DateField(_("last escalated on"), null=True, blank=True)

    # Where it happened, as an Open311 client may send it (SPEC section 9: accepted and
    # stored, never required, since a report is about a person, not a place). Never shown
    # in the API's answers: a phone's position can be the resident's own.
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    address_string = models.CharField(_("address or place"), max_length=250, blank=True)
    address_id = models.CharField(_("address identifier"), max_length=100, blank=True)
    # A link an Open311 client sent with the report; kept for staff, never fetched.
    media_url = models.URLField(_("media link"), max_length=500, blank=True)

    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            models.Index(fields=["kind", "status", "decided_on"]),
            models.Index(fields=["reporter_phone", "department", "created_at"]),
            models.Index(fields=["status", "measure_due_on"]),
            # The praise board's order has an index of its own, made per database by
            # migration 0003 (SQLite has no NULLS LAST in an index): report_praise_board_idx.
            # The board's stamp (selectors.praise_board_stamp): its latest change at once,
            # and with the id included (PostgreSQL) the whole stamp from the index alone.
            models.Index(
                fields=["updated_at"],
                include=["id"],
                name="report_praise_updated_idx",
                condition=Q(kind="praise", status="shared"),
            ),
            # Searching the board's words: a trigram index on PostgreSQL, made by migration
            # 0004 (report_praise_words_trgm).
        ]
        permissions = [
            ("handle_report", _("Can triage and decide reports")),
            ("follow_up_report", _("Can record measures and apology calls")),
            ("encourage_official", _("Can record encouragement of praised officials")),
        ]

    def __str__(self) -> str:
        return self.receipt_no

    @property
    def is_praise(self) -> bool:
        return self.kind == self.Kind.PRAISE

    @property
    def is_open(self) -> bool:
        return self.status not in self.ENDED

    @property
    def scored_department(self) -> Department:
        """The department the report counts for: the one stored at the decision."""
        return self.decided_department or self.department


class ReportEvent(models.Model):
    """Append-only history of a case: who did what, when and why (SPEC section 3).
    Personal data never goes into a note, so erasure leaves the history intact."""

    class Action(models.TextChoices):
        """What happened: each transition of `Report.Status` (the services' table names them
        by these values), and the steps that leave the status as it was."""

        RECEIVED = "received", _("Received")
        MATCHED = "matched", _("Official matched")
        REVIEW_STARTED = "review_started", _("Review started")
        OFFICIAL_TOLD = "official_told", _("Official told of the report")
        REPLY = "reply", _("Official's account recorded")
        VERIFIED = "verified", _("Verified")
        SHARED = "shared", _("Shared on the praise board")
        REJECTED = "rejected", _("Rejected")
        SUBSTANTIATED = "substantiated", _("Substantiated")
        NOT_SUBSTANTIATED = "not_substantiated", _("Not substantiated")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        MEASURE = "measure", _("Recurrence-prevention measure recorded")
        APOLOGY = "apology", _("Apology call recorded")
        CLOSED = "closed", _("Closed")
        ESCALATED = "escalated", _("Overdue, escalated")
        ERASED = "erased", _("Personal data erased")
        IMPORTED = "imported", _("Imported")
        TAKEN = "taken", _("Handling officer changed")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = user_key(_("by"), optional=True)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("case history entry")
        verbose_name_plural = _("case history")

    def __str__(self) -> str:
        return f"{self.report} {self.action}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Stored under MEDIA_ROOT, which no web server serves: files go out only through the
    # permission-checked attachment view.
    return f"report-attachments/{instance.report.receipt_no}/{instance.token}"


class Attachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    token = models.CharField(max_length=40, unique=True)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class MeritRecord(models.Model):
    """Incentive for verified praise; penalty for substantiated unkindness."""

    class Kind(models.TextChoices):
        INCENTIVE = "incentive", _("Incentive")
        PENALTY = "penalty", _("Penalty")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    official = models.ForeignKey(
        Official, on_delete=models.PROTECT, related_name="merit_records", verbose_name=_("official")
    )
    report = models.OneToOneField(
        Report, on_delete=models.PROTECT, related_name="merit_record", verbose_name=_("report")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department at the time"),
    )
    on = models.DateField(_("date"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("incentive or penalty")
        verbose_name_plural = _("incentives and penalties")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.official} {self.on}"


class Encouragement(models.Model):
    """A bureau head's personal encouragement of an official praised repeatedly in a year."""

    official = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        related_name="encouragements",
        verbose_name=_("official"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = user_key(_("recorded by"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-on"]
        verbose_name = _("encouragement")
        verbose_name_plural = _("encouragements")
        constraints = [
            models.UniqueConstraint(fields=["official", "year"], name="one_encouragement_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.official} {self.year}"
