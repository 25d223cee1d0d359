import pytest

from kindness.roles import Role
from tests.factories import OfficialFactory, TeamFactory

pytestmark = pytest.mark.django_db

MODELS = [
    "bureau",
    "department",
    "team",
    "official",
    "accesslog",
    "importbatch",
    "outboxmessage",
    "programmesettings",
]


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_search_and_filter_each_organisation_model(role_client, model):
    team = TeamFactory(name="민원1팀")
    OfficialFactory(name="이친절", department=team.department, team=team)
    client = role_client(Role.ADMIN)
    assert client.get(f"/admin/kindness/{model}/").status_code == 200
    assert client.get(f"/admin/kindness/{model}/", {"q": "친절"}).status_code == 200


def test_admin_finds_an_official_by_name_and_opens_them_with_their_history(role_client):
    official = OfficialFactory(name="박민원")
    client = role_client(Role.ADMIN)
    listing = client.get("/admin/kindness/official/", {"q": "박민원"}).content.decode()
    assert official.employee_no in listing
    page = client.get(f"/admin/kindness/official/{official.pk}/change/")
    assert page.status_code == 200


def test_admin_filters_officials_by_employment_type(role_client):
    OfficialFactory(name="지원인력갑", employment_type="support")
    OfficialFactory(name="정규직을", employment_type="regular")
    html = (
        role_client(Role.ADMIN)
        .get("/admin/kindness/official/", {"employment_type__exact": "support"})
        .content.decode()
    )
    assert "지원인력갑" in html and "정규직을" not in html


def test_access_log_cannot_be_edited_even_by_the_administrator(role_client):
    client = role_client(Role.ADMIN)
    assert client.get("/admin/kindness/accesslog/add/").status_code == 403


def test_a_manager_has_no_admin_access(role_client):
    response = role_client(Role.MANAGER).get("/admin/kindness/official/")
    assert response.status_code == 302


def test_changing_an_officials_department_in_admin_records_a_transfer(role_client):
    from datetime import date, timedelta

    from kindness.models import OfficialAssignment
    from tests.factories import DepartmentFactory

    official = OfficialFactory()
    old = official.department
    OfficialAssignment.objects.create(
        official=official, department=old, started_on=date(2025, 1, 1)
    )
    new = DepartmentFactory()
    client = role_client(Role.ADMIN)
    page = client.get(f"/admin/kindness/official/{official.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "user"}
    data.update(
        {
            "department": new.pk,
            "team": "",
            "assignments-TOTAL_FORMS": "1",
            "assignments-INITIAL_FORMS": "1",
            "assignments-MIN_NUM_FORMS": "0",
            "assignments-MAX_NUM_FORMS": "1000",
            "assignments-0-id": official.assignments.get().pk,
            "assignments-0-official": official.pk,
            "assignments-0-department": old.pk,
            "assignments-0-started_on": "2025-01-01",
        }
    )
    data["active"] = "on"
    response = client.post(f"/admin/kindness/official/{official.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    official.refresh_from_db()
    assert official.department == new
    assert official.department_on(date(2025, 6, 1)) == old
    assert official.assignments.filter(ended_on__isnull=True).get().department == new
    assert official.department_on(date.today() + timedelta(days=1)) == new
