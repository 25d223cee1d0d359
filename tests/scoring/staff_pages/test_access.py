"""Who may read and post on the rankings' staff pages, and what is not found."""

from __future__ import annotations

import pytest

from scoring.models import Period, RankingRun
from tests.scoring.staff_pages.helpers import ANON, AUDITOR, EN, HEAD, MANAGER, OFFICER, ROLES, url

# --- permissions -------------------------------------------------------------------------

READ_PAGES = [
    "",
    "rule-sets/",
    "2025-H1/",
    "2025-H1/runs/1/",
    "2025-H1/runs/1/progress/",
    "2025-H1/runs/1/export.csv",
    "2025-H1/runs/1/export.xlsx",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", READ_PAGES)
def test_managers_and_auditors_read_every_page_others_are_refused(role_client, run, role, path):
    response = role_client(role).get(url(path))

    expected = {MANAGER: 200, AUDITOR: 200, HEAD: 403, OFFICER: 403, ANON: 302}[role]
    assert response.status_code == expected
    if role is ANON:
        assert response["Location"].startswith("/accounts/login/")


POSTS = [
    ("", {"code": "2025-H2"}),
    ("2025-H1/close/", {"closed": "1"}),
    ("2025-H1/compute/", {}),
    ("2025-H1/runs/1/publish/", {"confirm": "on"}),
]


@pytest.mark.parametrize("role", [AUDITOR, HEAD, OFFICER, ANON])
@pytest.mark.parametrize(("path", "data"), POSTS)
def test_only_managers_may_post_and_a_refused_post_changes_nothing(
    role_client, run, role, path, data
):
    response = role_client(role).post(url(path), data)

    assert response.status_code == (302 if role is ANON else 403)
    if role is ANON:
        assert response["Location"].startswith("/accounts/login/")
    assert list(Period.objects.values_list("code", "closed")) == [("2025-H1", False)]
    assert list(RankingRun.objects.values_list("number", "status")) == [(1, "completed")]


@pytest.mark.parametrize("path", ["2025-H1/close/", "2025-H1/compute/", "2025-H1/runs/1/publish/"])
def test_actions_are_post_only(role_client, run, path):
    assert role_client(MANAGER).get(url(path)).status_code == 405


def test_the_forms_carry_a_csrf_token_and_a_post_without_it_is_refused(make_user, run):
    from django.test import Client

    manager = make_user(MANAGER)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(manager)

    page = strict.get(url("2025-H1/runs/1/")).content.decode()

    assert 'name="csrfmiddlewaretoken"' in page
    assert strict.post(url("2025-H1/runs/1/publish/"), {"confirm": "on"}).status_code == 403
    run.refresh_from_db()
    assert run.status == RankingRun.Status.COMPLETED


def test_only_managers_see_the_buttons(role_client, run):
    manager_page = role_client(MANAGER).get(url("2025-H1/runs/1/")).content.decode()
    assert 'id="publish-form"' in manager_page

    auditor = role_client(AUDITOR)
    for path in ("", "2025-H1/", "2025-H1/runs/1/"):
        page = auditor.get(url(path)).content.decode()
        assert 'method="post" class="staff-form' not in page
        assert "publish-form" not in page
        assert "compute-form" not in page
        assert "close-form" not in page
        assert "period-create" not in page


def test_the_staff_home_links_the_pages_for_managers_and_auditors_only(role_client):
    assert url() in role_client(MANAGER).get("/staff/").content.decode()
    assert url() in role_client(AUDITOR).get("/staff/").content.decode()
    assert url() not in role_client(HEAD).get("/staff/").content.decode()


# --- not found ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "2099-H1/",
        "2099-H1/runs/1/",
        "2025-H1/runs/2/",
        "2025-H1/runs/0/",
        "2025-H1/runs/x/",
        "2025-H1/runs/-1/",
        "2025-H1/runs/99999999999999999999999/",
        "2025-H1/runs/99999999999999999999999/export.csv",
        "2025-H1/runs/7/progress/",
        "2025-H1%00/",
        "a-period-code-far-too-long-to-exist/",
    ],
)
def test_an_unknown_period_or_run_is_a_404(role_client, run, path):
    assert role_client(MANAGER).get(url(path)).status_code == 404


def test_the_404_page_says_which_period_is_unknown(role_client, run):
    response = role_client(MANAGER).get(url("2099-H1/runs/1/"), **EN)

    assert response.status_code == 404
    assert "There is no period 2099-H1." in response.content.decode()
    response = role_client(MANAGER).get(url("2025-H1/runs/5/"), **EN)
    assert "Period 2025-H1 has no run #5." in response.content.decode()


def test_posting_to_an_unknown_period_or_run_is_a_404_and_creates_nothing(role_client, run):
    manager = role_client(MANAGER)

    assert manager.post(url("2099-H1/compute/")).status_code == 404
    assert manager.post(url("2025-H1/runs/9/publish/"), {"confirm": "on"}).status_code == 404
    assert RankingRun.objects.count() == 1
