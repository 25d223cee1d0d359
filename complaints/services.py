"""Every write of the report centre: intake and each transition of SPEC section 3.

Transitions lock the report row, check the state, write the change, its history entry and
its notifications (outbox) in one transaction. Repeating a transition that has already
happened changes nothing; a transition the state does not allow raises TransitionError
with a message for the person who asked.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import filing
from complaints.models import (
    Attachment,
    Encouragement,
    MeritRecord,
    Report,
    ReportEvent,
)
from kindness import numbering, tokens
from kindness.models import Department, Official, ProgrammeSettings
from kindness.outbox import outbox_add
from kindness.roles import Role

Status = Report.Status
Action = ReportEvent.Action


class TransitionError(Exception):
    """A change the case's state does not allow; the message is for people."""


# ---------------------------------------------------------------------------- receipts


def receipt_no_next(*, year: int) -> str:
    """The next receipt number of `year` (kindness.numbering: inside the transaction that
    stores the report; raises numbering.SequenceExhausted when the year is used up)."""
    return numbering.number_next(prefix=numbering.RECEIPT, year=year)


def tracking_secret_new() -> str:
    # 10 characters from an alphabet without look-alikes (0/O, 1/l/I): typed from paper.
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(10))


# Tracking secrets are system-made and random (50 bits), so they are kept as a keyed hash
# (HMAC-SHA256 with TOKEN_KEY), checked in constant time, not as a slow password hash
# (SPEC section 8). Secrets stored before that are Django password hashes
# ("algorithm$..."; a keyed digest is 64 hex digits and never has a "$"): they still verify
# the slow way and are replaced by the keyed digest on their first successful lookup.
TRACKING = "report-tracking"


def tracking_secret_digest(secret: str) -> str:
    """What is stored of a tracking secret: its keyed hash, as typed from the receipt."""
    return tokens.keyed_digest(TRACKING, _typed(secret))


def _typed(secret: str) -> str:
    return secret.strip().upper()


def _is_password_hash(stored: str) -> bool:
    return "$" in stored


# Compared with when there is no digest (an unknown number, a report without a secret): as
# long as a digest, so the comparison takes the same time, and never equal to one (not hex).
_NO_DIGEST = "-" * 64


def report_find_for_tracking(*, receipt_no: str, secret: str) -> Report | None:
    """The report for a receipt number and its secret, or None for either mistake: the same
    answer, in the same time, for both (one query and one keyed comparison either way), so
    numbers cannot be probed. A secret kept as a password hash from before the keyed hash
    is checked the slow way once, then stored as the keyed digest (safe to repeat)."""
    report = (
        Report.objects.select_related("department")
        .filter(receipt_no=receipt_no.strip().upper())
        .first()
    )
    stored = (report.secret_hash if report is not None else "") or _NO_DIGEST
    if not _is_password_hash(stored):
        # An unknown number and a report without a secret (Open311, a happy-call flag)
        # take the same HMAC and comparison as a wrong secret, and never match.
        if not tokens.digest_matches(TRACKING, _typed(secret), stored):
            return None
        return report
    if not check_password(_typed(secret), stored):
        return None
    # A conditional update: a lookup racing this one finds the keyed digest or writes the
    # same one; updated_at is left alone (update() does not touch it), a lookup is no change.
    digest = tracking_secret_digest(secret)
    Report.objects.filter(pk=report.pk, secret_hash=stored).update(secret_hash=digest)
    report.secret_hash = digest
    return report


# ---------------------------------------------------------------------------- people


def _emails_of(users: Iterable) -> list[str]:
    return sorted({u.email for u in users if u.email})


def department_heads_of(department: Department) -> list:
    User = get_user_model()
    return list(
        User.objects.filter(
            is_active=True, groups__name=Role.DEPARTMENT_HEAD, official__department=department
        )
    )


def users_with_role(role: str) -> list:
    User = get_user_model()
    return list(User.objects.filter(is_active=True, groups__name=role))


