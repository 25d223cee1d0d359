import pytest
from django.utils import translation

from kindness.roles import Role
from tests.factories import BureauFactory, DepartmentFactory, OfficialFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_home_explains_the_programme_and_links_every_public_address(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for href in (
        "/reports/new/",
        "/reports/track/",
        "/praise/",
        "/rankings/",
        "/reports/new/?kind=praise",
        "/reports/new/?kind=unkind",
    ):
        assert f'href="{href}"' in html
    assert '<html lang="ko">' in html


def test_home_is_korean_by_default_and_english_on_request(client):
    korean = client.get("/").content.decode()
    with translation.override("en"):
        english_title = translation.gettext("How the programme works")
        korean_title = None
    with translation.override("ko"):
        korean_title = translation.gettext("How the programme works")
    assert korean_title != english_title, "the Korean catalogue lacks the home page"
    assert korean_title in korean
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    english = client.get("/").content.decode()
    assert '<html lang="en">' in english
    assert english_title in english


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_staff_home_shows_each_role_its_own_section(role_client):
    client = role_client(Role.MANAGER)
    html = client.get("/staff/").content.decode()
    assert 'href="/staff/imports/"' in html
    assert 'id="role-manager"' in html
    assert 'id="role-happy_call"' not in html


def test_department_head_sees_only_their_department(role_client):
    mine = DepartmentFactory(code="D900", name="내부서")
    DepartmentFactory(code="D901", name="남의부서", bureau=mine.bureau)
    client = role_client(Role.DEPARTMENT_HEAD, official=OfficialFactory(department=mine))
    html = client.get("/staff/departments/").content.decode()
    assert "내부서" in html and "남의부서" not in html
    assert client.get("/staff/departments/D901/").status_code == 404


def test_bureau_head_sees_every_department_of_their_bureau_only(role_client):
    bureau = BureauFactory(name="복지국")
    mine = DepartmentFactory(code="D910", name="복지과", bureau=bureau)
    DepartmentFactory(code="D911", name="노인과", bureau=bureau)
    DepartmentFactory(code="D912", name="도로과")
    client = role_client(Role.BUREAU_HEAD, official=OfficialFactory(department=mine))
    html = client.get("/staff/departments/").content.decode()
    assert "복지과" in html and "노인과" in html and "도로과" not in html


def test_departments_are_searched_by_name_or_code_and_a_bad_search_is_told(role_client):
    DepartmentFactory(code="D940", name="세무과")
    DepartmentFactory(code="D941", name="도로과")
    client = role_client(Role.AUDITOR)
    html = client.get("/staff/departments/", {"q": "세무"}).content.decode()
    assert "D940" in html and "D941" not in html
    response = client.get("/staff/departments/", {"q": "세무\x00"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_q_error"' in page and "D940" in page and "D941" in page


def test_head_without_a_linked_official_sees_nothing(make_user, client):
    DepartmentFactory(code="D920")
    client.force_login(make_user(Role.DEPARTMENT_HEAD))
    html = client.get("/staff/departments/").content.decode()
    assert "D920" not in html
    assert client.get("/staff/departments/D920/").status_code == 404


def test_department_page_lists_its_officials_with_team_and_status(role_client):
    department = DepartmentFactory(code="D930")
    OfficialFactory(department=department, name="김친절", active=False)
    html = role_client(Role.AUDITOR).get("/staff/departments/D930/").content.decode()
    assert "김친절" in html


def test_login_form_signs_in_and_opens_the_staff_home(client, make_user):
    make_user(Role.REPORT_OFFICER, username="officer")
    response = client.post(
        "/accounts/login/", {"username": "officer", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302 and response["Location"] == "/staff/"


def test_repeated_failed_logins_lock_the_account_for_that_address(client, settings):
    UserFactory(username="target")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"username": "target", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"username": "target", "password": "wrong"})
    assert response.status_code == 429
    locked = client.post(
        "/accounts/login/", {"username": "target", "password": "correct horse battery staple"}
    )
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_unknown_page_answers_a_friendly_404(client):
    response = client.get("/staff/departments/NOPE/")
    assert response.status_code == 302  # anonymous: login first
    response = client.get("/nowhere/")
    assert response.status_code == 404
    assert b'<html lang="ko">' in response.content


def test_logout_is_a_post_and_returns_home(role_client):
    client = role_client(Role.MANAGER)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/staff/").status_code == 302
