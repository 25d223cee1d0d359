"""Training pages (SPEC section 6): planning sessions, attendance and the handout."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from complaints.models import Report
from kindness.roles import Role
from programme.models import HandoutCase, TrainingAttendance, TrainingSession
from programme.training import selectors, services
from tests.factories import DepartmentFactory, OfficialFactory, ReportFactory
from tests.programme.training.helpers import EN, Kind, flagged_call, make_session, published_report

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize(
    ("search", "field"), [({"q": "김\x00"}, "q"), ({"department": "NOPE"}, "department")]
)
def test_a_bad_search_for_officials_is_told_beside_its_field(role_client, search, field):
    session = make_session()
    OfficialFactory(name="김친절")
    url = reverse("training:session-detail", args=[session.pk])
    response = role_client(Role.MANAGER).get(url, search)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="find-{field}_error"' in page and "김친절" not in page


def test_officials_are_found_by_name_to_record_their_attendance(role_client):
    session = make_session()
    found, other = OfficialFactory(name="김친절"), OfficialFactory(name="이상냥")
    url = reverse("training:session-detail", args=[session.pk])
    page = role_client(Role.MANAGER).get(url, {"q": "친절"}).content.decode()
    assert found.employee_no in page and other.employee_no not in page


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
    services.training_attendance_add(
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


def unmarked(html: str) -> str:
    """The page without the preview's highlights of masked spans."""
    return re.sub(r"</?mark[^>]*>", "", html)


def test_a_voice_naming_people_is_masked_in_the_handout(role_client):
    session = make_session(Kind.CASE_BASED)
    call = flagged_call(
        voc="최민호 주무관님 덕분에 해결했어요. 박민원 드림, 010-9876-5432로 연락 주세요.",
        official=OfficialFactory(name="최민호"),
    )
    services.handout_case_add(session=session, happy_call=call)
    for url in ("training:handout", "training:handout-print"):
        page = unmarked(
            role_client(Role.MANAGER).get(reverse(url, args=[session.pk])).content.decode()
        )
        assert "최*호 주무관님 덕분에 해결했어요. 박*원 드림, 010-****-5432" in page
        for personal in ("최민호", "박민원", "9876"):
            assert personal not in page


def test_names_and_phones_written_in_other_ways_are_masked_in_the_handout(role_client):
    session = make_session(Kind.CASE_BASED)
    call = flagged_call(
        voc="최 민호 주무관님, 고맙습니다. 박민원 드림 (+82-10-9876-5432, (010)9876 5432)",
        official=OfficialFactory(name="최민호"),
    )
    services.handout_case_add(session=session, happy_call=call)
    page = role_client(Role.MANAGER).get(reverse("training:handout", args=[session.pk]))
    text = unmarked(page.content.decode())
    assert "최*호 주무관님" in text
    for personal in ("최 민호", "민호", "박민원", "9876"):
        assert personal not in text


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
    first, _ = services.handout_case_add(session=session, report=published_report())
    second, _ = services.handout_case_add(session=session, happy_call=flagged_call())
    client = role_client(Role.MANAGER)
    client.post(reverse("training:handout-down", args=[session.pk, first.pk]))
    client.post(
        reverse("training:handout-note", args=[session.pk, first.pk]),
        {f"case-{first.pk}-note": "핵심"},
    )
    assert [(c.pk, c.note) for c in selectors.handout_of(session)] == [
        (second.pk, ""),
        (first.pk, "핵심"),
    ]
    client.post(reverse("training:handout-remove", args=[session.pk, second.pk]))
    assert [c.pk for c in selectors.handout_of(session)] == [first.pk]


def test_a_handout_exists_only_for_case_based_sessions(role_client):
    session = make_session(Kind.MIND)
    client = role_client(Role.MANAGER)
    assert client.get(reverse("training:handout", args=[session.pk])).status_code == 404
    assert client.get(reverse("training:handout-print", args=[session.pk])).status_code == 404


def test_handout_actions_are_post_only_and_for_managers(role_client):
    session = make_session(Kind.CASE_BASED)
    case, _ = services.handout_case_add(session=session, report=published_report())
    url = reverse("training:handout-remove", args=[session.pk, case.pk])
    assert role_client(Role.MANAGER).get(url).status_code == 405
    assert role_client(Role.AUDITOR).post(url).status_code == 403
    assert HandoutCase.objects.count() == 1


def test_a_bad_year_on_a_training_page_is_a_clear_400(role_client):
    client = role_client(Role.MANAGER)
    for bad in ("１９９９", "20x5", "1899", "3000"):
        response = client.get(reverse("training:department-list"), {"year": bad})
        assert response.status_code == 400, bad
        assert "2000" in response.content.decode()  # says which years it can show


def test_the_handouts_two_lists_page_each_by_its_own_parameter_keeping_the_other(role_client):
    session = make_session(Kind.CASE_BASED)
    for _ in range(11):
        published_report()
    for _ in range(11):
        flagged_call()
    manager = role_client(Role.MANAGER)
    url = reverse("training:handout", args=[session.pk])

    page = manager.get(url, {"voices": 2}, **EN).content.decode()
    assert 'aria-label="Pages of published cases"' in page
    assert 'aria-label="Pages of happy-call voices"' in page
    # The cases' next page keeps the voices' page, and the voices' previous page the cases'.
    assert 'href="?voices=2&amp;cases=2#published-cases" rel="next"' in page
    assert 'href="?voices=1#voices" rel="prev"' in page
    assert page.count('class="pagination"') == 2

    second = manager.get(url, {"cases": 2, "voices": 2}, **EN).content.decode()
    assert second.count("<blockquote>") == 1  # the eleventh case alone on the second page
    assert 'href="?cases=1&amp;voices=2#published-cases" rel="prev"' in second
