"""Admin of the scoring app: rule sets (frozen once used, saved as new versions), periods
(frozen once published) and read-only runs and rows."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from kindness.roles import Role
from scoring import services
from scoring.models import DepartmentScore, OfficialScore, Period, RankingRun, RuleSet
from tests.factories import OfficialFactory

pytestmark = pytest.mark.django_db

MODELS = ["ruleset", "period", "rankingrun", "departmentscore", "officialscore"]


def run_of(
    period: Period, *, number: int = 1, status: str = RankingRun.Status.COMPLETED
) -> RankingRun:
    return RankingRun.objects.create(
        period=period,
        number=number,
        status=status,
        trigger=RankingRun.Trigger.COMMAND,
        rule_set=period.rule_set,
        rules=period.rule_set.as_dict(),
    )


def rows_for(run: RankingRun, official) -> None:
    department = official.department
    common = {
        "run": run,
        "name": "",
        "bureau_name": department.bureau.name,
        "score": Decimal("80"),
        "base": 80.0,
        "bonus": Decimal("0"),
        "deduction": Decimal("0"),
        "position": 1,
    }
    DepartmentScore.objects.create(
        **{**common, "name": department.name},
        department=department,
        bureau=department.bureau,
        code=department.code,
        rank=1,
        bureau_rank=1,
    )
    OfficialScore.objects.create(
        **{**common, "name": official.name},
        official=official,
        employee_no=official.employee_no,
        department=department,
        department_name=department.name,
        rank=1,
    )


@pytest.fixture
def role_client(role_client, make_user, client):
    """Here `role_client(Role.ADMIN)` signs in IT staff who also hold the manager role: the
    admin role alone has no scoring records (SPEC section 1)."""

    def login(role, official=None):
        if role != Role.ADMIN:
            return role_client(role, official=official)
        client.force_login(make_user(Role.ADMIN, Role.MANAGER))
        return client

    return login


@pytest.fixture
def admin_client_for(role_client, make_user, client):
    """admin_client_for("role") signs in with the admin and manager roles; ("superuser") as
    a superuser with the manager role."""

    def login(kind: str):
        if kind == "superuser":
            client.force_login(make_user(Role.MANAGER, is_superuser=True, is_staff=True))
            return client
        return role_client(Role.ADMIN)

    return login


@pytest.mark.parametrize("model", MODELS)
def test_the_admin_role_alone_sees_no_scoring_record(make_user, client, model):
    client.force_login(make_user(Role.ADMIN))
    assert client.get(f"/admin/scoring/{model}/").status_code == 403
    client.force_login(make_user(is_superuser=True, is_staff=True))
    assert client.get(f"/admin/scoring/{model}/").status_code == 403


def form_data(client, url: str) -> dict:
    """The change form's current values, as the browser would post them back."""
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = value.pk if hasattr(value, "pk") else value
    return data


@pytest.mark.parametrize("kind", ["role", "superuser"])
@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_and_searches_every_scoring_model(admin_client_for, kind, model):
    period = services.period_create(code="2025-H1")
    run = run_of(period)
    rows_for(run, OfficialFactory(name="김점수"))
    client = admin_client_for(kind)

    assert client.get(f"/admin/scoring/{model}/").status_code == 200
    assert client.get(f"/admin/scoring/{model}/", {"q": "2025"}).status_code == 200


@pytest.mark.parametrize("kind", ["role", "superuser"])
def test_admin_opens_the_forms_of_rule_sets_periods_and_runs(admin_client_for, kind):
    period = services.period_create(code="2025-H1")
    run = run_of(period)
    client = admin_client_for(kind)

    page = client.get(f"/admin/scoring/ruleset/{period.rule_set.pk}/change/")
    assert page.status_code == 200
    assert client.get("/admin/scoring/ruleset/add/").status_code == 200
    page = client.get(f"/admin/scoring/period/{period.pk}/change/")
    assert page.status_code == 200 and b'name="closed"' in page.content
    assert client.get("/admin/scoring/period/add/").status_code == 200
    page = client.get(f"/admin/scoring/rankingrun/{run.pk}/change/")
    assert page.status_code == 200
    assert f"?run__id__exact={run.pk}".encode() in page.content


def test_a_manager_has_no_admin_access_to_scoring(role_client):
    assert role_client(Role.MANAGER).get("/admin/scoring/ruleset/").status_code == 302