def _addresses_of_role(role: str) -> list[tuple[int, str]]:
    """(user id, e-mail address) of the active users with `role` who have an address: what
    a notification needs, without loading whole users."""
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True, groups__name=role)
        .exclude(email="")
        .values_list("pk", "email")
    )


def _notify(report: Report, event: str, users: Iterable, subject: str, body: str) -> None:
    _notify_addresses(report, event, [(u.pk, u.email) for u in users], subject, body)


def _notify_addresses(
    report: Report, event: str, addresses: Iterable[tuple[int, str]], subject: str, body: str
) -> None:
    link = f"/staff/reports/{report.receipt_no}/"
    for user_pk, email in addresses:
        if email:
            outbox_add(
                key=f"report:{report.pk}:{event}:{user_pk}",
                to=email,
                subject=subject,
                body=f"{body}\n\n{link}",
                related=f"report:{report.pk}",
            )


# ---------------------------------------------------------------------------- intake


@dataclass(frozen=True)
class Submission:
    report: Report
    secret: str


def report_submit(
    *,
    kind: str,
    department: Department,
    official_name: str,
    incident_on: dt.date,
    channel: str,
    text: str,
    reporter_name: str,
    reporter_phone: str,
    reporter_email: str = "",
    attachments: Iterable[tuple[UploadedFile, str]] = (),
    source: str = Report.Source.WEB,
    official: Official | None = None,
) -> Submission:
    """Store a resident's report with its receipt number, history and notifications, all in
    one transaction. Mail goes out later through the outbox, so a mail server or broker
    outage never loses a report. `attachments` are (file, checked content type) pairs.

    On PostgreSQL a report without attachments is stored in one statement
    (complaints.filing): the same rows, without seven round trips."""
    attachments = list(attachments)
    # Only a resident who filed the report on the web form is given a tracking secret; one
    # filed through an Open311 app follows it there (GET requests/<id>), and a report raised
    # by staff (a happy-call flag) has none.
    secret = tracking_secret_new() if source == Report.Source.WEB else ""
    report = report_new(
        kind=kind,
        department=department,
        official_name=official_name,
        incident_on=incident_on,
        channel=channel,
        text=text,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        reporter_email=reporter_email,
        source=source,
        official=official,
        secret=secret,
    )
    if filing.available(attachments=attachments):
        stored = filing.report_insert(report, year=timezone.localdate().year)
        if stored is not None:
            return Submission(report=stored, secret=secret)
        # Nothing stored (the year's first report, or its numbers used up): the ORM path
        # creates the counter row, or says the year is used up.
    return _report_store(report, secret=secret, attachments=attachments)


def report_new(
    *,
    kind: str,
    department: Department,
    official_name: str,
    incident_on: dt.date,
    channel: str,
    text: str,
    reporter_name: str,
    reporter_phone: str,
    reporter_email: str,
    source: str,
    official: Official | None,
    secret: str,
) -> Report:
    """The unsaved report of a submission, without its receipt number and duplicate mark."""
    resident = source in (Report.Source.WEB, Report.Source.OPEN311)
    return Report(
        kind=kind,
        source=source,
        department=department,
        official_name=official_name.strip(),
        official=official,
        incident_on=incident_on,
        channel=channel,
        text=text.strip(),
        reporter_name=reporter_name.strip(),
        reporter_phone=reporter_phone.strip(),
        reporter_email=reporter_email.strip(),
        consent_at=timezone.now() if resident else None,
        secret_hash=tracking_secret_digest(secret) if secret else "",
    )


