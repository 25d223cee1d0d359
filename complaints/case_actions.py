"""How the case page presents its actions (issue 15 items 1 and 5): the case's next step
for its state, the destructive actions, the decisions that are confirmed on a second step
and what each of those will do. Presentation only: selectors.case_access says which actions
are offered and complaints.services stays the authority on every transition."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Report, ReportEvent
from kindness.models import ProgrammeSettings

Status = Report.Status

# Decisions with consequences: the form posts to a confirmation step that says what will
# happen; only its final button calls the service.
CONFIRMED = frozenset({"substantiate", "reject", "withdraw"})
# Ending a case without the outcome the resident asked for: styled as destructive.
DESTRUCTIVE = frozenset({"reject", "withdraw"})


def next_step(report: Report, actions: tuple[str, ...]) -> tuple[str, ...]:
    """The case's next step among the offered `actions`: one action, or the two outcomes of
    the decision once the official's account is recorded (neither outcome is put forward
    over the other). Empty when the case has no next step for this user."""

    def first(*candidates: str) -> tuple[str, ...]:
        return next(((a,) for a in candidates if a in actions), ())

    if "measure" in actions or "apology" in actions:
        return first("measure", "apology")
    if report.handler_id is None and "take" in actions:
        return ("take",)
    if report.official_id is None and "match" in actions:
        return ("match",)
    if report.kind == Report.Kind.PRAISE:
        return first("share") if report.status == Status.VERIFIED else first("verify")
    if report.status == Status.RECEIVED:
        return first("start_review")
    if report.status == Status.UNDER_REVIEW:
        if (
            "reply" in actions
            and not report.events.filter(action=ReportEvent.Action.REPLY).exists()
        ):
            return ("reply",)
        return tuple(a for a in ("substantiate", "not_substantiate") if a in actions)
    return ()


def arrange(report: Report, forms: list) -> tuple[list, list]:
    """The case page's forms split into the next step and the other actions (destructive
    ones last), each marked for the template."""
    primary = next_step(report, tuple(f.action for f in forms))
    for form in forms:
        form.primary = form.action in primary
        form.destructive = form.action in DESTRUCTIVE
        form.needs_confirm = form.action in CONFIRMED
    others = sorted((f for f in forms if not f.primary), key=lambda f: f.destructive)
    return [f for f in forms if f.primary], others


def consequences(report: Report, action: str) -> list[str]:
    """What confirming `action` will do to this case, in the words the confirmation step
    shows (mirrors complaints.services; SPEC section 3)."""
    official = report.official
    department = official.department if official else report.department
    if action == "substantiate":
        rules = ProgrammeSettings.load()
        due = timezone.localdate() + dt.timedelta(days=rules.measure_deadline_days)
        if official:
            first = _(
                "%(official)s (%(employee_no)s, %(department)s) gets a penalty record. The "
                "case counts against the official and the department in the kindness scores."
            ) % {
                "official": official.name,
                "employee_no": official.employee_no,
                "department": department.name,
            }
        else:
            first = _(
                "No official is matched, so nobody gets a penalty record. The case counts "
                "against %(department)s in the kindness scores."
            ) % {"department": department.name}
        return [
            first,
            _("The anonymised summary below is published to staff on the page of published cases."),
            _(
                "The head of %(department)s is told and must record a recurrence-prevention "
                "measure by %(due)s, then phone the reporter to apologise."
            )
            % {"department": department.name, "due": due.isoformat()},
            _("The resident sees that the report was substantiated when tracking it."),
            _("The decision cannot be undone."),
        ]
    if action == "reject":
        return [
            _("The praise ends as rejected: it does not count in any kindness score.")
            if official is None
            else _(
                "The praise ends as rejected: %(official)s gets no incentive record and it "
                "does not count in any kindness score."
            )
            % {"official": official.name},
            _("It is never shown on the praise board."),
            _("The resident sees “%(outcome)s” when tracking the report.")
            % {"outcome": _("Your praise could not be verified.")},
            _("The decision cannot be undone."),
        ]
    if action == "withdraw":
        return [
            _(
                "The report ends as withdrawn, without a decision: nobody gets a penalty "
                "record and it counts in no kindness score."
            ),
            _("The resident sees “%(outcome)s” when tracking the report.")
            % {"outcome": _("The report was withdrawn.")},
            _("The retention period of the reporter's personal data starts today."),
            _("A withdrawn report cannot be reopened."),
        ]
    raise ValueError(f"{action} is not confirmed on a second step")
