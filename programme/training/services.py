"""Training of SPEC section 6, the writes: sessions, attendance per official and the handout
of real cases for case-based training. Every service raises TrainingError with a translated
message and writes nothing when it refuses.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from complaints.models import Report
from kindness.models import Department, Official
from programme.models import HandoutCase, TrainingAttendance, TrainingSession
from programme.training.selectors import handout_call_candidates, handout_report_candidates
from surveys.models import HappyCall

Kind = TrainingSession.Kind

# A departmental workshop lasts one or two days (SPEC section 6 and the programme issue).
WORKSHOP_MAX_DAYS = 2


class TrainingError(Exception):
    """A training write the rules do not allow; the message is translated for the user."""


# ---------------------------------------------------------------------------------- sessions


def _check_session(
    *, kind: str, title: str, starts_on: datetime.date, ends_on: datetime.date, department
) -> None:
    if kind not in Kind.values:
        raise TrainingError(_("Choose a kind of training."))
    if not title.strip():
        raise TrainingError(_("Give the session a title."))
    if ends_on < starts_on:
        raise TrainingError(_("The last day cannot be before the first day."))
    if kind == Kind.WORKSHOP:
        if department is None:
            raise TrainingError(_("A departmental workshop names its department."))
        if (ends_on - starts_on).days >= WORKSHOP_MAX_DAYS:
            raise TrainingError(_("A departmental workshop lasts one or two days."))


@transaction.atomic
def training_session_create(*, by, **details) -> TrainingSession:
    """Plan a session; `details` are the keyword arguments of _session_write. Raises
    TrainingError for dates out of order, a workshop longer than two days or without its
    department. Only a workshop keeps a department."""
    return _session_write(TrainingSession(created_by=by), **details)


@transaction.atomic
def training_session_update(*, session: TrainingSession, **details) -> TrainingSession:
    """Change a session, with the rules of training_session_create. A case-based session
    with a handout keeps its kind: the handout would be orphaned otherwise."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    kind = details.get("kind")
    if session.kind == Kind.CASE_BASED and kind != Kind.CASE_BASED and session.handout.exists():
        raise TrainingError(
            _("This session has a handout of cases; remove the cases before changing its kind.")
        )
    return _session_write(session, **details)


def _session_write(
    session: TrainingSession,
    *,
    kind: str,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    department: Department | None = None,
    place: str = "",
    instructor: str = "",
    description: str = "",
    handout_intro: str = "",
) -> TrainingSession:
    """Check a session's details (_check_session) and save them."""
    _check_session(
        kind=kind, title=title, starts_on=starts_on, ends_on=ends_on, department=department
    )
    session.kind = kind
    session.title = title.strip()
    session.starts_on = starts_on
    session.ends_on = ends_on
    session.department = department if kind == Kind.WORKSHOP else None
    session.place = place
    session.instructor = instructor
    session.description = description
    session.handout_intro = handout_intro
    session.save()
    return session


# -------------------------------------------------------------------------------- attendance


def employee_numbers_parse(text: str) -> list[str]:
    """Employee numbers typed or pasted one per line, or separated by commas or spaces,
    in the order given, each once."""
    return list(dict.fromkeys(part for part in re.split(r"[\s,;]+", text.upper()) if part))


def _describe(officials: Iterable[Official]) -> str:
    return ", ".join(f"{o.name} ({o.employee_no})" for o in officials)


@dataclass(frozen=True)
class AttendanceAdded:
    added: list[Official]
    already: list[Official]