@transaction.atomic
def _report_store(report: Report, *, secret: str, attachments) -> Submission:
    report.duplicate_of = duplicate_earlier(
        phone=report.reporter_phone, department=report.department
    )
    report.receipt_no = receipt_no_next(year=timezone.localdate().year)
    report.save(force_insert=True)
    for upload, content_type in attachments:
        Attachment.objects.create(
            report=report,
            token=secrets.token_hex(16),
            file=upload,
            original_name=upload.name[:200],
            content_type=content_type,
            size=upload.size,
        )
    ReportEvent.objects.create(report=report, action=Action.RECEIVED, to_status=Status.RECEIVED)
    if report.reporter_email:
        if secret:
            body = _(
                "Thank you. Your report was received with number %(no)s.\n"
                "Follow it at /reports/track/ with this number and the secret shown when "
                "you filed it (the secret is not repeated here for your safety)."
            )
        else:
            body = _(
                "Thank you. Your report was received with number %(no)s. Follow its status "
                "and the city's answer in the application you used."
            )
        outbox_add(
            key=f"report:{report.pk}:receipt",
            to=report.reporter_email,
            subject=_("Your report %(no)s has been received") % {"no": report.receipt_no},
            body=body % {"no": report.receipt_no},
            related=f"report:{report.pk}",
        )
    _notify_addresses(
        report,
        "received",
        _addresses_of_role(Role.REPORT_OFFICER),
        _("New report %(no)s") % {"no": report.receipt_no},
        _("A new %(kind)s report was received.") % {"kind": report.get_kind_display()},
    )
    return Submission(report=report, secret=secret)


