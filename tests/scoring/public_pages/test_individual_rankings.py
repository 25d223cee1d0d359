"""Individual rankings, for those allowed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kindness.roles import Role
from tests.scoring.public_pages.helpers import EN


def test_anonymous_visitors_are_sent_to_log_in_for_individual_rankings(client, published):
    for url in ("/rankings/2025-H1/officials/", "/rankings/2025-H1/officials/A1/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", [Role.ADMIN, Role.HAPPY_CALL, Role.REPORT_OFFICER])
def test_roles_without_individual_rankings_are_refused(role_client, published, role):
    client = role_client(role)
    assert client.get("/rankings/2025-H1/officials/").status_code == 403
    assert client.get("/rankings/2025-H1/officials/A1/").status_code == 403
    body = client.get("/rankings/2025-H1/", **EN).content.decode()
    assert reverse("rankings:officials", args=["2025-H1"]) not in body


def test_a_user_without_a_role_is_refused(client, make_user, published):
    client.force_login(make_user())
    assert client.get("/rankings/2025-H1/officials/").status_code == 403


def _listed(response) -> set[str]:
    body = response.content.decode()
    return {no for no in ("A1", "A2", "S1", "O1") if f"<td>{no}</td>" in body}


@pytest.mark.parametrize("role", [Role.MANAGER, Role.AUDITOR])
def test_managers_and_auditors_see_every_official(role_client, published, role):
    response = role_client(role).get("/rankings/2025-H1/officials/", **EN)
    assert response.status_code == 200
    assert _listed(response) == {"A1", "A2", "S1", "O1"}


def test_a_department_head_sees_the_officials_of_their_department(role_client, published):
    client = role_client(Role.DEPARTMENT_HEAD, official=published.a2)
    response = client.get("/rankings/2025-H1/officials/", **EN)
    assert response.status_code == 200
    assert _listed(response) == {"A1", "A2"}
    assert client.get("/rankings/2025-H1/officials/A1/").status_code == 200
    assert client.get("/rankings/2025-H1/officials/S1/").status_code == 404
    assert client.get("/rankings/2025-H1/officials/O1/").status_code == 404


def test_a_head_who_is_also_happy_call_staff_still_sees_only_their_own_people(
    client, make_user, published
):
    client.force_login(make_user(Role.DEPARTMENT_HEAD, Role.HAPPY_CALL, official=published.a1))
    assert _listed(client.get("/rankings/2025-H1/officials/")) == {"A1", "A2"}
    assert client.get("/rankings/2025-H1/officials/O1/").status_code == 404


def test_a_bureau_head_sees_the_officials_of_their_bureau(role_client, published):
    client = role_client(Role.BUREAU_HEAD, official=published.s1)
    assert _listed(client.get("/rankings/2025-H1/officials/")) == {"A1", "A2", "S1"}
    assert client.get("/rankings/2025-H1/officials/A2/").status_code == 200
    assert client.get("/rankings/2025-H1/officials/O1/").status_code == 404


def test_individual_rankings_show_ranks_marks_and_insufficient_data(role_client, published):
    body = role_client(Role.MANAGER).get("/rankings/2025-H1/officials/", **EN).content.decode()
    a1 = published.h1.officials.get(employee_no="A1")
    a2 = published.h1.officials.get(employee_no="A2")
    assert a1.rank == 1 and a1.encourage
    assert a2.rank is None and a2.insufficient
    a2_row = body[body.index("<td>A2</td>") - 400 : body.index("<td>A2</td>")]
    assert "insufficient data" in a2_row
    assert "★ Encouraged" in body
    assert f'{a1.t} <span class="muted">({a1.t_n})</span>' in body


def test_unknown_official_is_a_404(role_client, published):
    response = role_client(Role.MANAGER).get("/rankings/2025-H1/officials/NOBODY/", **EN)
    assert response.status_code == 404
    assert "NOBODY" in response.content.decode()