def test_an_unused_rule_set_is_edited_in_place(role_client):
    client = role_client(Role.ADMIN)
    rules = RuleSet.current()
    url = f"/admin/scoring/ruleset/{rules.pk}/change/"
    page = client.get(url)
    assert b'name="_save"' in page.content

    data = form_data(client, url) | {"prior_k": "7", "_save": "Save"}
    assert client.post(url, data).status_code == 302

    rules.refresh_from_db()
    assert rules.prior_k == 7
    assert RuleSet.objects.count() == 1


def test_rule_set_weights_that_do_not_sum_to_one_are_refused(role_client):
    client = role_client(Role.ADMIN)
    rules = RuleSet.current()
    url = f"/admin/scoring/ruleset/{rules.pk}/change/"
    data = form_data(client, url) | {"weight_v": "0.5", "official_weight_t": "0.7", "_save": "Save"}

    with translation.override("en"):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["weight_h"] == [
        "The department weights V, T and H must sum to 1 (they sum to 1.2)."
    ]
    assert errors["official_weight_h"] == [
        "The individual weights T and H must sum to 1 (they sum to 1.1)."
    ]
    rules.refresh_from_db()
    assert rules.weight_v == Decimal("0.3")


def test_a_rule_set_used_by_a_run_cannot_change_but_is_saved_as_a_new_version(role_client):
    client = role_client(Role.ADMIN)
    period = services.period_create(code="2025-H1")
    used = period.rule_set
    run_of(period)
    url = f"/admin/scoring/ruleset/{used.pk}/change/"

    with translation.override("en"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert b"_saveasnew" in page.content and str(used.version + 1).encode() in page.content
    assert b'name="_save"' not in page.content
    assert b'name="_continue"' not in page.content
    assert b'name="_saveasnew"' in page.content
    assert client.get(f"/admin/scoring/ruleset/{used.pk}/delete/").status_code == 403

    changed = form_data(client, url) | {"weight_v": "0.2", "weight_t": "0.5"}
    with translation.override("en"):
        refused = client.post(url, changed | {"_save": "Save"}, HTTP_ACCEPT_LANGUAGE="en")
        assert refused.status_code == 200
        assert "it cannot be changed" in " ".join(
            refused.context["adminform"].form.non_field_errors()
        )
    used.refresh_from_db()
    assert (used.weight_v, used.weight_t) == (Decimal("0.3"), Decimal("0.4"))

    saved = client.post(url, changed | {"_saveasnew": "Save as new"})
    assert saved.status_code == 302
    new = RuleSet.objects.get(version=used.version + 1)
    assert (new.weight_v, new.weight_t, new.weight_h) == (
        Decimal("0.2"),
        Decimal("0.5"),
        Decimal("0.3"),
    )
    assert saved.url.endswith(f"/admin/scoring/ruleset/{new.pk}/change/")
    used.refresh_from_db()
    assert (used.weight_v, used.weight_t) == (Decimal("0.3"), Decimal("0.4"))
    assert RuleSet.current() == new
    # The published rules of the run are those of the old version.
    assert period.runs.get().rules["weight_v"] == "0.3"


def test_a_new_rule_set_gets_the_next_version_number(role_client):
    client = role_client(Role.ADMIN)
    data = form_data(client, "/admin/scoring/ruleset/add/") | {
        "name": "2027 rules",
        "_save": "Save",
    }

    assert client.post("/admin/scoring/ruleset/add/", data).status_code == 302

    assert RuleSet.objects.get(name="2027 rules").version == 2


def test_a_standard_period_added_in_admin_takes_its_dates_and_deduction_window(role_client):
    client = role_client(Role.ADMIN)

    response = client.post("/admin/scoring/period/add/", {"code": "2025-H2", "_save": "Save"})

    assert response.status_code == 302
    period = Period.objects.get(code="2025-H2")
    assert period.kind == Period.Kind.SECOND_HALF
    assert (period.starts_on, period.ends_on) == (
        datetime.date(2025, 7, 1),
        datetime.date(2025, 12, 31),
    )
    assert (period.deduction_starts_on, period.deduction_ends_on) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 12, 31),
    )
    assert period.rule_set == RuleSet.current()


def test_a_custom_period_needs_its_dates(role_client):
    client = role_client(Role.ADMIN)

    refused = client.post("/admin/scoring/period/add/", {"code": "summer", "_save": "Save"})
    assert refused.status_code == 200
    assert set(refused.context["adminform"].form.errors) == {"starts_on", "ends_on"}
    assert not Period.objects.exists()

    added = client.post(
        "/admin/scoring/period/add/",
        {"code": "summer", "starts_on": "2025-07-01", "ends_on": "2025-08-31", "_save": "Save"},
    )
    assert added.status_code == 302
    period = Period.objects.get(code="summer")
    assert period.kind == Period.Kind.CUSTOM and not period.has_deduction_window


