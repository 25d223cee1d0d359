"""Training of SPEC section 6: sessions, attendance per official, the handout of real cases
for case-based training, and the training records of officials and departments.

Services (writes) raise TrainingError with a translated message and write nothing when they
refuse; selectors (reads) are shared by the pages and the managers' overview; seed_training
gives the demo city a year of sessions.
"""

from __future__ import annotations

import datetime
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Report
from complaints.selectors import published_cases
from kindness.models import Department, EmploymentType, Official
from kindness.privacy import mask_name, mask_phone
from kindness.programme_models import HandoutCase, TrainingAttendance, TrainingSession
from kindness.roles import Role, has_role
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
def training_session_create(
    *,
    kind: str,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    by,
    department: Department | None = None,
    place: str = "",
    instructor: str = "",
    description: str = "",
    handout_intro: str = "",
) -> TrainingSession:
    """Plan a session. Raises TrainingError for dates out of order, a workshop longer than
    two days or without its department. Only a workshop keeps a department."""
    _check_session(
        kind=kind, title=title, starts_on=starts_on, ends_on=ends_on, department=department
    )
    return TrainingSession.objects.create(
        kind=kind,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        department=department if kind == Kind.WORKSHOP else None,
        place=place,
        instructor=instructor,
        description=description,
        handout_intro=handout_intro,
        created_by=by,
    )


