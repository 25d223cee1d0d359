"""One department, one kindness initiative (SPEC section 6), and the managers' overview of
the programme's year: initiatives, training coverage and consultations.

Who does what: a department head writes and updates their own department's initiative and
its progress; managers comment on and assess every initiative but never edit its content;
bureau heads, auditors and admins read. The views check the roles; these services keep the
rows consistent (one initiative per department and year, never an empty title).

Services (`noun_verb`, keyword-only, raising InitiativeError with a message for people),
selectors (the reads the pages share) and `seed_initiatives` for seed_demo.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kindness.models import (
    ConsultationRequest,
    Department,
    EmploymentType,
    Initiative,
    InitiativeNote,
    Official,
    TrainingAttendance,
)
from kindness.outbox import outbox_add
from kindness.roles import Role

ASSESS = "kindness.assess_initiative"
VIEW = "kindness.view_initiative"
CHANGE = "kindness.change_initiative"
ADD = "kindness.add_initiative"

# Years the pages accept: the programme's records start here, and a department may plan
# next year's initiative before the year begins.
FIRST_YEAR = 2000

CONTENT_FIELDS = ("title", "description", "strengths", "weaknesses", "actions", "outcome")


class InitiativeError(Exception):
    """A write the initiative's rules do not allow; the message is for people."""


def year_range() -> range:
    """Years a page may show: FIRST_YEAR up to next year."""
    return range(FIRST_YEAR, timezone.localdate().year + 2)


# ---------------------------------------------------------------------------- services


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise InitiativeError(_("Give the initiative a title."))
    return title


@transaction.atomic
def initiative_create(
    *,
    department: Department,
    year: int,
    by,
    title: str,
    description: str = "",
    strengths: str = "",
    weaknesses: str = "",
    actions: str = "",
    outcome: str = "",
) -> Initiative:
    """Record a department's initiative for `year`. Raises InitiativeError for an empty
    title, a year outside the pages' range, or when the department already has one that
    year (a second call with the same department and year is refused, never a duplicate)."""
    title = _clean_title(title)
    if year not in year_range():
        raise InitiativeError(_("An initiative can only be recorded for a year up to next year."))
    if Initiative.objects.filter(department=department, year=year).exists():
        raise InitiativeError(
            _("%(department)s already has an initiative for %(year)s; edit that one instead.")
            % {"department": department.name, "year": year}
        )
    try:
        # A savepoint: two heads of one department saving at once meet the unique
        # constraint, and the loser gets the message rather than a broken transaction.
        with transaction.atomic():
            return Initiative.objects.create(
                department=department,
                year=year,
                title=title,
                description=description.strip(),
                strengths=strengths.strip(),
                weaknesses=weaknesses.strip(),
                actions=actions.strip(),
                outcome=outcome.strip(),
                created_by=by,
            )
    except IntegrityError:
        raise InitiativeError(
            _("%(department)s already has an initiative for %(year)s; edit that one instead.")
            % {"department": department.name, "year": year}
        ) from None


@transaction.atomic
def initiative_update(*, initiative: Initiative, by, **content: str) -> Initiative:
    """Change the content fields of an initiative (title, description, strengths,
    weaknesses, actions, outcome). Safe to repeat. Raises InitiativeError for an empty title;
    the department, year and assessment never change here."""
    unknown = set(content) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"not content fields: {sorted(unknown)}")
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if "title" in content:
        content["title"] = _clean_title(content["title"])
    for name, value in content.items():
        setattr(initiative, name, (value or "").strip())
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
    for user in heads:
        outbox_add(
            key=f"initiative:{initiative.pk}:{event}:{user.pk}",
            to=user.email,
            subject=subject,
            body="\n\n".join(part for part in (initiative.title, body, link) if part),
            related=f"initiative:{initiative.pk}",
        )


# ---------------------------------------------------------------------------- selectors


@dataclass(frozen=True)
class YearRow:
    department: Department
    initiative: Initiative | None


@dataclass(frozen=True)
class YearView:
    year: int
    rows: list[YearRow]  # departments with an initiative
    missing: list[Department]  # active departments without one

    @property
    def total(self) -> int:
        return len(self.rows) + len(self.missing)


def initiatives_of_year(*, departments: QuerySet[Department], year: int) -> YearView:
    """The departments given with their initiative of `year`, and the active ones that have
    none yet. An inactive department appears only with an initiative."""
    departments = list(departments.select_related("bureau"))
    by_department = {
        i.department_id: i
        for i in Initiative.objects.filter(
            year=year, department__in=[d.pk for d in departments]
        ).select_related("assessed_by")
    }
    order = sorted(departments, key=lambda d: (d.bureau.name, d.code))
    rows = [YearRow(d, by_department[d.pk]) for d in order if d.pk in by_department]
    missing = [d for d in order if d.pk not in by_department and d.active]
    return YearView(year=year, rows=rows, missing=missing)


def initiative_history(initiative: Initiative) -> list[InitiativeNote]:
    """Progress updates and comments in the order they were written."""
    return list(initiative.notes.select_related("by").order_by("at", "pk"))