def duplicate_earlier(*, phone: str, department: Department) -> Report | None:
    """The latest report with the same phone and department within the duplicate window,
    if any: a new one is stored all the same and marked as its possible duplicate for staff
    (SPEC section 3). Never tell a resident what this returns unless their own browser
    filed that report (`duplicate_warning`): it would tell a stranger whether some phone
    number reported some department."""
    if not phone.strip():
        return None
    # One query: the latest such report whenever it was, with the window of the programme
    # settings beside it; if the latest is outside the window, so is every other.
    window = ProgrammeSettings.objects.filter(pk=1).values("duplicate_window_hours")
    latest = (
        Report.objects.filter(reporter_phone=phone.strip(), department=department)
        .annotate(window_hours=Subquery(window[:1]))
        .only("pk", "receipt_no", "created_at")
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is None:
        return None
    hours = latest.window_hours
    if hours is None:  # no settings row yet: the field's default, as load() would create
        hours = ProgrammeSettings._meta.get_field("duplicate_window_hours").get_default()
    if latest.created_at < timezone.now() - dt.timedelta(hours=hours):
        return None
    return latest


def duplicate_warning(
    *, phone: str, department: Department, filed_here: Iterable[str]
) -> Report | None:
    """The earlier report to warn about, only if this browser filed it (`filed_here`: the
    receipt numbers its signed cookie lists)."""
    earlier = duplicate_earlier(phone=phone, department=department)
    if earlier is not None and earlier.receipt_no in set(filed_here):
        return earlier
    return None


# ---------------------------------------------------------------------------- transitions


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def _event(report: Report, *, action: str, by, before: str = "", note: str = "") -> None:
    ReportEvent.objects.create(
        report=report,
        action=action,
        by=by,
        from_status=before,
        to_status=report.status if before else "",
        note=note,
    )


def _require(report: Report, kind: str | None, allowed: Iterable[str], message: str) -> None:
    if kind is not None and report.kind != kind:
        raise TransitionError(message)
    if report.status not in allowed:
        raise TransitionError(message)


def _decide(report: Report, *, status: str) -> None:
    now = timezone.now()
    report.status = status
    report.decided_at = now
    report.decided_on = timezone.localdate(now)
    # SPEC sections 2 and 3: the department at the decision is stored on the report and
    # never moves when the official transfers later.
    report.decided_department = report.official.department if report.official else report.department


@transaction.atomic
def report_take(*, report: Report, by, reason: str = "") -> Report:
    """Make `by` the handling officer (the one who sees the reporter's contact data). Every
    change of officer is in the history; taking over another officer's case needs a reason
    (SPEC section 3). Safe to repeat: the handler taking their own case changes nothing.
    Raises TransitionError for a takeover without a reason."""
    report = _locked(report)
    if report.handler_id == by.pk:
        return report
    previous = report.handler
    note = ""
    if previous is not None:
        if not reason.strip():
            raise TransitionError(_("Give the reason for taking over another officer's case."))
        note = _("Taken over from %(name)s: %(reason)s") % {
            "name": previous.get_full_name() or previous.get_username(),
            "reason": reason.strip(),
        }
    report.handler = by
    report.save(update_fields=["handler", "updated_at"])
    _event(report, action=Action.TAKEN, by=by, note=note)
    return report


@transaction.atomic
def report_match_official(*, report: Report, official: Official, by) -> Report:
    """Link the report to an Official. Allowed until the case is decided."""
    report = _locked(report)
    if report.official_id == official.pk:
        return report
    if report.status not in (Status.RECEIVED, Status.UNDER_REVIEW):
        raise TransitionError(_("The official can no longer be changed: the case is decided."))
    report.official = official
    report.save(update_fields=["official", "updated_at"])
    _event(report, action=Action.MATCHED, by=by, note=f"{official.name} ({official.employee_no})")
    return report


@transaction.atomic
def report_start_review(*, report: Report, by, note: str = "") -> Report:
    """received → under review. For unkindness the official concerned is told now and may
    give their account before any decision (right of reply)."""
    report = _locked(report)
    if report.status == Status.UNDER_REVIEW:
        return report
    _require(report, None, [Status.RECEIVED], _("Only a received report can be put under review."))
    before = report.status
    report.status = Status.UNDER_REVIEW
    report.handler = report.handler or by
    report.save(update_fields=["status", "handler", "updated_at"])
    _event(report, action=Action.REVIEW_STARTED, by=by, before=before, note=note)
    if report.kind == Report.Kind.UNKIND and report.official and report.official.user:
        _notify(
            report,
            "official_told",
            [report.official.user],
            _("A report about you is under review (%(no)s)") % {"no": report.receipt_no},
            _(
                "An unkindness report concerning you is under review. You may give your "
                "account to the report centre before any decision is taken."
            ),
        )
        _event(report, action=Action.OFFICIAL_TOLD, by=by)
    return report


@transaction.atomic
def report_record_reply(*, report: Report, by, text: str) -> Report:
    """Record the official's own account on an unkindness case under review."""
    report = _locked(report)
    text = text.strip()
    if not text:
        raise TransitionError(_("Write the official's account."))
    _require(
        report,
        Report.Kind.UNKIND,
        [Status.UNDER_REVIEW],
        _("The official's account is recorded while an unkindness report is under review."),
    )
    if report.events.filter(action=Action.REPLY, note=text).exists():
        return report
    _event(report, action=Action.REPLY, by=by, note=text)
    return report


@transaction.atomic
def report_verify(*, report: Report, by, note: str = "") -> Report:
    """Praise: received or under review → verified. The official, if matched, gets an
    incentive record; the praise counts for scores from the verification date."""
    report = _locked(report)
    if report.kind == Report.Kind.PRAISE and report.status in (Status.VERIFIED, Status.SHARED):
        return report
    _require(
        report,
        Report.Kind.PRAISE,
        [Status.RECEIVED, Status.UNDER_REVIEW],
        _("Only praise that is received or under review can be verified."),
    )
    before = report.status
    _decide(report, status=Status.VERIFIED)
    report.ended_at = report.decided_at
    report.handler = report.handler or by
    report.public_outcome = report.public_outcome or _(
        "Your praise was verified and passed on to the official. Thank you."
    )
    report.save()
    if report.official:
        MeritRecord.objects.get_or_create(
            report=report,
            defaults={
                "kind": MeritRecord.Kind.INCENTIVE,
                "official": report.official,
                "department": report.decided_department,
                "on": report.decided_on,
            },
        )
    _event(report, action=Action.VERIFIED, by=by, before=before, note=note)
    return report


@transaction.atomic
def report_share(*, report: Report, by, public_text: str, board_name: str = "") -> Report:
    """Verified praise → shared on the public praise board with staff-approved text. The
    card names the matched official; without one, `board_name` (a name staff approved),
    else the department alone (SPEC section 3). Safe to repeat."""
    report = _locked(report)
    public_text = public_text.strip()
    board_name = board_name.strip()
    if (
        report.status == Status.SHARED
        and report.public_text == public_text
        and report.board_name == board_name
    ):
        return report
    _require(
        report,
        Report.Kind.PRAISE,
        [Status.VERIFIED, Status.SHARED],
        _("Only verified praise can be shared on the praise board."),
    )
    if len(public_text) < 10:
        raise TransitionError(
            _("Write the text to show on the praise board (at least 10 characters).")
        )
    before = report.status
    report.status = Status.SHARED
    report.public_text = public_text
    report.board_name = board_name
    report.ended_at = timezone.now()
    report.save(update_fields=["status", "public_text", "board_name", "ended_at", "updated_at"])
    note = _("Name approved for the praise board: %(name)s") % {"name": board_name}
    _event(report, action=Action.SHARED, by=by, before=before, note=note if board_name else "")
    return report


@transaction.atomic
def report_reject(*, report: Report, by, reason: str) -> Report:
    report = _locked(report)
    if report.status == Status.REJECTED:
        return report
    _require(
        report,
        Report.Kind.PRAISE,
        [Status.RECEIVED, Status.UNDER_REVIEW],
        _("Only praise that is received or under review can be rejected."),
    )
    _require_reason(reason)
    before = report.status
    _decide(report, status=Status.REJECTED)
    report.ended_at = report.decided_at
    report.public_outcome = _("Your praise could not be verified.")
    report.save()
    _event(report, action=Action.REJECTED, by=by, before=before, note=reason)
    return report


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise TransitionError(_("Give the reason for this decision."))


@transaction.atomic
def report_substantiate(*, report: Report, by, reason: str, summary: str) -> Report:
    """Unkindness under review → substantiated: the official (if matched) gets a penalty
    record, the case is published internally as an anonymised summary, and the department
    head must record a recurrence-prevention measure by the deadline."""
    report = _locked(report)
    if report.status in (Status.SUBSTANTIATED, Status.CLOSED):
        return report
    _require(
        report,
        Report.Kind.UNKIND,
        [Status.UNDER_REVIEW],
        _("Only an unkindness report under review can be substantiated."),
    )
    _require_reason(reason)
    if len(summary.strip()) < 10:
        raise TransitionError(
            _("Write an anonymised summary of the case (at least 10 characters).")
        )
    before = report.status
    _decide(report, status=Status.SUBSTANTIATED)
    rules = ProgrammeSettings.load()
    report.measure_due_on = report.decided_on + dt.timedelta(days=rules.measure_deadline_days)
    report.published_summary = summary.strip()
    report.public_outcome = _(
        "Your report was substantiated. The department head will take measures against "
        "recurrence and phone you to apologise."
    )
    report.save()
    if report.official:
        MeritRecord.objects.get_or_create(
            report=report,
            defaults={
                "kind": MeritRecord.Kind.PENALTY,
                "official": report.official,
                "department": report.decided_department,
                "on": report.decided_on,
            },
        )
    _event(report, action=Action.SUBSTANTIATED, by=by, before=before, note=reason)
    _notify(
        report,
        "substantiated",
        department_heads_of(report.decided_department),
        _("Unkindness substantiated in your department (%(no)s)") % {"no": report.receipt_no},
        _(
            "Record a recurrence-prevention measure by %(due)s, then phone the reporter to apologise."
        )
        % {"due": report.measure_due_on.isoformat()},
    )
    return report


@transaction.atomic
def report_not_substantiate(*, report: Report, by, reason: str) -> Report:
    report = _locked(report)
    if report.status == Status.NOT_SUBSTANTIATED:
        return report
    _require(
        report,
        Report.Kind.UNKIND,
        [Status.UNDER_REVIEW],
        _("Only an unkindness report under review can be decided."),
    )
    _require_reason(reason)
    before = report.status
    _decide(report, status=Status.NOT_SUBSTANTIATED)
    report.ended_at = report.decided_at
    report.public_outcome = _("After review, the report could not be substantiated.")
    report.save()
    _event(report, action=Action.NOT_SUBSTANTIATED, by=by, before=before, note=reason)
    return report


@transaction.atomic
def report_withdraw(*, report: Report, by, reason: str) -> Report:
    """The reporter withdrew the unkindness report (recorded by staff)."""
    report = _locked(report)
    if report.status == Status.WITHDRAWN:
        return report
    _require(
        report,
        Report.Kind.UNKIND,
        [Status.RECEIVED, Status.UNDER_REVIEW],
        _("Only an undecided unkindness report can be withdrawn."),
    )
    _require_reason(reason)
    before = report.status
    report.status = Status.WITHDRAWN
    report.decided_at = timezone.now()
    report.decided_on = timezone.localdate(report.decided_at)
    report.ended_at = report.decided_at
    report.public_outcome = _("The report was withdrawn.")
    report.save()
    _event(report, action=Action.WITHDRAWN, by=by, before=before, note=reason)
    return report


@transaction.atomic
def report_record_measure(*, report: Report, by, text: str) -> Report:
    """The department head's recurrence-prevention measure; the apology call is then due."""
    report = _locked(report)
    text = text.strip()
    if report.measure_recorded_at and report.measure_text == text:
        return report
    if report.status != Status.SUBSTANTIATED or report.measure_recorded_at:
        raise TransitionError(_("A measure is recorded once, on a substantiated case."))
    if len(text) < 10:
        raise TransitionError(_("Describe the measure (at least 10 characters)."))
    rules = ProgrammeSettings.load()
    today = timezone.localdate()
    report.measure_text = text
    report.measure_recorded_at = timezone.now()
    report.measure_by = by
    report.apology_due_on = today + dt.timedelta(days=rules.apology_deadline_days)
    report.save()
    _event(report, action=Action.MEASURE, by=by)
    return report


@transaction.atomic
def report_record_apology(
    *, report: Report, by, called_on: dt.date, caller: str, outcome: str
) -> Report:
    """The apology call to the reporter; with the measure recorded, this closes the case."""
    report = _locked(report)
    if report.status == Status.CLOSED:
        return report
    if report.status != Status.SUBSTANTIATED or not report.measure_recorded_at:
        raise TransitionError(
            _("Record the recurrence-prevention measure before the apology call.")
        )
    if called_on > timezone.localdate():
        raise TransitionError(_("The call date cannot be in the future."))
    if not caller.strip() or not outcome.strip():
        raise TransitionError(_("Give who called and the outcome of the call."))
    before = report.status
    report.apology_called_on = called_on
    report.apology_caller = caller.strip()
    report.apology_outcome = outcome.strip()
    report.apology_recorded_by = by
    report.status = Status.CLOSED
    report.ended_at = timezone.now()
    report.public_outcome = _(
        "Your report was substantiated; measures against recurrence were taken and the "
        "department apologised to you. The case is closed."
    )
    report.save()
    _event(report, action=Action.APOLOGY, by=by)
    _event(report, action=Action.CLOSED, by=by, before=before)
    return report


# ---------------------------------------------------------------------------- encouragement


@transaction.atomic
def encouragement_record(
    *, official: Official, year: int, on: dt.date, note: str, by
) -> Encouragement:
    """Record that the bureau head encouraged the official in `year`. Safe to repeat."""
    if on > timezone.localdate():
        raise TransitionError(_("The date cannot be in the future."))
    encouragement, _created = Encouragement.objects.get_or_create(
        official=official,
        year=year,
        defaults={"on": on, "note": note.strip(), "recorded_by": by},
    )
    return encouragement