@transaction.atomic
def training_session_update(
    *,
    session: TrainingSession,
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
    """Change a session, with the rules of training_session_create. A case-based session
    with a handout keeps its kind: the handout would be orphaned otherwise."""
    _check_session(
        kind=kind, title=title, starts_on=starts_on, ends_on=ends_on, department=department
    )
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.kind == Kind.CASE_BASED and kind != Kind.CASE_BASED and session.handout.exists():
        raise TrainingError(
            _("This session has a handout of cases; remove the cases before changing its kind.")
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


# ----------------------------------------------------------------------------------- handout


def handout_report_candidates() -> QuerySet[Report]:
    """Published unkindness cases: only the anonymised summary is ever shown."""
    return published_cases()


def handout_call_candidates() -> QuerySet[HappyCall]:
    """Happy-calls whose voice of the customer was flagged as a kindness or unkindness
    case. Only the voice is shown, through `voice_of` (the names loaded here are read only
    to be masked in it)."""
    return (
        HappyCall.objects.exclude(voc="")
        .filter(Q(kind_case=True) | Q(unkind_case=True))
        .select_related("official", "petition")
        .only(*_CALL_FIELDS)
        .order_by("-answered_on", "-pk")
    )


_CALL_FIELDS = (
    "pk",
    "voc",
    "kind_case",
    "unkind_case",
    "answered_on",
    "official__name",
    "petition__petitioner_name",
    "petition__petitioner_phone",
)
_PHONE = re.compile(r"(?<!\d)0\d{1,2}[-. ]?\d{3,4}[-. ]?\d{4}(?!\d)")


def voice_of(call: HappyCall) -> str:
    """The customer's words for a handout: the petitioner's and the official's names and
    any phone number masked (SPEC section 8), since residents often name the person who
    helped them, or give their own number, in what they say."""
    text = call.voc
    names = [call.petition.petitioner_name, call.official.name if call.official else ""]
    for name in sorted(
        {n.strip() for n in names if n and len(n.strip()) > 1}, key=len, reverse=True
    ):
        text = text.replace(name, mask_name(name))
    return _PHONE.sub(lambda m: mask_phone(m.group(0)), text)


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


def handout_of(session: TrainingSession) -> list[HandoutCase]:
    """The handout in order, each case with only the fields a handout may show; a voice of
    the customer carries its masked text as `voice`."""
    cases = list(
        session.handout.select_related(None)
        .prefetch_related(
            Prefetch(
                "report", queryset=Report.objects.only("pk", "published_summary", "decided_on")
            ),
            Prefetch(
                "happy_call",
                queryset=HappyCall.objects.only(
                    "pk", "voc", "kind_case", "unkind_case", "answered_on"
                ),
            ),
        )
        .order_by("order", "pk")
    )
    for case in cases:
        if case.happy_call is not None:
            case.happy_call.voice = voice_of(case.happy_call)
    return cases


# ---------------------------------------------------------------------------------- sessions


def sessions_list(*, year: int | None = None, kind: str = "") -> QuerySet[TrainingSession]:
    qs = TrainingSession.objects.select_related("department").annotate(
        n_attended=Count("attendances")
    )
    if year:
        qs = qs.filter(starts_on__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-starts_on", "title")


def session_years() -> list[int]:
    this_year = timezone.localdate().year
    years = {d.year for d in TrainingSession.objects.dates("starts_on", "year")}
    return sorted(years | set(range(this_year - 4, this_year + 2)), reverse=True)


# ---------------------------------------------------------------------------------- records


def record_department_ids(user) -> frozenset[int] | None:
    """Whose training records a user may read: None for all (managers, auditors, admins),
    else the departments of the department head's department or the bureau head's bureau.
    Raises PermissionDenied for every other role. Decided from the official linked to the
    login, not from scope_of, so a head who also works the call desk stays in their lane."""
    if has_role(user, Role.MANAGER, Role.AUDITOR, Role.ADMIN):
        return None
    if not has_role(user, Role.DEPARTMENT_HEAD, Role.BUREAU_HEAD):
        raise PermissionDenied
    official = getattr(user, "official", None)
    ids: set[int] = set()
    if official is not None:
        if has_role(user, Role.DEPARTMENT_HEAD):
            ids.add(official.department_id)
        if has_role(user, Role.BUREAU_HEAD):
            ids.update(
                Department.objects.filter(bureau_id=official.department.bureau_id).values_list(
                    "pk", flat=True
                )
            )
    return frozenset(ids)


def attendances_visible(
    session: TrainingSession, *, department_ids
) -> QuerySet[TrainingAttendance]:
    qs = session.attendances.select_related("official", "department").order_by(
        "department__code", "official__name"
    )
    if department_ids is not None:
        qs = qs.filter(
            Q(department_id__in=department_ids) | Q(official__department_id__in=department_ids)
        )
    return qs


def official_record(official: Official) -> list[TrainingAttendance]:
    """Every session the official attended, newest first."""
    return list(
        official.training.select_related("session", "department").order_by(
            "-session__starts_on", "session__title"
        )
    )


@dataclass
class OfficialYear:
    official: Official
    attendances: list[TrainingAttendance] = field(default_factory=list)


def department_record(department: Department, *, year: int) -> list[OfficialYear]:
    """The department's active officials, each with the sessions they attended in `year`
    (wherever they worked then), those with none first."""
    officials = list(
        department.officials.filter(active=True)
        .select_related("team")
        .order_by("name", "employee_no")
    )
    rows = {o.pk: OfficialYear(o) for o in officials}
    for attendance in (
        TrainingAttendance.objects.filter(official__in=officials, session__starts_on__year=year)
        .select_related("session")
        .order_by("session__starts_on")
    ):
        rows[attendance.official_id].attendances.append(attendance)
    return sorted(rows.values(), key=lambda r: (bool(r.attendances), r.official.name))


@dataclass(frozen=True)
class Coverage:
    employment_type: str
    label: str
    officials: int
    trained: int

    @property
    def share(self) -> float | None:
        return round(100 * self.trained / self.officials, 1) if self.officials else None


def training_coverage(*, year: int, department_ids: Iterable[int] | None = None) -> list[Coverage]:
    """Share of active officials who attended at least one session in `year`, by employment
    type, with the total last (so support and fixed-term staff are not lost in the mean).
    Officials are counted where they work now."""
    officials = Official.objects.filter(active=True)
    if department_ids is not None:
        officials = officials.filter(department_id__in=list(department_ids))
    counts = officials.values("employment_type").annotate(
        n=Count("pk", distinct=True),
        trained=Count("pk", distinct=True, filter=Q(training__session__starts_on__year=year)),
    )
    by_type = {row["employment_type"]: row for row in counts}
    rows = [
        Coverage(
            value,
            str(label),
            by_type.get(value, {}).get("n", 0),
            by_type.get(value, {}).get("trained", 0),
        )
        for value, label in EmploymentType.choices
    ]
    rows.append(
        Coverage(
            "", _("All officials"), sum(r.officials for r in rows), sum(r.trained for r in rows)
        )
    )
    return rows


def department_coverage(
    *, year: int, department_ids: Iterable[int] | None = None
) -> QuerySet[Department]:
    """Departments with their count of active officials and of those trained in `year`."""
    qs = Department.objects.filter(active=True).select_related("bureau")
    if department_ids is not None:
        qs = qs.filter(pk__in=list(department_ids))
    return (
        qs.annotate(
            n_officials=Count("officials", filter=Q(officials__active=True), distinct=True),
            n_trained=Count(
                "officials",
                filter=Q(
                    officials__active=True, officials__training__session__starts_on__year=year
                ),
                distinct=True,
            ),
        )
        .annotate(n_untrained=F("n_officials") - F("n_trained"))
        .order_by("bureau__name", "code")
    )


# -------------------------------------------------------------------------------------- demo


@dataclass(frozen=True)
class SessionPlan:
    kind: str
    title: str
    days_ago: int  # first day, counted back from today (negative: still to come)
    length: int = 1
    department: str = ""  # the name of a demo department (kindness.demo.ORGANISATION)
    place: str = "시청 대회의실"
    instructor: str = ""


# Share of each employment type attending a session of each kind (a workshop takes most of
# its own department instead). Support and fixed-term staff come less to the general
# sessions, so the coverage by employment type in the overview has something to show.
_TURNOUT: dict[str, dict[str, float]] = {
    Kind.MIND: {
        EmploymentType.REGULAR: 0.3,
        EmploymentType.FIXED_TERM: 0.08,
        EmploymentType.SUPPORT: 0.03,
    },
    Kind.SUPPORT_LECTURE: {EmploymentType.SUPPORT: 0.3},
    Kind.NON_REGULAR: {EmploymentType.FIXED_TERM: 0.35, EmploymentType.SUPPORT: 0.05},
    Kind.CASE_BASED: {EmploymentType.REGULAR: 0.06},
    Kind.WORKSHOP: {
        EmploymentType.REGULAR: 0.85,
        EmploymentType.FIXED_TERM: 0.5,
        EmploymentType.SUPPORT: 0.2,
    },
}

# Petition handlers of the demo city: most of 민원봉사과 comes to case-based training.
PETITION_DEPARTMENT = "민원봉사과"

DEMO_SESSIONS: tuple[SessionPlan, ...] = (
    SessionPlan(Kind.MIND, "친절마인드 향상 교육 (1기)", 330, instructor="한국친절교육원"),
    SessionPlan(Kind.WORKSHOP, "자치행정과 친절 워크숍", 300, 2, "자치행정과", "시민연수원"),
    SessionPlan(
        Kind.NON_REGULAR, "기간제 근로자 친절응대 교육", 270, instructor="인사과 교육훈련팀"
    ),
    SessionPlan(Kind.CASE_BASED, "민원 응대 사례 교육 (상반기)", 240, instructor="평가담당관실"),
    SessionPlan(Kind.MIND, "친절마인드 향상 교육 (2기)", 210, instructor="한국친절교육원"),
    SessionPlan(Kind.WORKSHOP, "복지정책과 친절 워크숍", 180, 1, "복지정책과", "복지관 세미나실"),
    SessionPlan(
        Kind.SUPPORT_LECTURE, "사무보조원·사회복무요원 특강: 첫 응대", 150, instructor="외부 강사"
    ),
    SessionPlan(Kind.WORKSHOP, "교통정책과 친절 워크숍", 120, 2, "교통정책과", "시민연수원"),
    SessionPlan(Kind.MIND, "친절마인드 향상 교육 (3기)", 90, instructor="한국친절교육원"),
    SessionPlan(Kind.WORKSHOP, "환경정책과 친절 워크숍", 60, 1, "환경정책과"),
    SessionPlan(Kind.CASE_BASED, "민원 응대 사례 교육 (하반기)", 30, instructor="평가담당관실"),
    SessionPlan(Kind.MIND, "친절마인드 향상 교육 (4기)", -14, instructor="한국친절교육원"),
    SessionPlan(Kind.WORKSHOP, "관광과 친절 워크숍", -21, 2, "관광과"),
)

HANDOUT_SESSION = "민원 응대 사례 교육 (하반기)"


@dataclass(frozen=True)
class TrainingSeed:
    sessions: int
    attendances: int
    handout_cases: int
    created: bool


def _weekday(day: datetime.date) -> datetime.date:
    """Sessions fall on working days: a weekend start moves to the Monday after."""
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def seed_training(
    rng: random.Random, *, organisation, logins, today: datetime.date | None = None
) -> TrainingSeed:
    """A year of sessions of every kind, attendance for a good share of the officials (fewer
    support and fixed-term staff), and one case-based session with a handout of the demo's
    published cases and happy-call voices. Safe to repeat: sessions are found by title,
    attendance and handout cases already there are left alone."""
    today = today or timezone.localdate()
    manager = next((login.user for login in logins if login.role == Role.MANAGER), None)
    active = [o for o in organisation.officials if o.active]
    by_name = {d.name: d for d in organisation.departments.values()}
    existing = {
        s.title: s
        for s in TrainingSession.objects.filter(title__in=[p.title for p in DEMO_SESSIONS])
    }
    created = False
    sessions: dict[str, TrainingSession] = {}
    for plan in DEMO_SESSIONS:
        session = existing.get(plan.title)
        if session is None:
            starts_on = _weekday(today - datetime.timedelta(days=plan.days_ago))
            department = by_name[plan.department] if plan.department else None
            session = training_session_create(
                kind=plan.kind,
                title=plan.title,
                starts_on=starts_on,
                ends_on=starts_on + datetime.timedelta(days=plan.length - 1),
                department=department,
                place=plan.place,
                instructor=plan.instructor,
                handout_intro=(
                    "실제 접수된 불친절 사례와 해피콜 고객의 소리를 바탕으로, 같은 상황에서 "
                    "어떻게 응대할지 조별로 토론합니다."
                    if plan.kind == Kind.CASE_BASED
                    else ""
                ),
                by=manager,
            )
            created = True
        sessions[plan.title] = session

    present = set(
        TrainingAttendance.objects.filter(session__in=sessions.values()).values_list(
            "session_id", "official_id"
        )
    )
    new_attendance = []
    for plan in DEMO_SESSIONS:
        session = sessions[plan.title]
        # The draw happens for every session on every run, so a re-seed plans the same city.
        chosen = [o for o in active if rng.random() < _turnout(plan, o)]
        if session.ends_on >= today:
            continue  # still to come: nobody has attended yet
        new_attendance += [
            TrainingAttendance(
                session=session,
                official=o,
                department_id=o.department_id,
                employment_type=o.employment_type,
                recorded_by=manager,
            )
            for o in chosen
            if (session.pk, o.pk) not in present
        ]
    TrainingAttendance.objects.bulk_create(new_attendance, batch_size=500)

    handout_session = sessions[HANDOUT_SESSION]
    notes = (
        "무엇이 민원인을 화나게 했는지, 첫 30초에 무엇을 달리할 수 있었는지 토론",
        "칭찬받은 응대에서 배울 점을 한 문장으로 정리",
        "같은 상황을 역할극으로 다시 해 보기",
    )
    # Chosen once: a re-seed leaves the handout as the first run (or a manager) made it.
    if not handout_session.handout.exists():
        for report in handout_report_candidates()[:3]:
            handout_case_add(session=handout_session, report=report, note=rng.choice(notes))
        for flag in ("unkind_case", "kind_case"):
            for call in handout_call_candidates().filter(**{flag: True})[:2]:
                handout_case_add(session=handout_session, happy_call=call, note=rng.choice(notes))

    return TrainingSeed(
        sessions=len(sessions),
        attendances=TrainingAttendance.objects.filter(session__in=sessions.values()).count(),
        handout_cases=handout_session.handout.count(),
        created=created,
    )


def _turnout(plan: SessionPlan, official: Official) -> float:
    if plan.kind == Kind.WORKSHOP:
        if official.department.name != plan.department:
            return 0.0
    elif plan.kind == Kind.CASE_BASED and official.department.name == PETITION_DEPARTMENT:
        return 0.9
    return _TURNOUT[plan.kind].get(official.employment_type, 0.0)
