"""Training (SPEC section 6): sessions, attendance, the handout of real cases, records."""

from __future__ import annotations

import datetime
import random

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from complaints.models import Report
from kindness import demo, training
from kindness.models import EmploymentType, OfficialAssignment
from kindness.programme_models import HandoutCase, TrainingAttendance, TrainingSession
from kindness.roles import Role
from surveys.models import HappyCall, Petition
from tests.factories import BureauFactory, DepartmentFactory, OfficialFactory, ReportFactory

pytestmark = pytest.mark.django_db

Kind = TrainingSession.Kind
DAY = datetime.date(2026, 5, 11)
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def make_session(kind=Kind.MIND, *, days=1, department=None, **extra) -> TrainingSession:
    return training.training_session_create(
        kind=kind,
        title=extra.pop("title", "친절마인드 교육"),
        starts_on=DAY,
        ends_on=DAY + datetime.timedelta(days=days - 1),
        department=department,
        by=None,
        **extra,
    )


def published_report(**extra) -> Report:
    return ReportFactory(
        status=Report.Status.CLOSED,
        reporter_name="홍길동",
        reporter_phone="010-1234-5678",
        text="담당자 김철수가 반말을 했습니다.",
        official_name="김철수",
        published_summary="창구에서 설명 없이 서류를 돌려준 사례. 재발 방지 교육 실시.",
        decided_on=DAY,
        **extra,
    )


def flagged_call(
    *, voc="직원분이 끝까지 친절하게 안내해 주셨어요.", kind=True, unkind=False, official=None
) -> HappyCall:
    department = DepartmentFactory()
    petition = Petition.objects.create(
        petition_no=f"P-{HappyCall.objects.count() + 1}",
        title="주민등록 등본 발급 문의",
        department=department,
        petitioner_name="박민원",
        petitioner_phone="010-9876-5432",
        received_on=DAY,
        completed_on=DAY,
        channel="phone",
    )
    return HappyCall.objects.create(
        petition=petition,
        department=department,
        official=official,
        status=HappyCall.Status.COMPLETED,
        answered_on=DAY,
        voc=voc,
        kind_case=kind,
        unkind_case=unkind,
    )


# ---------------------------------------------------------------------------- session rules


def test_a_workshop_of_one_or_two_days_names_its_department():
    department = DepartmentFactory()
    one = make_session(Kind.WORKSHOP, days=1, department=department)
    two = make_session(Kind.WORKSHOP, days=2, department=department)
    assert (one.department, two.department) == (department, department)


def test_a_workshop_longer_than_two_days_is_refused():
    with translation.override("en"), pytest.raises(training.TrainingError, match="one or two days"):
        make_session(Kind.WORKSHOP, days=3, department=DepartmentFactory())
    assert not TrainingSession.objects.exists()


def test_a_workshop_without_its_department_is_refused():
    with pytest.raises(training.TrainingError):
        make_session(Kind.WORKSHOP)


def test_a_session_ending_before_it_starts_is_refused():
    with (
        translation.override("en"),
        pytest.raises(training.TrainingError, match="before the first day"),
    ):
        training.training_session_create(
            kind=Kind.MIND,
            title="x",
            starts_on=DAY,
            ends_on=DAY - datetime.timedelta(days=1),
            by=None,
        )


def test_other_kinds_may_last_longer_and_keep_no_department():
    session = make_session(Kind.NON_REGULAR, days=5, department=DepartmentFactory())
    assert session.ends_on - session.starts_on == datetime.timedelta(days=4)
    assert session.department is None


def test_a_case_based_session_with_a_handout_keeps_its_kind():
    session = make_session(Kind.CASE_BASED)
    training.handout_case_add(session=session, report=published_report())
    with pytest.raises(training.TrainingError):
        training.training_session_update(
            session=session, kind=Kind.MIND, title="x", starts_on=DAY, ends_on=DAY
        )
    session.refresh_from_db()
    assert session.kind == Kind.CASE_BASED


# ---------------------------------------------------------------------------------- attendance