@transaction.atomic
def training_attendance_add(
    *, session: TrainingSession, employee_nos: Iterable[str], by
) -> AttendanceAdded:
    """Record that these officials attended, with their department on the first day of the
    session and their employment type. All or nothing: an unknown employee number or an
    inactive official raises TrainingError naming them, and nothing is written. Safe to
    repeat: officials already recorded are returned in `already` and left alone."""
    wanted = list(dict.fromkeys(no.strip().upper() for no in employee_nos if no.strip()))
    if not wanted:
        raise TrainingError(_("Choose at least one official."))
    # The session row serialises concurrent additions, so the "already there" check below
    # cannot race with another manager adding the same official.
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    found = {o.employee_no.upper(): o for o in Official.objects.filter(employee_no__in=wanted)}
    if len(found) < len(wanted):
        # Employee numbers are stored as imported; match the rest without regard to case.
        for no in wanted:
            if no not in found:
                official = Official.objects.filter(employee_no__iexact=no).first()
                if official is not None:
                    found[no] = official
    unknown = [no for no in wanted if no not in found]
    if unknown:
        raise TrainingError(
            _("No official has the employee number %(numbers)s. Nothing was recorded.")
            % {"numbers": ", ".join(unknown)}
        )
    officials = [found[no] for no in wanted]
    inactive = [o for o in officials if not o.active]
    if inactive:
        raise TrainingError(
            _(
                "These officials are inactive and cannot be recorded: %(officials)s. Nothing was recorded."
            )
            % {"officials": _describe(inactive)}
        )
    present = set(
        TrainingAttendance.objects.filter(session=session, official__in=officials).values_list(
            "official_id", flat=True
        )
    )
    added = [o for o in officials if o.pk not in present]
    TrainingAttendance.objects.bulk_create(
        [
            TrainingAttendance(
                session=session,
                official=o,
                department=o.department_on(session.starts_on),
                employment_type=o.employment_type,
                recorded_by=by,
            )
            for o in added
        ]
    )
    return AttendanceAdded(added=added, already=[o for o in officials if o.pk in present])


@transaction.atomic
def training_attendance_remove(*, session: TrainingSession, official: Official) -> bool:
    """Remove an attendance recorded by mistake. Safe to repeat: False when there was none."""
    deleted, _rows = TrainingAttendance.objects.filter(session=session, official=official).delete()
    return bool(deleted)


def _case_based(session: TrainingSession) -> None:
    if session.kind != Kind.CASE_BASED:
        raise TrainingError(_("Only a case-based session has a handout of cases."))


@transaction.atomic
def handout_case_add(
    *,
    session: TrainingSession,
    report: Report | None = None,
    happy_call: HappyCall | None = None,
    note: str = "",
) -> tuple[HandoutCase, bool]:
    """Put a published case or a flagged happy-call voice at the end of the handout.
    Raises TrainingError for a session that is not case-based or a case that is not
    published (or a call not flagged). Safe to repeat: a case already in the handout is
    returned with created=False and left as it is."""
    _case_based(session)
    if (report is None) == (happy_call is None):
        raise TrainingError(_("Choose one case."))
    if report is not None and not handout_report_candidates().filter(pk=report.pk).exists():
        raise TrainingError(_("Only a published (anonymised) unkindness case can be used."))
    if happy_call is not None and not handout_call_candidates().filter(pk=happy_call.pk).exists():
        raise TrainingError(
            _("Only a happy-call voice flagged as a kindness or unkindness case can be used.")
        )
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    source = {"report": report} if report is not None else {"happy_call": happy_call}
    existing = HandoutCase.objects.filter(session=session, **source).first()
    if existing is not None:
        return existing, False
    last = session.handout.aggregate(last=Max("order"))["last"] or 0
    case = HandoutCase.objects.create(session=session, order=last + 1, note=note.strip(), **source)
    return case, True


@transaction.atomic
def handout_case_note(*, case: HandoutCase, note: str) -> HandoutCase:
    case.note = note.strip()
    case.save(update_fields=["note"])
    return case


@transaction.atomic
def handout_case_move(*, case: HandoutCase, up: bool) -> None:
    """Swap a case with its neighbour; the handout is numbered 1, 2, 3... afterwards.
    Moving the first case up (or the last down) changes nothing."""
    TrainingSession.objects.select_for_update().get(pk=case.session_id)
    cases = list(HandoutCase.objects.filter(session_id=case.session_id))
    i = next(i for i, c in enumerate(cases) if c.pk == case.pk)
    j = i - 1 if up else i + 1
    if 0 <= j < len(cases):
        cases[i], cases[j] = cases[j], cases[i]
    for number, c in enumerate(cases, start=1):
        c.order = number
    HandoutCase.objects.bulk_update(cases, ["order"])


@transaction.atomic
def handout_case_remove(*, case: HandoutCase) -> None:
    HandoutCase.objects.filter(pk=case.pk).delete()
