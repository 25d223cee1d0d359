"""One department, one kindness initiative (SPEC section 6): department heads write,
managers comment and assess, readers read, bad years and the demo data."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone, translation

from demo import programme as programme_demo
from demo.logins import seed_users
from demo.organisation import DEMO_DEPARTMENT_CODE, seed_organisation
from kindness.models import OutboxMessage
from kindness.roles import Role
from programme.initiatives import services
from programme.models import (
    Initiative,
    InitiativeNote,
)
from tests.factories import DepartmentFactory, OfficialFactory
from tests.programme.initiatives.helpers import EN, YEAR, make

pytestmark = pytest.mark.django_db


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
    with pytest.raises(services.InitiativeError):
        services.initiative_create(department=org["own"], year=YEAR, by=None, title=" ")
    services.initiative_create(department=org["own"], year=YEAR, by=None, title="하나")
    with (
        translation.override("en"),
        pytest.raises(services.InitiativeError, match="already has an initiative"),
    ):
        services.initiative_create(department=org["own"], year=YEAR, by=None, title="둘")
    assert Initiative.objects.count() == 1


def test_service_update_is_safe_to_repeat_and_keeps_the_assessment(org):
    initiative = make(org["own"], assessment="good")
    for _ in range(2):
        services.initiative_update(initiative=initiative, by=None, title="새 제목", actions="행동")
    initiative.refresh_from_db()
    assert (initiative.title, initiative.actions, initiative.assessment) == (
        "새 제목",
        "행동",
        "good",
    )


# ---------------------------------------------------------------------------- demo


def test_demo_initiatives_cover_most_departments_of_two_years_once():
    rng = random.Random(7)
    organisation = seed_organisation(rng)
    logins = seed_users(rng, organisation=organisation)
    seeded = programme_demo.seed_initiatives(
        random.Random(1), organisation=organisation, logins=logins
    )
    n_departments = len(organisation.departments)
    for year in (YEAR - 1, YEAR):
        n = Initiative.objects.filter(year=year).count()
        assert n_departments // 2 < n < n_departments, year
    assert seeded.created == Initiative.objects.count()
    assert Initiative.objects.filter(year=YEAR, department__code=DEMO_DEPARTMENT_CODE).exists()
    assert InitiativeNote.objects.filter(kind="progress").exists()
    assert InitiativeNote.objects.filter(kind="comment").exists()
    assert Initiative.objects.filter(year=YEAR - 1).exclude(assessment="").exists()
    assert Initiative.objects.filter(assessment="").exists()
    assert not Initiative.objects.filter(created_at__gt=timezone.now()).exists()

    again = programme_demo.seed_initiatives(
        random.Random(1), organisation=organisation, logins=logins
    )
    assert again.created == 0 and again.existing == seeded.created
    assert Initiative.objects.count() == seeded.created


def test_service_assess_refuses_an_unknown_grade_and_may_be_repeated(org, make_user):
    initiative = make(org["own"])
    manager = make_user(Role.MANAGER)
    with pytest.raises(services.InitiativeError):
        services.initiative_assess(initiative=initiative, by=manager, assessment="superb")
    initiative.refresh_from_db()
    assert initiative.assessment == ""
    for _ in range(2):
        services.initiative_assess(
            initiative=initiative, by=manager, assessment="fair", note="보통"
        )
    initiative.refresh_from_db()
    assert (initiative.assessment, initiative.assessment_note, initiative.assessed_by) == (
        "fair",
        "보통",
        manager,
    )