def test_attendance_keeps_the_department_and_employment_type_of_the_day():
    old, new = DepartmentFactory(), DepartmentFactory()
    official = OfficialFactory(department=new, employment_type=EmploymentType.SUPPORT)
    OfficialAssignment.objects.create(
        official=official,
        department=old,
        started_on=None,
        ended_on=DAY + datetime.timedelta(days=10),
    )
    OfficialAssignment.objects.create(
        official=official, department=new, started_on=DAY + datetime.timedelta(days=10)
    )
    session = make_session()

    result = training.training_attendance_add(
        session=session, employee_nos=[official.employee_no], by=None
    )

    assert result.added == [official]
    attendance = TrainingAttendance.objects.get()
    assert (attendance.department, attendance.employment_type) == (old, EmploymentType.SUPPORT)


def test_an_inactive_official_is_refused_by_name_and_nothing_is_written():
    active = OfficialFactory()
    inactive = OfficialFactory(name="퇴직자", active=False)
    session = make_session()
    with translation.override("en"), pytest.raises(training.TrainingError) as error:
        training.training_attendance_add(
            session=session, employee_nos=[active.employee_no, inactive.employee_no], by=None
        )
    assert f"퇴직자 ({inactive.employee_no})" in str(error.value)
    assert "inactive" in str(error.value)
    assert not TrainingAttendance.objects.exists()


def test_an_unknown_employee_number_is_refused_and_nothing_is_written():
    session = make_session()
    with pytest.raises(training.TrainingError, match="NOPE"):
        training.training_attendance_add(
            session=session, employee_nos=[OfficialFactory().employee_no, "nope"], by=None
        )
    assert not TrainingAttendance.objects.exists()


def test_adding_an_attendance_twice_changes_nothing():
    official = OfficialFactory()
    session = make_session()
    training.training_attendance_add(session=session, employee_nos=[official.employee_no], by=None)
    again = training.training_attendance_add(
        session=session, employee_nos=[official.employee_no.lower()], by=None
    )
    assert (again.added, again.already) == ([], [official])
    assert TrainingAttendance.objects.count() == 1


def test_removing_an_attendance_is_safe_to_repeat():
    official = OfficialFactory()
    session = make_session()
    training.training_attendance_add(session=session, employee_nos=[official.employee_no], by=None)
    assert training.training_attendance_remove(session=session, official=official)
    assert not training.training_attendance_remove(session=session, official=official)
    assert not TrainingAttendance.objects.exists()


def test_employee_numbers_are_read_from_lines_commas_and_spaces():
    assert training.employee_numbers_parse("e001, E002\nE003 e001;E004") == [
        "E001",
        "E002",
        "E003",
        "E004",
    ]


# ------------------------------------------------------------------------------------ handout


def test_only_published_cases_and_flagged_voices_go_into_a_handout():
    session = make_session(Kind.CASE_BASED)
    unpublished = ReportFactory(status=Report.Status.SUBSTANTIATED, published_summary="")
    with pytest.raises(training.TrainingError):
        training.handout_case_add(session=session, report=unpublished)
    with pytest.raises(training.TrainingError):
        training.handout_case_add(session=session, happy_call=flagged_call(kind=False))
    case, created = training.handout_case_add(session=session, happy_call=flagged_call())
    assert created and case.order == 1


def test_a_handout_belongs_to_a_case_based_session_only():
    with pytest.raises(training.TrainingError):
        training.handout_case_add(session=make_session(Kind.MIND), report=published_report())
    assert not HandoutCase.objects.exists()


def test_adding_a_case_twice_keeps_one_and_cases_can_be_reordered():
    session = make_session(Kind.CASE_BASED)
    report, call = published_report(), flagged_call()
    first, _ = training.handout_case_add(session=session, report=report)
    second, _ = training.handout_case_add(session=session, happy_call=call, note="토론")
    _, created = training.handout_case_add(session=session, report=report)
    assert not created
    training.handout_case_move(case=second, up=True)
    assert [c.pk for c in training.handout_of(session)] == [second.pk, first.pk]
    training.handout_case_move(case=second, up=True)  # already first: nothing moves
    assert [c.pk for c in training.handout_of(session)] == [second.pk, first.pk]