@pytest.mark.parametrize("code", ["2025 H1", "1999-H1"])
def test_a_period_code_that_is_not_usable_is_refused(role_client, code):
    client = role_client(Role.ADMIN)

    response = client.post("/admin/scoring/period/add/", {"code": code, "_save": "Save"})

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["code"]
    assert not Period.objects.exists()


def test_a_period_without_a_published_ranking_can_be_corrected(role_client):
    client = role_client(Role.ADMIN)
    period = services.period_create(code="2025-H1")
    run_of(period)  # computed, not published
    url = f"/admin/scoring/period/{period.pk}/change/"

    data = form_data(client, url) | {"code": "2025-XX", "ends_on": "2025-06-15", "_save": "Save"}
    assert client.post(url, data).status_code == 302

    period.refresh_from_db()
    assert period.ends_on == datetime.date(2025, 6, 15)
    assert period.code == "2025-H1"  # a period keeps its code for life


@pytest.mark.parametrize("status", [RankingRun.Status.PUBLISHED, RankingRun.Status.SUPERSEDED])
def test_the_dates_and_rules_of_a_published_period_are_frozen(role_client, status):
    client = role_client(Role.ADMIN)
    period = services.period_create(code="2025-H1")
    run_of(period, status=status)
    url = f"/admin/scoring/period/{period.pk}/change/"

    with translation.override("en"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert b"readonly" in page.content or b'name="starts_on"' not in page.content
    assert b'name="starts_on"' not in page.content and b'name="rule_set"' not in page.content

    # A forged post of the frozen fields changes nothing; `closed` still changes.
    data = {
        "code": "2025-XX",
        "starts_on": "2025-02-01",
        "rule_set": "",
        "closed": "on",
        "_save": "Save",
    }
    assert client.post(url, data).status_code == 302
    period.refresh_from_db()
    assert period.code == "2025-H1"
    assert period.starts_on == datetime.date(2025, 1, 1)
    assert period.closed
    assert client.get(f"/admin/scoring/period/{period.pk}/delete/").status_code == 403


def test_runs_cannot_be_added_changed_or_deleted_in_admin(role_client):
    client = role_client(Role.ADMIN)
    run = run_of(services.period_create(code="2025-H1"))

    assert client.get("/admin/scoring/rankingrun/add/").status_code == 403
    assert client.post("/admin/scoring/rankingrun/add/", {"number": 2}).status_code == 403
    page = client.get(f"/admin/scoring/rankingrun/{run.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    response = client.post(f"/admin/scoring/rankingrun/{run.pk}/change/", {"status": "published"})
    assert response.status_code == 403
    assert (
        client.post(f"/admin/scoring/rankingrun/{run.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    listing = client.post(
        "/admin/scoring/rankingrun/", {"action": "delete_selected", "_selected_action": [run.pk]}
    )
    assert listing.status_code in (200, 302)
    run.refresh_from_db()
    assert run.status == RankingRun.Status.COMPLETED


def test_runs_are_listed_by_period_and_status(role_client):
    client = role_client(Role.ADMIN)
    first = services.period_create(code="2025-H1")
    second = services.period_create(code="2025-H2")
    run_of(first, status=RankingRun.Status.PUBLISHED)
    run_of(second, status=RankingRun.Status.FAILED)

    page = client.get("/admin/scoring/rankingrun/", {"period__id__exact": first.pk})
    assert [str(r) for r in page.context["cl"].result_list] == ["2025-H1 #1"]
    page = client.get("/admin/scoring/rankingrun/", {"status__exact": "failed"})
    assert [str(r) for r in page.context["cl"].result_list] == ["2025-H2 #1"]


@pytest.mark.parametrize("model", ["departmentscore", "officialscore"])
def test_score_rows_are_listed_by_run_and_read_only(role_client, model):
    client = role_client(Role.ADMIN)
    period = services.period_create(code="2025-H1")
    official = OfficialFactory()
    first, second = run_of(period), run_of(period, number=2)
    rows_for(first, official)
    rows_for(second, official)

    page = client.get(f"/admin/scoring/{model}/", {"run__id__exact": second.pk})
    assert page.status_code == 200
    assert [row.run_id for row in page.context["cl"].result_list] == [second.pk]
    assert client.get(f"/admin/scoring/{model}/add/").status_code == 403
    row = page.context["cl"].result_list[0]
    assert (
        client.post(f"/admin/scoring/{model}/{row.pk}/change/", {"score": "1"}).status_code == 403
    )
