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
    "programmesettings",
]
# Programme records: the admin role alone does not open them (SPEC section 1).
RECORDS = [
    "kindness/importbatch",
    "kindness/outboxmessage",
    "programme/initiative",
    "programme/trainingsession",
    "programme/consultationslot",
]


@pytest.mark.parametrize("model", RECORDS)
def test_programme_records_need_a_programme_role_in_admin(role_client, make_user, client, model):
    assert role_client(Role.ADMIN).get(f"/admin/{model}/").status_code == 403
    client.force_login(make_user(is_superuser=True, is_staff=True))
    assert client.get(f"/admin/{model}/").status_code == 403
    client.force_login(make_user(Role.ADMIN, Role.MANAGER))
    assert client.get(f"/admin/{model}/", {"q": "친절"}).status_code == 200


def test_experts_are_programme_settings_the_admin_role_keeps(role_client):
    assert role_client(Role.ADMIN).get("/admin/programme/expert/").status_code == 200


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


def _user_form(client, user) -> dict:
    form = client.get(f"/admin/auth/user/{user.pk}/change/").context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name in ("password", "last_login") or value is None:
            continue
        if name == "date_joined":
            data.update(date_joined_0=f"{value:%Y-%m-%d}", date_joined_1=f"{value:%H:%M:%S}")
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        if name in ("groups", "user_permissions"):
            data[name] = [getattr(v, "pk", v) for v in value]
            continue
        data[name] = value
    return data


def test_granting_and_withdrawing_a_role_in_admin_is_written_to_the_access_log(
    role_client, make_user
):
    from django.contrib.auth.models import Group

    from kindness.models import AccessLog

    client = role_client(Role.ADMIN)
    target = make_user(Role.AUDITOR)
    data = _user_form(client, target)
    data["groups"] = [Group.objects.get(name=Role.MANAGER).pk]

    response = client.post(f"/admin/auth/user/{target.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(target.groups.values_list("name", flat=True)) == {Role.MANAGER}
    logged = set(
        AccessLog.objects.filter(object_type="auth.user", object_id=str(target.pk)).values_list(
            "user", "action"
        )
    )
    assert logged == {
        (client.user.pk, "role_granted:manager"),
        (client.user.pk, "role_withdrawn:auditor"),
    }


def test_no_one_changes_their_own_groups_or_flags(role_client):
    from django.contrib.auth.models import Group

    client = role_client(Role.ADMIN)
    me = client.user
    page = client.get(f"/admin/auth/user/{me.pk}/change/")
    assert "groups" not in page.context["adminform"].form.fields
    data = _user_form(client, me)
    data.update(groups=[Group.objects.get(name=Role.MANAGER).pk], is_superuser="on")

    client.post(f"/admin/auth/user/{me.pk}/change/", data)

    me.refresh_from_db()
    assert set(me.groups.values_list("name", flat=True)) == {Role.ADMIN}
    assert not me.is_superuser


def test_the_superuser_flag_gives_no_programme_permission(make_user):
    from kindness.auth import RoleBackend

    user = RoleBackend().get_user(make_user(is_superuser=True, is_staff=True).pk)

    assert user.has_perm("kindness.change_department")
    assert user.has_perm("complaints.add_apikey")
    assert not user.has_perm("complaints.view_report")
    assert not user.has_perm("complaints.handle_report")
    assert not user.has_perm("surveys.make_calls")
    assert not user.has_perm("kindness.run_import")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("call_share_percent", 150),
        ("call_window_days", 0),
        ("call_max_attempts", 0),
        ("measure_deadline_days", 0),
        ("apology_deadline_days", 0),
        ("encouragement_threshold", 0),
        ("import_preview_retention_days", 0),
    ],
)
def test_programme_settings_out_of_range_are_refused_in_admin(role_client, field, value):
    from django.forms.models import model_to_dict

    from kindness.models import ProgrammeSettings

    settings = ProgrammeSettings.load()
    client = role_client(Role.ADMIN)
    url = f"/admin/kindness/programmesettings/{settings.pk}/change/"
    data = {k: v for k, v in model_to_dict(settings).items() if k != "id"}

    response = client.post(url, {**data, field: value})

    assert response.status_code == 200  # the form again, with the field's error
    assert list(response.context["adminform"].form.errors) == [field]
    assert getattr(ProgrammeSettings.load(), field) == data[field]
    # In range, the same form saves.
    changed = 99 if field == "call_share_percent" else 1
    assert client.post(url, {**data, field: changed}).status_code == 302
    assert getattr(ProgrammeSettings.load(), field) == changed