# -------------------------------------------------------------------------------------- pages


def test_a_manager_plans_a_session_and_records_attendance_through_the_pages(role_client):
    client = role_client(Role.MANAGER)
    department = DepartmentFactory(code="WS1")
    response = client.post(
        reverse("training:session-create"),
        {
            "kind": Kind.WORKSHOP,
            "title": "친절 워크숍",
            "starts_on": "2026-05-11",
            "ends_on": "2026-05-12",
            "department": department.pk,
        },
    )
    session = TrainingSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training:session-detail", args=[session.pk])

    a = OfficialFactory(department=department)
    b = OfficialFactory(department=department)
    found = client.get(reverse("training:session-detail", args=[session.pk]), {"department": "WS1"})
    assert b.employee_no in found.content.decode()
    response = client.post(
        reverse("training:attendance-add", args=[session.pk]),
        {"employee_nos": a.employee_no, "officials": [b.employee_no]},
    )
    assert response.status_code == 302
    assert set(session.attendances.values_list("official_id", flat=True)) == {a.pk, b.pk}

    client.post(reverse("training:attendance-remove", args=[session.pk, a.employee_no]))
    assert list(session.attendances.values_list("official_id", flat=True)) == [b.pk]

    response = client.post(
        reverse("training:session-edit", args=[session.pk]),
        {
            "kind": Kind.MIND,
            "title": "친절마인드",
            "starts_on": "2026-05-11",
            "ends_on": "2026-05-15",
        },
    )
    session.refresh_from_db()
    assert (response.status_code, session.kind, session.department) == (302, Kind.MIND, None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": Kind.WORKSHOP, "ends_on": "2026-05-13"}, "one or two days"),
        ({"kind": Kind.MIND, "ends_on": "2026-05-10"}, "before the first day"),
        ({"kind": Kind.MIND, "ends_on": "not a date"}, "Enter a valid date"),
    ],
)
def test_a_bad_session_is_shown_again_with_its_message(role_client, data, message):
    client = role_client(Role.MANAGER)
    post = {"title": "x", "starts_on": "2026-05-11", "department": DepartmentFactory().pk} | data
    response = client.post(reverse("training:session-create"), post, **EN)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_an_inactive_official_on_the_attendance_page_gets_a_message_and_nothing_is_written(
    role_client,
):
    client = role_client(Role.MANAGER)
    session = make_session()
    active, gone = OfficialFactory(), OfficialFactory(name="이퇴직", active=False)
    response = client.post(
        reverse("training:attendance-add", args=[session.pk]),
        {"employee_nos": f"{active.employee_no}\n{gone.employee_no}"},
        **EN,
    )
    assert response.status_code == 400
    assert f"이퇴직 ({gone.employee_no})" in response.content.decode()
    assert not TrainingAttendance.objects.exists()


def test_an_empty_attendance_form_is_refused(role_client):
    session = make_session()
    response = role_client(Role.MANAGER).post(
        reverse("training:attendance-add", args=[session.pk]), {}
    )
    assert response.status_code == 400


def test_a_repeated_attendance_is_reported_not_doubled(role_client):
    client = role_client(Role.MANAGER)
    session = make_session()
    official = OfficialFactory()
    url = reverse("training:attendance-add", args=[session.pk])
    client.post(url, {"employee_nos": official.employee_no})
    response = client.post(url, {"employee_nos": official.employee_no}, follow=True, **EN)
    assert "Already recorded" in response.content.decode()
    assert TrainingAttendance.objects.count() == 1


@pytest.mark.parametrize("role", [Role.DEPARTMENT_HEAD, Role.AUDITOR, Role.REPORT_OFFICER])
def test_only_managers_plan_sessions_and_record_attendance(role_client, role):
    client = role_client(role)
    session = make_session()
    official = OfficialFactory()
    assert client.get(reverse("training:session-create")).status_code == 403
    response = client.post(
        reverse("training:attendance-add", args=[session.pk]),
        {"employee_nos": official.employee_no},
    )
    assert response.status_code == 403
    assert not TrainingAttendance.objects.exists()