# --- the managers' overview --------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    label: str
    trained: int
    total: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.trained / self.total, 1) if self.total else None


@dataclass(frozen=True)
class InitiativeFigures:
    departments: int  # active departments
    with_initiative: int  # active departments with one
    assessed: int
    by_grade: list[tuple[str, str, int]]  # (value, label, count), every grade
    missing: list[Department]


@dataclass(frozen=True)
class ConsultationFigures:
    total: int
    by_status: list[tuple[str, str, int]]  # (value, label, count), every status
    priority: int
    by_priority_group: list[tuple[str, str, int]]  # every group but "none"


@dataclass(frozen=True)
class Overview:
    year: int
    initiatives: InitiativeFigures
    training: Share
    training_by_type: list[Share]
    training_by_department: list[tuple[Department, Share]] = field(default_factory=list)
    consultations: ConsultationFigures | None = None


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of `year` and of the next, in the city's time zone."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=tz),
        dt.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def _initiative_figures(year: int) -> InitiativeFigures:
    active = Department.objects.active()
    of_year = Initiative.objects.filter(year=year, department__active=True)
    grades = dict(of_year.exclude(assessment="").values_list("assessment").annotate(n=Count("pk")))
    missing = list(active.exclude(initiatives__year=year).select_related("bureau").order_by("code"))
    return InitiativeFigures(
        departments=active.count(),
        with_initiative=of_year.count(),
        assessed=sum(grades.values()),
        by_grade=[(v, str(label), grades.get(v, 0)) for v, label in Initiative.Assessment.choices],
        missing=missing,
    )


def _training_figures(year: int) -> tuple[Share, list[Share], list[tuple[Department, Share]]]:
    """Coverage of the officials active now: the share with at least one completed
    attendance of a session starting in `year`. Officials are counted under their present
    employment type and department, so each share's numerator is a subset of its
    denominator (an official who moved counts where they work now)."""
    trained = Q(
        pk__in=TrainingAttendance.objects.filter(
            completed=True, session__starts_on__year=year
        ).values("official_id")
    )
    officials = Official.objects.active()
    overall = officials.aggregate(total=Count("pk"), trained=Count("pk", filter=trained))
    by_type = {
        row["employment_type"]: row
        for row in officials.values("employment_type").annotate(
            total=Count("pk"), n=Count("pk", filter=trained)
        )
    }
    types = [
        Share(str(label), by_type.get(v, {}).get("n", 0), by_type.get(v, {}).get("total", 0))
        for v, label in EmploymentType.choices
    ]
    by_department = {
        row["department_id"]: row
        for row in officials.values("department_id").annotate(
            total=Count("pk"), n=Count("pk", filter=trained)
        )
    }
    departments = [
        (d, Share(d.name, by_department[d.pk]["n"], by_department[d.pk]["total"]))
        for d in Department.objects.filter(pk__in=by_department)
        .select_related("bureau")
        .order_by("bureau__name", "code")
    ]
    return Share(_("All officials"), overall["trained"], overall["total"]), types, departments


def _consultation_figures(year: int) -> ConsultationFigures:
    """Requests received in `year` (Seoul time), by their status now."""
    start, end = _year_bounds(year)
    requests = ConsultationRequest.objects.filter(created_at__gte=start, created_at__lt=end)
    statuses = dict(requests.values_list("status").annotate(n=Count("pk")))
    groups = dict(
        requests.exclude(priority_group="").values_list("priority_group").annotate(n=Count("pk"))
    )
    return ConsultationFigures(
        total=sum(statuses.values()),
        by_status=[
            (v, str(label), statuses.get(v, 0)) for v, label in ConsultationRequest.Status.choices
        ],
        priority=sum(groups.values()),
        by_priority_group=[
            (v, str(label), groups.get(v, 0))
            for v, label in ConsultationRequest.PriorityGroup.choices
            if v
        ],
    )


def programme_overview(*, year: int) -> Overview:
    """The managers' figures for `year`: initiatives, training coverage, consultations."""
    overall, by_type, by_department = _training_figures(year)
    return Overview(
        year=year,
        initiatives=_initiative_figures(year),
        training=overall,
        training_by_type=by_type,
        training_by_department=by_department,
        consultations=_consultation_figures(year),
    )


# ---------------------------------------------------------------------------- demo data

