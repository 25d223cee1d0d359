"""Training of SPEC section 6, the reads shared by the pages and the managers' overview:
the handout's candidates and masked voices, sessions, the training records of officials and
departments, and coverage, all counting "trained" one way (`trained`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Report
from complaints.selectors import published_cases
from kindness.masker import mask_text, masked_segments
from kindness.models import Department, EmploymentType, Official
from kindness.roles import Role, has_role
from programme.models import HandoutCase, TrainingAttendance, TrainingSession
from surveys.models import HappyCall

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


def _names_in(call: HappyCall) -> list[str]:
    return [call.petition.petitioner_name, call.official.name if call.official else ""]


def voice_of(call: HappyCall) -> str:
    """The customer's words for a handout: the petitioner's and the official's names and
    any phone number masked with the shared masker (SPEC section 8), since residents often
    name the person who helped them, or give their own number, in what they say. Names are
    found however they were spaced, phones however they were typed (kindness.masker)."""
    return mask_text(call.voc, names=_names_in(call))


def voice_segments_of(call: HappyCall) -> list[tuple[str, bool]]:
    """The same masked words as (segment, was_masked) pairs, for the manager's preview that
    highlights every masked span before the handout is shown (issue 14, item 11)."""
    return masked_segments(call.voc, names=_names_in(call))


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
                queryset=HappyCall.objects.select_related("petition", "official").only(
                    "pk",
                    "voc",
                    "kind_case",
                    "unkind_case",
                    "answered_on",
                    "petition__petitioner_name",
                    "official__name",
                ),
            ),
        )
        .order_by("order", "pk")
    )
    for case in cases:
        if case.happy_call is not None:
            case.happy_call.voice = voice_of(case.happy_call)
            case.happy_call.voice_segments = voice_segments_of(case.happy_call)
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


def trained(*, year: int, official: str = "pk") -> Q:
    """The one meaning of "trained" for every figure (issue 13): an official with at least
    one *completed* attendance of a session starting in `year`. A Q on the officials, reached
    through `official` (e.g. "officials" from a department)."""
    attended = TrainingAttendance.objects.filter(
        completed=True, session__starts_on__year=year
    ).values("official_id")
    return Q(**{f"{official}__in": attended})


def record_department_ids(user) -> frozenset[int] | None:
    """Whose training records a user may read: None for all (managers, auditors),
    else the departments of the department head's department or the bureau head's bureau.
    Raises PermissionDenied for every other role. Decided from the official linked to the
    login, not from scope_of, so a head who also works the call desk stays in their lane."""
    if has_role(user, Role.MANAGER, Role.AUDITOR):
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
    trained: bool = False  # as every figure counts it (`trained`)


def department_record(department: Department, *, year: int) -> list[OfficialYear]:
    """The department's active officials, each with the sessions they attended in `year`
    (wherever they worked then) and whether that makes them `trained`, the untrained first."""
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
    for pk in (
        Official.objects.filter(pk__in=rows).filter(trained(year=year)).values_list("pk", flat=True)
    ):
        rows[pk].trained = True
    return sorted(rows.values(), key=lambda r: (r.trained, r.official.name))


def trained_percent(trained: int, officials: int) -> float | None:
    """The share of officials `trained`, in percent to one decimal; None when there are none.
    The training pages and the managers' overview show it alike."""
    return round(100 * trained / officials, 1) if officials else None


@dataclass(frozen=True)
class Coverage:
    employment_type: str
    label: str
    officials: int
    trained: int

    @property
    def share(self) -> float | None:
        return trained_percent(self.trained, self.officials)


def training_coverage(*, year: int, department_ids: Iterable[int] | None = None) -> list[Coverage]:
    """Share of active officials `trained` in `year`, by employment type, with the total
    last (so support and fixed-term staff are not lost in the mean). Officials are counted
    where they work now."""
    officials = Official.objects.filter(active=True)
    if department_ids is not None:
        officials = officials.filter(department_id__in=list(department_ids))
    counts = officials.values("employment_type").annotate(
        n=Count("pk", distinct=True),
        trained=Count("pk", distinct=True, filter=trained(year=year)),
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
    """Departments with their count of active officials and of those `trained` in `year`."""
    qs = Department.objects.filter(active=True).select_related("bureau")
    if department_ids is not None:
        qs = qs.filter(pk__in=list(department_ids))
    return (
        qs.annotate(
            n_officials=Count("officials", filter=Q(officials__active=True), distinct=True),
            n_trained=Count(
                "officials",
                filter=Q(officials__active=True) & trained(year=year, official="officials"),
                distinct=True,
            ),
        )
        .annotate(n_untrained=F("n_officials") - F("n_trained"))
        .order_by("bureau__name", "code")
    )
