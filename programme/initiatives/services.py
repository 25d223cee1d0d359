"""One department, one kindness initiative (SPEC section 6), the writes.

Who does what: a department head writes and updates their own department's initiative and
its progress; managers comment on and assess every initiative but never edit its content;
bureau heads, auditors and admins read. The views check the roles; these services keep the
rows consistent (one initiative per department and year, never an empty title). Services are
`noun_verb`, keyword-only, and raise InitiativeError with a message for people.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kindness.models import Department
from kindness.outbox import outbox_add_each
from kindness.roles import Role
from programme.initiatives.selectors import year_range
from programme.models import Initiative, InitiativeNote

CONTENT_FIELDS = ("title", "description", "strengths", "weaknesses", "actions", "outcome")


class InitiativeError(Exception):
    """A write the initiative's rules do not allow; the message is for people."""


# ---------------------------------------------------------------------------- services


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise InitiativeError(_("Give the initiative a title."))
    return title


def _already_recorded(department: Department, year: int) -> InitiativeError:
    return InitiativeError(
        _("%(department)s already has an initiative for %(year)s; edit that one instead.")
        % {"department": department.name, "year": year}
    )


def _content(content: dict[str, str]) -> dict[str, str]:
    """The content fields without the white space around them. Raises TypeError for a name
    that is not one of CONTENT_FIELDS, InitiativeError for an empty title."""
    unknown = set(content) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"not content fields: {sorted(unknown)}")
    content = {name: (value or "").strip() for name, value in content.items()}
    if "title" in content:
        content["title"] = _clean_title(content["title"])
    return content


@transaction.atomic
def initiative_create(
    *, department: Department, year: int, by, title: str, **content: str
) -> Initiative:
    """Record a department's initiative for `year` with its title and other content fields
    (CONTENT_FIELDS; each left out is empty). Raises InitiativeError for an empty title, a
    year outside the pages' range, or when the department already has one that year (a
    second call with the same department and year is refused, never a duplicate)."""
    content = _content({"title": title, **content})
    if year not in year_range():
        raise InitiativeError(_("An initiative can only be recorded for a year up to next year."))
    if Initiative.objects.filter(department=department, year=year).exists():
        raise _already_recorded(department, year)
    try:
        # A savepoint: two heads of one department saving at once meet the unique
        # constraint, and the loser gets the message rather than a broken transaction.
        with transaction.atomic():
            return Initiative.objects.create(
                department=department, year=year, created_by=by, **content
            )
    except IntegrityError:
        raise _already_recorded(department, year) from None


@transaction.atomic
def initiative_update(*, initiative: Initiative, by, **content: str) -> Initiative:
    """Change the content fields of an initiative (title, description, strengths,
    weaknesses, actions, outcome). Safe to repeat. Raises InitiativeError for an empty title;
    the department, year and assessment never change here."""
    content = _content(content)
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    for name, value in content.items():
        setattr(initiative, name, value)
    initiative.save(update_fields=[*content, "updated_at"])
    return initiative


def _note_add(*, initiative: Initiative, by, kind: str, text: str) -> InitiativeNote:
    text = (text or "").strip()
    if not text:
        raise InitiativeError(_("Write something before saving the note."))
    return InitiativeNote.objects.create(initiative=initiative, kind=kind, text=text, by=by)


@transaction.atomic
def initiative_progress_add(*, initiative: Initiative, by, text: str) -> InitiativeNote:
    """Append a progress update by the department. Raises InitiativeError for empty text.
    Each call adds a note: the updates are a diary, not one field."""
    return _note_add(initiative=initiative, by=by, kind=InitiativeNote.Kind.PROGRESS, text=text)


@transaction.atomic
def initiative_comment_add(*, initiative: Initiative, by, text: str) -> InitiativeNote:
    """Append a manager's comment and tell the department's heads (through the outbox, in
    this transaction). Raises InitiativeError for empty text."""
    note = _note_add(initiative=initiative, by=by, kind=InitiativeNote.Kind.COMMENT, text=text)
    _notify_heads(
        initiative,
        event=f"comment:{note.pk}",
        subject=_("A manager commented on your kindness initiative for %(year)s")
        % {"year": initiative.year},
        body=note.text,
    )
    return note


@transaction.atomic
def initiative_assess(*, initiative: Initiative, by, assessment: str, note: str = "") -> Initiative:
    """Give (or revise) the manager's assessment: grade, note, who and when. Raises
    InitiativeError for a grade that is not one of Initiative.Assessment. Repeating it with
    the same grade and note changes only who and when."""
    if assessment not in Initiative.Assessment.values:
        raise InitiativeError(_("Choose one of the assessment grades."))
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    initiative.assessment = assessment
    initiative.assessment_note = (note or "").strip()
    initiative.assessed_by = by
    initiative.assessed_at = timezone.now()
    initiative.save(
        update_fields=["assessment", "assessment_note", "assessed_by", "assessed_at", "updated_at"]
    )
    _notify_heads(
        initiative,
        event=f"assess:{initiative.assessed_at.isoformat()}",
        subject=_("Your kindness initiative for %(year)s was assessed: %(grade)s")
        % {"year": initiative.year, "grade": initiative.get_assessment_display()},
        body=initiative.assessment_note,
    )
    return initiative


def _notify_heads(initiative: Initiative, *, event: str, subject: str, body: str) -> None:
    link = f"/staff/initiatives/{initiative.pk}/"
    User = get_user_model()
    heads = User.objects.filter(
        is_active=True,
        groups__name=Role.DEPARTMENT_HEAD,
        official__department_id=initiative.department_id,
    ).exclude(email="")
    outbox_add_each(
        heads,
        key=f"initiative:{initiative.pk}:{event}",
        subject=subject,
        body="\n\n".join(part for part in (initiative.title, body, link) if part),
        related=f"initiative:{initiative.pk}",
    )