def test_sessions_are_listed_by_year_and_kind(role_client):
    client = role_client(Role.AUDITOR)
    make_session(Kind.MIND, title="봄맞이 세션 가")
    make_session(Kind.SUPPORT_LECTURE, title="여름 세션 나")
    response = client.get(
        reverse("training:session-list"), {"year": 2026, "kind": Kind.SUPPORT_LECTURE}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "여름 세션 나" in content and "봄맞이 세션 가" not in content
    assert (
        "봄맞이 세션 가"
        not in client.get(reverse("training:session-list"), {"year": 2025}).content.decode()
    )


def test_a_department_head_sees_only_their_own_officials_in_the_attendance(role_client):
    own, other = DepartmentFactory(), DepartmentFactory()
    session = make_session()
    mine, theirs = (
        OfficialFactory(department=own, name="우리직원"),
        OfficialFactory(department=other, name="남의직원"),
    )
    training.training_attendance_add(
        session=session, employee_nos=[mine.employee_no, theirs.employee_no], by=None
    )
    client = role_client(Role.DEPARTMENT_HEAD, official=OfficialFactory(department=own))
    content = client.get(reverse("training:session-detail", args=[session.pk])).content.decode()
    assert "우리직원" in content and "남의직원" not in content


def test_the_handout_shows_the_anonymised_cases_and_no_personal_data(role_client):
    session = make_session(Kind.CASE_BASED)
    report = published_report(official=OfficialFactory(name="김철수"))
    call = flagged_call(voc="불친절한 응대에 실망했습니다.", kind=False, unkind=True)
    manager = role_client(Role.MANAGER)

    page = manager.get(reverse("training:handout", args=[session.pk])).content.decode()
    assert report.published_summary in page and call.voc in page
    manager.post(
        reverse("training:handout", args=[session.pk]), {"report": report.pk, "note": "토론 주제"}
    )
    manager.post(reverse("training:handout", args=[session.pk]), {"happy_call": call.pk})
    assert session.handout.count() == 2

    manager.logout()
    head = role_client(Role.DEPARTMENT_HEAD)
    printed = head.get(reverse("training:handout-print", args=[session.pk])).content.decode()
    for shown in (report.published_summary, call.voc, "토론 주제"):
        assert shown in printed
    for personal in (
        "홍길동",
        "010-1234-5678",
        report.text,
        "김철수",
        "박민원",
        "010-9876-5432",
        report.receipt_no,
    ):
        assert personal not in printed
        assert personal not in page


def test_a_voice_naming_people_is_masked_in_the_handout(role_client):
    session = make_session(Kind.CASE_BASED)
    call = flagged_call(
        voc="최민호 주무관님 덕분에 해결했어요. 박민원 드림, 010-9876-5432로 연락 주세요.",
        official=OfficialFactory(name="최민호"),
    )
    training.handout_case_add(session=session, happy_call=call)
    for url in ("training:handout", "training:handout-print"):
        page = role_client(Role.MANAGER).get(reverse(url, args=[session.pk])).content.decode()
        assert "최*호 주무관님 덕분에 해결했어요. 박*원 드림, 010-****-5432" in page
        for personal in ("최민호", "박민원", "9876"):
            assert personal not in page


def test_a_report_not_published_cannot_be_posted_into_the_handout(role_client):
    session = make_session(Kind.CASE_BASED)
    hidden = ReportFactory(status=Report.Status.UNDER_REVIEW, published_summary="아직")
    response = role_client(Role.MANAGER).post(
        reverse("training:handout", args=[session.pk]), {"report": hidden.pk}
    )
    assert response.status_code == 400
    assert not HandoutCase.objects.exists()


def test_handout_cases_are_moved_annotated_and_removed_by_a_manager(role_client):
    session = make_session(Kind.CASE_BASED)
    first, _ = training.handout_case_add(session=session, report=published_report())
    second, _ = training.handout_case_add(session=session, happy_call=flagged_call())
    client = role_client(Role.MANAGER)
    client.post(reverse("training:handout-down", args=[session.pk, first.pk]))
    client.post(
        reverse("training:handout-note", args=[session.pk, first.pk]),
        {f"case-{first.pk}-note": "핵심"},
    )
    assert [(c.pk, c.note) for c in training.handout_of(session)] == [
        (second.pk, ""),
        (first.pk, "핵심"),
    ]
    client.post(reverse("training:handout-remove", args=[session.pk, second.pk]))
    assert [c.pk for c in training.handout_of(session)] == [first.pk]


def test_a_handout_exists_only_for_case_based_sessions(role_client):
    session = make_session(Kind.MIND)
    client = role_client(Role.MANAGER)
    assert client.get(reverse("training:handout", args=[session.pk])).status_code == 404
    assert client.get(reverse("training:handout-print", args=[session.pk])).status_code == 404


def test_handout_actions_are_post_only_and_for_managers(role_client):
    session = make_session(Kind.CASE_BASED)
    case, _ = training.handout_case_add(session=session, report=published_report())
    url = reverse("training:handout-remove", args=[session.pk, case.pk])
    assert role_client(Role.MANAGER).get(url).status_code == 405
    assert role_client(Role.AUDITOR).post(url).status_code == 403
    assert HandoutCase.objects.count() == 1


# ------------------------------------------------------------------------------------ records


@pytest.fixture
def city():
    bureau = BureauFactory(name="B1")
    own = DepartmentFactory(code="OWN", bureau=bureau)
    sibling = DepartmentFactory(code="SIBLING", bureau=bureau)
    other = DepartmentFactory(code="OTHER", bureau=BureauFactory(name="B2"))
    return {
        "own": own,
        "sibling": sibling,
        "other": other,
        "head": OfficialFactory(department=own),
        "trained": OfficialFactory(department=own, name="교육이수", employee_no="E-T"),
        "untrained": OfficialFactory(department=own, name="미이수자", employee_no="E-U"),
        "sibling_official": OfficialFactory(department=sibling, employee_no="E-S"),
        "other_official": OfficialFactory(department=other, employee_no="E-O"),
    }


def test_a_department_record_lists_sessions_per_official_and_who_has_none(role_client, city):
    this_year = timezone.localdate().year
    session = training.training_session_create(
        kind=Kind.MIND, title="올해 교육", starts_on=datetime.date(this_year, 1, 5),
        ends_on=datetime.date(this_year, 1, 5), by=None,
    )  # fmt: skip
    training.training_attendance_add(session=session, employee_nos=["E-T"], by=None)
    client = role_client(Role.DEPARTMENT_HEAD, official=city["head"])
    response = client.get(reverse("training:department-record", args=["OWN"]))
    rows = {r.official.employee_no: len(r.attendances) for r in response.context["rows"]}
    assert rows["E-T"] == 1 and rows["E-U"] == 0
    untrained = {r.official.employee_no for r in response.context["untrained"]}
    assert untrained == {"E-U", city["head"].employee_no}
    assert "올해 교육" in response.content.decode()
    official_page = client.get(reverse("training:official-record", args=["E-T"]))
    assert "올해 교육" in official_page.content.decode()


RECORD_PAGES = [
    "/staff/training/departments/",
    "/staff/training/departments/OWN/",
    "/staff/training/departments/SIBLING/",
    "/staff/training/departments/OTHER/",
    "/staff/training/officials/E-T/",
    "/staff/training/officials/E-S/",
    "/staff/training/officials/E-O/",
]
RECORD_STATUS = {
    Role.MANAGER: [200, 200, 200, 200, 200, 200, 200],
    Role.AUDITOR: [200, 200, 200, 200, 200, 200, 200],
    Role.ADMIN: [403] * 7,
    Role.DEPARTMENT_HEAD: [200, 200, 404, 404, 200, 404, 404],
    Role.BUREAU_HEAD: [200, 200, 200, 404, 200, 200, 404],
    Role.HAPPY_CALL: [403] * 7,
    Role.REPORT_OFFICER: [403] * 7,
}


@pytest.mark.parametrize("role", list(RECORD_STATUS))
def test_training_records_are_scoped_by_role(role_client, city, role):
    client = role_client(
        role, official=city["head"] if role in (Role.DEPARTMENT_HEAD, Role.BUREAU_HEAD) else None
    )
    got = [client.get(url).status_code for url in RECORD_PAGES]
    assert got == RECORD_STATUS[role]


def test_a_bureau_head_sees_the_departments_of_their_bureau_only(role_client, city):
    client = role_client(Role.BUREAU_HEAD, official=city["head"])
    codes = {d.code for d in client.get(reverse("training:department-list")).context["departments"]}
    assert codes == {"OWN", "SIBLING"}


def test_coverage_counts_each_employment_type_apart():
    department = DepartmentFactory()
    regular = OfficialFactory(department=department)
    OfficialFactory(department=department)
    support = OfficialFactory(department=department, employment_type=EmploymentType.SUPPORT)
    OfficialFactory(department=department, employment_type=EmploymentType.SUPPORT, active=False)
    session = make_session()
    training.training_attendance_add(session=session, employee_nos=[regular.employee_no], by=None)
    coverage = {
        c.employment_type: (c.officials, c.trained)
        for c in training.training_coverage(year=DAY.year)
    }
    assert coverage[EmploymentType.REGULAR] == (2, 1)
    assert coverage[EmploymentType.SUPPORT] == (1, 0)
    assert coverage[""] == (3, 1)
    assert support.pk  # counted among the untrained


@pytest.mark.parametrize(
    ("url", "anonymous"),
    [("/staff/training/", 302), ("/staff/training/departments/", 302)],
)
def test_training_pages_send_anonymous_visitors_to_login(client, url, anonymous):
    assert client.get(url).status_code == anonymous


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.HAPPY_CALL, 403),
        (Role.REPORT_OFFICER, 403),
        (Role.DEPARTMENT_HEAD, 200),
        (Role.BUREAU_HEAD, 200),
        (Role.MANAGER, 200),
        (Role.AUDITOR, 200),
        (Role.ADMIN, 403),
    ],
)
def test_sessions_and_handouts_are_readable_by_roles_that_see_training(role_client, role, status):
    session = make_session(Kind.CASE_BASED)
    client = role_client(role)
    for url in (
        "/staff/training/",
        f"/staff/training/{session.pk}/",
        f"/staff/training/{session.pk}/handout/print/",
    ):
        assert client.get(url).status_code == status, url


