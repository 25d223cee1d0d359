"""One department, one kindness initiative, and the managers' overview (SPEC section 6):
every workflow, every role's rights, bad input, and the overview's figures against data
built by hand."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone, translation

from kindness import demo
from kindness import initiatives as svc
from kindness.models import (
    ConsultationRequest,
    ConsultationSlot,
    EmploymentType,
    Expert,
    Initiative,
    InitiativeNote,
    OutboxMessage,
    TrainingAttendance,
    TrainingSession,
)
from kindness.roles import Role
from tests.factories import BureauFactory, DepartmentFactory, OfficialFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def org():
    """OWN and SIBLING share bureau B1; OTHER is in B2."""
    b1, b2 = BureauFactory(name="B1국"), BureauFactory(name="B2국")
    return {
        "own": DepartmentFactory(code="OWN", name="우리과", bureau=b1),
        "sibling": DepartmentFactory(code="SIB", name="이웃과", bureau=b1),
        "other": DepartmentFactory(code="OTH", name="남의과", bureau=b2),
    }


@pytest.fixture
def head(role_client, org):
    """A client signed in as the department head of OWN."""
    return role_client(Role.DEPARTMENT_HEAD, official=OfficialFactory(department=org["own"]))


def make(department, year=YEAR, **fields) -> Initiative:
    fields.setdefault("title", f"{department.name} 친절 시책")
    return Initiative.objects.create(department=department, year=year, **fields)


# ---------------------------------------------------------------------------- department head


def test_department_head_sees_a_create_link_and_records_their_initiative(head, org):
    page = head.get("/staff/initiatives/")
    assert page.status_code == 200
    assert f'href="/staff/initiatives/new/?year={YEAR}"' in page.content.decode()

    response = head.post(
        f"/staff/initiatives/new/?year={YEAR}",
        {
            "title": " 전화 333 ",
            "description": "설명",
            "strengths": "강점",
            "weaknesses": "약점",
            "actions": "실천",
            "outcome": "",
        },
    )
    initiative = Initiative.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/initiatives/{initiative.pk}/"
    assert (initiative.department, initiative.year, initiative.title) == (
        org["own"],
        YEAR,
        "전화 333",
    )
    assert initiative.created_by == head.user
    assert initiative.weaknesses == "약점"


def test_empty_title_is_refused_with_a_message_and_nothing_is_saved(head):
    response = head.post(
        f"/staff/initiatives/new/?year={YEAR}", {"title": "   ", "description": "x"}, **EN
    )
    assert response.status_code == 400
    assert "Give the initiative a title." in response.content.decode()
    assert "\nx</textarea>" in response.content.decode()  # nothing typed is lost
    assert not Initiative.objects.exists()


def test_empty_title_is_refused_when_editing_too(head, org):
    initiative = make(org["own"], title="처음 제목")
    response = head.post(f"/staff/initiatives/{initiative.pk}/edit/", {"title": ""}, **EN)
    assert response.status_code == 400
    assert "Give the initiative a title." in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.title == "처음 제목"


def test_a_second_initiative_for_the_same_year_is_refused_with_a_message(head, org):
    first = make(org["own"], title="첫 시책")
    response = head.post(f"/staff/initiatives/new/?year={YEAR}", {"title": "두 번째"}, **EN)
    assert response.status_code == 409
    assert "already has an initiative for" in response.content.decode()
    assert list(Initiative.objects.values_list("title", flat=True)) == ["첫 시책"]
    # Opening the form again leads to the existing one.
    response = head.get(f"/staff/initiatives/new/?year={YEAR}")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/initiatives/{first.pk}/edit/"


def test_next_year_may_be_planned_while_this_years_exists(head, org):
    make(org["own"])
    response = head.post(f"/staff/initiatives/new/?year={YEAR + 1}", {"title": "내년 시책"})
    assert response.status_code == 302
    assert Initiative.objects.filter(department=org["own"], year=YEAR + 1).exists()


def test_department_head_edits_their_own_initiative(head, org):
    initiative = make(org["own"])
    assert head.get(f"/staff/initiatives/{initiative.pk}/edit/").status_code == 200
    response = head.post(
        f"/staff/initiatives/{initiative.pk}/edit/", {"title": "고친 제목", "outcome": "성과"}
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert (initiative.title, initiative.outcome, initiative.description) == (
        "고친 제목",
        "성과",
        "",
    )


def test_department_head_adds_progress_updates_in_order(head, org):
    initiative = make(org["own"])
    for text in ("1분기 점검", "2분기 점검"):
        response = head.post(
            f"/staff/initiatives/{initiative.pk}/progress/", {"progress-text": text}
        )
        assert response.status_code == 302
    notes = list(initiative.notes.values_list("kind", "text", "by"))
    assert notes == [
        ("progress", "1분기 점검", head.user.pk),
        ("progress", "2분기 점검", head.user.pk),
    ]
    html = head.get(f"/staff/initiatives/{initiative.pk}/").content.decode()
    assert html.index("1분기 점검") < html.index("2분기 점검")


def test_an_empty_progress_update_is_refused(head, org):
    initiative = make(org["own"])
    response = head.post(
        f"/staff/initiatives/{initiative.pk}/progress/", {"progress-text": " "}, **EN
    )
    assert response.status_code == 400
    assert "Write something before saving the note." in response.content.decode()
    assert not InitiativeNote.objects.exists()


@pytest.mark.parametrize("which", ["sibling", "other"])
def test_department_head_cannot_see_or_touch_another_departments_initiative(head, org, which):
    initiative = make(org[which], title="남의 시책")
    assert "남의 시책" not in head.get("/staff/initiatives/").content.decode()
    assert head.get(f"/staff/initiatives/{initiative.pk}/").status_code == 404
    assert head.get(f"/staff/initiatives/{initiative.pk}/edit/").status_code == 404
    assert head.post(f"/staff/initiatives/{initiative.pk}/edit/", {"title": "x"}).status_code == 404
    assert (
        head.post(
            f"/staff/initiatives/{initiative.pk}/progress/", {"progress-text": "x"}
        ).status_code
        == 404
    )
    initiative.refresh_from_db()
    assert initiative.title == "남의 시책" and not initiative.notes.exists()


def test_department_head_cannot_comment_or_assess_their_own(head, org):
    initiative = make(org["own"])
    assert (
        head.post(f"/staff/initiatives/{initiative.pk}/comment/", {"comment-text": "x"}).status_code
        == 403
    )
    assert (
        head.post(
            f"/staff/initiatives/{initiative.pk}/assess/", {"assess-assessment": "excellent"}
        ).status_code
        == 403
    )
    initiative.refresh_from_db()
    assert initiative.assessment == "" and not initiative.notes.exists()


def test_department_head_without_a_linked_official_cannot_create(client, make_user):
    client.force_login(make_user(Role.DEPARTMENT_HEAD))
    assert client.get("/staff/initiatives/new/").status_code == 403
    assert client.post("/staff/initiatives/new/", {"title": "x"}).status_code == 403
    assert not Initiative.objects.exists()


# ---------------------------------------------------------------------------- managers


def test_manager_comments_and_the_department_head_is_told(role_client, make_user, org):
    make_user(
        Role.DEPARTMENT_HEAD,
        official=OfficialFactory(department=org["own"]),
        email="head@city.example",
    )
    initiative = make(org["own"])
    manager = role_client(Role.MANAGER)
    response = manager.post(
        f"/staff/initiatives/{initiative.pk}/comment/", {"comment-text": "좋습니다"}
    )
    assert response.status_code == 302
    note = initiative.notes.get()
    assert (note.kind, note.text, note.by) == ("comment", "좋습니다", manager.user)
    message = OutboxMessage.objects.get()
    assert message.to == "head@city.example"
    assert f"/staff/initiatives/{initiative.pk}/" in message.body


def test_manager_assesses_and_may_revise_the_assessment(role_client, org):
    initiative = make(org["own"])
    manager = role_client(Role.MANAGER)
    url = f"/staff/initiatives/{initiative.pk}/assess/"
    assert (
        manager.post(url, {"assess-assessment": "good", "assess-note": "구체적"}).status_code == 302
    )
    initiative.refresh_from_db()
    assert (initiative.assessment, initiative.assessment_note) == ("good", "구체적")
    assert initiative.assessed_by == manager.user and initiative.assessed_at is not None
    first_at = initiative.assessed_at
    assert manager.post(url, {"assess-assessment": "excellent"}).status_code == 302
    initiative.refresh_from_db()
    assert (initiative.assessment, initiative.assessment_note) == ("excellent", "")
    assert initiative.assessed_at >= first_at


def test_an_unknown_grade_is_refused_and_nothing_changes(role_client, org):
    initiative = make(org["own"])
    manager = role_client(Role.MANAGER)
    response = manager.post(
        f"/staff/initiatives/{initiative.pk}/assess/", {"assess-assessment": "superb"}, **EN
    )
    assert response.status_code == 400
    assert "Choose one of the assessment grades." in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.assessment == "" and initiative.assessed_by is None


def test_manager_does_not_create_or_edit_the_content(role_client, org):
    initiative = make(org["own"], title="원래")
    manager = role_client(Role.MANAGER)
    assert manager.get(f"/staff/initiatives/{initiative.pk}/edit/").status_code == 403
    assert (
        manager.post(f"/staff/initiatives/{initiative.pk}/edit/", {"title": "바꿈"}).status_code
        == 403
    )
    assert (
        manager.post(
            f"/staff/initiatives/{initiative.pk}/progress/", {"progress-text": "x"}
        ).status_code
        == 403
    )
    assert manager.post("/staff/initiatives/new/", {"title": "x"}).status_code == 403
    initiative.refresh_from_db()
    assert initiative.title == "원래" and not initiative.notes.exists()
    assert Initiative.objects.count() == 1


def test_manager_sees_every_department_and_the_ones_without_an_initiative(role_client, org):
    make(org["own"], title="우리 시책")
    DepartmentFactory(code="OLD", name="폐지과", active=False)
    response = role_client(Role.MANAGER).get("/staff/initiatives/")
    assert response.status_code == 200
    view = response.context["view"]
    assert [r.department.code for r in view.rows] == ["OWN"]
    assert sorted(d.code for d in view.missing) == ["OTH", "SIB"]  # not the inactive one
    html = response.content.decode()
    assert "우리 시책" in html and "이웃과" in html and "남의과" in html and "폐지과" not in html


# ---------------------------------------------------------------------------- readers


def test_bureau_head_reads_their_bureau_only(role_client, org):
    own, other = make(org["own"]), make(org["other"])
    client = role_client(Role.BUREAU_HEAD, official=OfficialFactory(department=org["sibling"]))
    view = client.get("/staff/initiatives/").context["view"]
    assert [r.department.code for r in view.rows] == ["OWN"]
    assert [d.code for d in view.missing] == ["SIB"]
    assert client.get(f"/staff/initiatives/{own.pk}/").status_code == 200
    assert client.get(f"/staff/initiatives/{other.pk}/").status_code == 404
    assert client.get(f"/staff/initiatives/{own.pk}/edit/").status_code == 403
    for action, data in (
        ("progress", {"progress-text": "x"}),
        ("comment", {"comment-text": "x"}),
        ("assess", {"assess-assessment": "good"}),
    ):
        assert client.post(f"/staff/initiatives/{own.pk}/{action}/", data).status_code == 403
    assert client.get("/staff/programme/").status_code == 403
    own.refresh_from_db()
    assert own.assessment == "" and not own.notes.exists()


def test_auditor_reads_everything_and_changes_nothing(role_client, org):
    initiative = make(org["other"], title="감사 대상")
    client = role_client(Role.AUDITOR)
    assert client.get("/staff/initiatives/").status_code == 200
    html = client.get(f"/staff/initiatives/{initiative.pk}/").content.decode()
    assert "감사 대상" in html and '<form method="post" action="/staff/initiatives/' not in html
    assert client.get(f"/staff/initiatives/{initiative.pk}/edit/").status_code == 403
    assert client.post("/staff/initiatives/new/", {"title": "x"}).status_code == 403
    for action, data in (
        ("progress", {"progress-text": "x"}),
        ("comment", {"comment-text": "x"}),
        ("assess", {"assess-assessment": "good"}),
    ):
        assert client.post(f"/staff/initiatives/{initiative.pk}/{action}/", data).status_code == 403
    assert client.get(f"/staff/programme/{YEAR}/").status_code == 200
    initiative.refresh_from_db()
    assert initiative.assessment == "" and not initiative.notes.exists()


@pytest.mark.parametrize("role", [Role.HAPPY_CALL, Role.REPORT_OFFICER])
def test_call_and_report_staff_have_no_access(role_client, org, role):
    initiative = make(org["own"])
    client = role_client(role)
    for url in (
        "/staff/initiatives/",
        f"/staff/initiatives/{initiative.pk}/",
        "/staff/programme/",
        f"/staff/programme/{YEAR}/",
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_the_login_page(client, org):
    initiative = make(org["own"])
    for url in (
        "/staff/initiatives/",
        "/staff/initiatives/new/",
        f"/staff/initiatives/{initiative.pk}/",
        f"/staff/initiatives/{initiative.pk}/edit/",
        "/staff/programme/",
        f"/staff/programme/{YEAR}/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(
            "/accounts/login/"
        ), url
    response = client.post(f"/staff/initiatives/{initiative.pk}/comment/", {"comment-text": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not initiative.notes.exists()


def test_actions_are_post_only_and_unknown_actions_are_not_found(role_client, org):
    initiative = make(org["own"])
    manager = role_client(Role.MANAGER)
    assert manager.get(f"/staff/initiatives/{initiative.pk}/comment/").status_code == 405
    assert manager.post(f"/staff/initiatives/{initiative.pk}/delete/").status_code == 404


# ---------------------------------------------------------------------------- years


@pytest.mark.parametrize("year", ["abc", "1999", str(YEAR + 2), "-1"])
def test_a_bad_year_gets_a_message_not_an_error(role_client, year):
    response = role_client(Role.MANAGER).get(f"/staff/initiatives/?year={year}", **EN)
    assert response.status_code == 400
    assert "The year must be a number from 2000 to" in response.content.decode()


def test_the_year_view_shows_the_year_asked_for(role_client, org):
    make(org["own"], year=YEAR - 1, title="작년 시책")
    make(org["own"], title="올해 시책")
    html = role_client(Role.MANAGER).get(f"/staff/initiatives/?year={YEAR - 1}").content.decode()
    assert "작년 시책" in html and "올해 시책" not in html


# ---------------------------------------------------------------------------- services


def test_service_refuses_an_empty_title_and_a_duplicate_year(org):
    with pytest.raises(svc.InitiativeError):
        svc.initiative_create(department=org["own"], year=YEAR, by=None, title=" ")
    svc.initiative_create(department=org["own"], year=YEAR, by=None, title="하나")
    with (
        translation.override("en"),
        pytest.raises(svc.InitiativeError, match="already has an initiative"),
    ):
        svc.initiative_create(department=org["own"], year=YEAR, by=None, title="둘")
    assert Initiative.objects.count() == 1


def test_service_update_is_safe_to_repeat_and_keeps_the_assessment(org):
    initiative = make(org["own"], assessment="good")
    for _ in range(2):
        svc.initiative_update(initiative=initiative, by=None, title="새 제목", actions="행동")
    initiative.refresh_from_db()
    assert (initiative.title, initiative.actions, initiative.assessment) == (
        "새 제목",
        "행동",
        "good",
    )


# ---------------------------------------------------------------------------- overview


def test_overview_is_for_managers_and_auditors_not_it_admins(role_client, org):
    assert role_client(Role.ADMIN).get(f"/staff/programme/{YEAR}/").status_code == 403
    for role in (Role.MANAGER, Role.AUDITOR):
        client = role_client(role)
        response = client.get("/staff/programme/")
        assert response.status_code == 302 and response["Location"] == f"/staff/programme/{YEAR}/"
        assert client.get(f"/staff/programme/{YEAR}/").status_code == 200
        client.logout()
    head = role_client(Role.DEPARTMENT_HEAD, official=OfficialFactory(department=org["own"]))
    assert head.get(f"/staff/programme/{YEAR}/").status_code == 403


def test_overview_of_a_year_out_of_range_is_not_found(role_client):
    assert role_client(Role.MANAGER).get("/staff/programme/1999/").status_code == 404


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_current_timezone())


def test_overview_figures_match_data_built_by_hand(role_client):
    a = DepartmentFactory(code="A01", name="가과")
    b = DepartmentFactory(code="B01", name="나과")
    DepartmentFactory(code="D01", name="라과")  # active, without an initiative
    closed = DepartmentFactory(code="C01", name="폐지과", active=False)

    # Initiatives: A (this year, good), B (this year, not assessed), D none; the closed
    # department's and last year's do not count.
    make(a, assessment="good")
    make(b)
    make(closed, assessment="poor")
    make(a, year=YEAR - 1, assessment="excellent")

    # Training: seven active officials, three trained this year.
    this_year = TrainingSession.objects.create(
        kind="mind", title="친절 마인드", starts_on=dt.date(YEAR, 1, 1), ends_on=dt.date(YEAR, 1, 2)
    )
    last_year = TrainingSession.objects.create(
        kind="mind",
        title="지난해",
        starts_on=dt.date(YEAR - 1, 12, 31),
        ends_on=dt.date(YEAR, 1, 1),
    )

    def official(dept, kind, active=True):
        return OfficialFactory(department=dept, employment_type=kind, active=active)

    def attend(session, o, completed=True):
        TrainingAttendance.objects.create(
            session=session,
            official=o,
            department=o.department,
            employment_type=o.employment_type,
            completed=completed,
        )

    r1, r2 = official(a, EmploymentType.REGULAR), official(a, EmploymentType.REGULAR)
    f1, s1 = official(a, EmploymentType.FIXED_TERM), official(a, EmploymentType.SUPPORT)
    gone = official(a, EmploymentType.REGULAR, active=False)
    s2, r3 = official(b, EmploymentType.SUPPORT), official(b, EmploymentType.REGULAR)
    f2 = official(b, EmploymentType.FIXED_TERM)
    attend(this_year, r1)
    attend(this_year, f1)
    attend(this_year, gone)  # inactive: not counted
    attend(this_year, s2)
    attend(last_year, r3)  # another year
    attend(this_year, f2, completed=False)  # not completed
    attend(last_year, r1)  # twice trained counts once
    assert r2 and s1  # untrained, present in the denominators

    # Consultations received this year: 4, two from priority groups; one of last year.
    expert = Expert.objects.create(name="상담가", field="민원")
    slots = [
        ConsultationSlot.objects.create(
            expert=expert,
            starts_at=_at(dt.date(YEAR, 1, 5 + i)),
            ends_at=_at(dt.date(YEAR, 1, 5 + i)) + dt.timedelta(hours=1),
        )
        for i in range(2)
    ]

    def request(no, status, when, group="", slot=None):
        c = ConsultationRequest.objects.create(
            receipt_no=no,
            topic="상담",
            preferred_on=when,
            status=status,
            priority_group=group,
            slot=slot,
        )
        ConsultationRequest.objects.filter(pk=c.pk).update(created_at=_at(when))

    request("C-1", "requested", dt.date(YEAR, 1, 1), group="low_income")
    request("C-2", "confirmed", dt.date(YEAR, 1, 2), slot=slots[0])
    request("C-3", "done", dt.date(YEAR, 1, 3), slot=slots[1])
    request("C-4", "cancelled", dt.date(YEAR, 1, 4), group="elderly")
    request("C-5", "requested", dt.date(YEAR - 1, 12, 31), group="low_income")

    o = svc.programme_overview(year=YEAR)

    assert (o.initiatives.departments, o.initiatives.with_initiative, o.initiatives.assessed) == (
        3,
        2,
        1,
    )
    assert {v: n for v, _label, n in o.initiatives.by_grade} == {
        "excellent": 0,
        "good": 1,
        "fair": 0,
        "poor": 0,
    }
    assert [x.code for x in o.initiatives.missing] == ["D01"]

    assert (o.training.trained, o.training.total, o.training.percent) == (3, 7, 42.9)
    assert [(s.trained, s.total) for s in o.training_by_type] == [(1, 3), (1, 2), (1, 2)]
    assert {dep.code: (s.trained, s.total) for dep, s in o.training_by_department} == {
        "A01": (2, 4),
        "B01": (1, 3),
    }

    c = o.consultations
    assert (c.total, c.priority) == (4, 2)
    assert {v: n for v, _label, n in c.by_status} == {
        "requested": 1,
        "confirmed": 1,
        "done": 1,
        "cancelled": 1,
        "no_show": 0,
    }
    assert {v: n for v, _label, n in c.by_priority_group} == {
        "low_income": 1,
        "disabled": 0,
        "elderly": 1,
        "other": 0,
    }

    # The page shows the same figures.
    response = role_client(Role.MANAGER).get(f"/staff/programme/{YEAR}/", **EN)
    html = response.content.decode()
    shown = response.context["o"]
    assert [(s.trained, s.total) for s in shown.training_by_type] == [(1, 3), (1, 2), (1, 2)]
    assert [n for _v, _label, n in shown.initiatives.by_grade] == [0, 1, 0, 0]
    assert (shown.consultations.total, shown.consultations.priority) == (4, 2)
    assert "3 / 7" in html and "42.9%" in html and "라과" in html


# ---------------------------------------------------------------------------- demo


def test_demo_initiatives_cover_most_departments_of_two_years_once():
    rng = random.Random(7)
    organisation = demo.seed_organisation(rng)
    logins = demo.seed_users(rng, organisation=organisation)
    seeded = svc.seed_initiatives(random.Random(1), organisation=organisation, logins=logins)
    n_departments = len(organisation.departments)
    for year in (YEAR - 1, YEAR):
        n = Initiative.objects.filter(year=year).count()
        assert n_departments // 2 < n < n_departments, year
    assert seeded.created == Initiative.objects.count()
    assert Initiative.objects.filter(year=YEAR, department__code=demo.DEMO_DEPARTMENT_CODE).exists()
    assert InitiativeNote.objects.filter(kind="progress").exists()
    assert InitiativeNote.objects.filter(kind="comment").exists()
    assert Initiative.objects.filter(year=YEAR - 1).exclude(assessment="").exists()
    assert Initiative.objects.filter(assessment="").exists()
    assert not Initiative.objects.filter(created_at__gt=timezone.now()).exists()

    again = svc.seed_initiatives(random.Random(1), organisation=organisation, logins=logins)
    assert again.created == 0 and again.existing == seeded.created
    assert Initiative.objects.count() == seeded.created


def test_service_assess_refuses_an_unknown_grade_and_may_be_repeated(org, make_user):
    initiative = make(org["own"])
    manager = make_user(Role.MANAGER)
    with pytest.raises(svc.InitiativeError):
        svc.initiative_assess(initiative=initiative, by=manager, assessment="superb")
    initiative.refresh_from_db()
    assert initiative.assessment == ""
    for _ in range(2):
        svc.initiative_assess(initiative=initiative, by=manager, assessment="fair", note="보통")
    initiative.refresh_from_db()
    assert (initiative.assessment, initiative.assessment_note, initiative.assessed_by) == (
        "fair",
        "보통",
        manager,
    )