DEMO_TITLES = (
    "전화 응대 333 생활화",
    "첫 인사 먼저 하기 운동",
    "민원인 눈높이 설명서 만들기",
    "부재 중 전화 대신 받기 약속",
    "찾아가는 친절 상담의 날",
    "민원 처리 결과 먼저 알려드리기",
    "어르신 민원 동행 안내",
    "쉬운 말 쓰기 실천",
    "대기 시간 줄이기 번호표 안내",
    "칭찬 릴레이로 서로 격려하기",
)
DEMO_STRENGTHS = (
    "현장 경험이 많은 직원이 많아 설명이 정확함",
    "팀 간 협업이 잘 되어 민원 이관이 빠름",
    "전화 응대 교육 참여율이 높음",
)
DEMO_WEAKNESSES = (
    "점심시간과 퇴근 무렵 전화 연결이 늦음",
    "전문 용어를 그대로 써서 설명이 어렵다는 의견이 있음",
    "부재 중 전화를 동료가 받는 비율이 낮음",
)
DEMO_ACTIONS = (
    "매월 첫 주 친절 점검의 날 운영, 팀별 우수 사례 공유",
    "자주 묻는 민원 안내문을 쉬운 말로 다시 쓰기",
    "부재 시 착신 전환과 메모 전달 절차 정비",
)
DEMO_PROGRESS = (
    "1분기 팀별 점검 결과를 공유했습니다.",
    "안내문 12종을 쉬운 말로 고쳐 배부했습니다.",
    "착신 전환 설정을 전 직원 전화기에 마쳤습니다.",
    "해피콜 만족도 결과를 과 회의에서 함께 보았습니다.",
)
DEMO_COMMENTS = (
    "실천 항목이 구체적입니다. 분기별 성과 지표를 함께 적어 주세요.",
    "다른 부서에 소개할 만한 사례입니다.",
    "부재 중 전화 대응 결과를 수치로 보여 주시면 좋겠습니다.",
)
DEMO_OUTCOMES = (
    "전화 친절도 조사 점수가 지난해보다 올랐고 불친절 신고가 줄었습니다.",
    "민원 안내문 개선 후 재문의 전화가 눈에 띄게 줄었습니다.",
)
# Share of departments with an initiative in each demo year: most, never all, so the year
# view's list of departments without one is never empty.
DEMO_SHARE = 0.8


@dataclass(frozen=True)
class InitiativeSeed:
    created: int
    existing: int


def seed_initiatives(rng: random.Random, *, organisation, logins) -> InitiativeSeed:
    """Initiatives of this year and last year for most (not all) demo departments, with
    progress updates and managers' comments; last year's mostly assessed, a few of this
    year's. The demo department head's department has one this year, not yet assessed.
    Seeded once: if any initiative exists, nothing is written."""
    existing = Initiative.objects.count()
    if existing:
        return InitiativeSeed(created=0, existing=existing)
    from kindness.demo import DEMO_DEPARTMENT_CODE

    manager = next((login.user for login in logins if login.role == Role.MANAGER), None)
    this_year = timezone.localdate().year
    created = 0
    for year in (this_year - 1, this_year):
        finished = year < this_year
        for code, department in organisation.departments.items():
            own = code == DEMO_DEPARTMENT_CODE
            if not own and rng.random() > DEMO_SHARE:
                continue
            head = organisation.department_heads.get(code)
            author = head.user if head is not None else None
            initiative = Initiative.objects.create(
                department=department,
                year=year,
                title=rng.choice(DEMO_TITLES),
                description=f"{department.name}의 {year}년 친절 시책입니다. "
                "민원인이 다시 찾고 싶은 부서를 목표로 합니다.",
                strengths=rng.choice(DEMO_STRENGTHS),
                weaknesses=rng.choice(DEMO_WEAKNESSES),
                actions=rng.choice(DEMO_ACTIONS),
                outcome=rng.choice(DEMO_OUTCOMES) if finished else "",
                created_by=author,
            )
            created += 1
            last_day = dt.date(year, 12, 20) if finished else timezone.localdate()
            day = min(dt.date(year, 2, 1) + dt.timedelta(days=rng.randint(0, 40)), last_day)
            _demo_dated(initiative, "created_at", day)
            for text in rng.sample(DEMO_PROGRESS, rng.randint(1, 3)):
                day = min(day + dt.timedelta(days=rng.randint(20, 90)), last_day)
                note = InitiativeNote.objects.create(
                    initiative=initiative, kind=InitiativeNote.Kind.PROGRESS, text=text, by=author
                )
                _demo_dated(note, "at", day)
            if rng.random() < 0.5:
                day = min(day + dt.timedelta(days=rng.randint(3, 20)), last_day)
                note = InitiativeNote.objects.create(
                    initiative=initiative,
                    kind=InitiativeNote.Kind.COMMENT,
                    text=rng.choice(DEMO_COMMENTS),
                    by=manager,
                )
                _demo_dated(note, "at", day)
            assess = (finished and rng.random() < 0.85) or (
                not finished and not own and rng.random() < 0.15
            )
            if assess:
                grade = rng.choices(Initiative.Assessment.values, weights=(3, 5, 3, 1))[0]
                Initiative.objects.filter(pk=initiative.pk).update(
                    assessment=grade,
                    assessment_note=rng.choice(DEMO_COMMENTS),
                    assessed_by=manager,
                    assessed_at=_noon(min(day + dt.timedelta(days=7), last_day)),
                )
    return InitiativeSeed(created=created, existing=0)


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


def _demo_dated(row, field_name: str, day: dt.date) -> None:
    # auto_now_add fields take the moment of the write; the demo backdates them in place.
    type(row).objects.filter(pk=row.pk).update(**{field_name: _noon(day)})