# --------------------------------------------------------------------------------------- demo


def test_the_demo_city_has_a_year_of_training_and_reseeding_changes_nothing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    rng = random.Random(7)
    organisation = demo.seed_organisation(rng)
    logins = demo.seed_users(rng, organisation=organisation)
    report = published_report(department=organisation.departments["D006"])
    call = flagged_call(voc="친절하게 안내받았습니다.")

    today = datetime.date(2026, 12, 20)
    first = training.seed_training(
        random.Random("training"), organisation=organisation, logins=logins, today=today
    )
    again = training.seed_training(
        random.Random("training"), organisation=organisation, logins=logins, today=today
    )

    assert first.created and not again.created
    assert (again.sessions, again.attendances, again.handout_cases) == (
        first.sessions,
        first.attendances,
        first.handout_cases,
    )
    assert set(TrainingSession.objects.values_list("kind", flat=True)) == set(Kind.values)
    handout = TrainingSession.objects.get(title=training.HANDOUT_SESSION)
    assert {c.report_id or c.happy_call_id for c in handout.handout.all()} == {report.pk, call.pk}
    coverage = {c.employment_type: c for c in training.training_coverage(year=today.year)}
    assert coverage[""].trained > coverage[""].officials / 3
    assert coverage[EmploymentType.SUPPORT].share < coverage[EmploymentType.REGULAR].share
    upcoming = TrainingSession.objects.filter(starts_on__gt=today)
    assert (
        upcoming.exists() and not TrainingAttendance.objects.filter(session__in=upcoming).exists()
    )
