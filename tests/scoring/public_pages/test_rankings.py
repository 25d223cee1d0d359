"""The rankings page of the published run, open to anyone."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from kindness.roles import Role
from scoring import exports, services
from scoring.models import RankingRun
from tests.scoring.public_pages.helpers import EN, call, compute, publish


def test_rankings_shows_the_latest_published_period_to_anyone(client, published):
    response = client.get("/rankings/", **EN)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kindness rankings 2025-H2" in body
    for department in (published.own, published.sibling, published.other):
        assert department.name in body
        assert reverse("rankings:department", args=["2025-H2", department.code]) in body
    row = published.h2.departments.get(code="SIBLING")
    assert f"<strong>{row.score}</strong>" in body
    assert f'{row.v} <span class="muted">({row.v_n})</span>' in body
    assert 'role="img"' in body  # the bar chart
    # Individual rankings are neither shown nor linked to the public.
    assert published.a1.name not in body
    assert reverse("rankings:officials", args=["2025-H2"]) not in body


def test_period_page_ranks_departments_city_wide_and_within_their_bureau(client, published):
    response = client.get("/rankings/2025-H1/", **EN)
    assert response.status_code == 200
    rows = list(published.h1.departments.order_by("position"))
    assert [r.rank for r in rows] == [1, 2, 3]
    body = response.content.decode()
    # The city-wide table lists them in ranking order.
    positions = [body.index(f'departments/{r.code}/"') for r in rows]
    assert positions == sorted(positions)
    for r in rows:
        assert r.bureau_rank is not None
    assert "Ranking within each bureau" in body
    assert "<caption>시민국</caption>" in body and "<caption>안전국</caption>" in body
    top = rows[0]
    assert top.award and "★ Award" in body


def test_period_selector_lists_only_periods_with_a_published_run(client, city):
    publish(compute("2025-H1"))
    compute("2025-H2")  # computed, not published
    body = client.get("/rankings/2025-H1/", **EN).content.decode()
    assert reverse("rankings:period", args=["2025-H1"]) in body
    assert reverse("rankings:period", args=["2025-H2"]) not in body
    assert 'aria-current="page">2025-H1' in body


def test_trend_shows_each_departments_published_score_per_period_by_date(client, published):
    body = client.get("/rankings/2025-H2/", **EN).content.decode()
    table = body[body.index('id="trend-table"') :]
    table = table[: table.index("</table>")]
    assert table.index("2025-H1") < table.index("2025-H2")
    for code in ("OWN", "SIBLING", "OTHER"):
        first = published.h1.departments.get(code=code).score
        second = published.h2.departments.get(code=code).score
        name = published.h2.departments.get(code=code).name
        assert (
            f'<th scope="row">{name}</th><td class="num">{first}</td><td class="num">{second}</td>'
            in table
        )
    assert 'class="trend-grid"' in body  # the small multiples
    # The bar chart, one small chart each, and a funnel plot per component (V, T, H).
    assert body.count('role="img"') == 1 + 3 + 3


def test_trend_waits_for_a_second_published_period(client, city):
    publish(compute("2025-H1"))
    body = client.get("/rankings/", **EN).content.decode()
    assert "The trend appears once rankings of a second period are published." in body
    assert 'class="trend-grid"' not in body


def test_run_notes_are_shown_when_a_component_is_left_out(client, city):
    # No visitor survey anywhere in 2024: V is left out and the run says so.
    services.period_create(code="2024")
    day = datetime.date(2024, 5, 2)
    for _i in range(3):
        call(city.a1, day, 80)
        call(city.o1, day, 40)
    run = publish(compute("2024"))
    assert run.notes
    body = client.get("/rankings/2024/", **EN).content.decode()
    assert "Notes on this run" in body
    assert run.notes[0] in body
    page = client.get("/rankings/2024/departments/OWN/", **EN).content.decode()
    assert "left out" in page
    assert "Nobody in the city had any visitor survey responses in this period" in page
    # T and H keep weights scaled to sum to 1 (T alone here: weight 1).
    assert "Its weight is 1 (the rules say 0.4, scaled because a part was left out)." in page


def test_no_published_rankings_at_all_says_so(client, city):
    compute("2025-H1")
    response = client.get("/rankings/", **EN)
    assert response.status_code == 200
    assert "No rankings have been published yet." in response.content.decode()


def test_a_period_without_a_published_run_is_not_published_yet(client, city, make_user):
    run = compute("2025-H1")
    response = client.get("/rankings/2025-H1/", **EN)
    assert response.status_code == 404
    body = response.content.decode()
    assert "The rankings of period 2025-H1 have not been published yet." in body
    assert city.own.name not in body
    # A manager reviewing it may open the computed run by number.
    client.force_login(make_user(Role.MANAGER))
    response = client.get(f"/rankings/2025-H1/?run={run.number}", **EN)
    assert response.status_code == 200
    assert "is not published" in response.content.decode()


def test_unknown_period_is_a_404_with_a_message(client, published):
    response = client.get("/rankings/2031-H1/", **EN)
    assert response.status_code == 404
    assert "There is no evaluation period “2031-H1”." in response.content.decode()


@pytest.mark.parametrize("run", ["abc", "-1", "1.5", "99", "99999999999999999999", ""])
def test_bad_or_unknown_run_numbers_are_404s_with_a_message(client, published, run):
    response = client.get(f"/rankings/2025-H1/?run={run}", **EN)
    assert response.status_code == 404
    body = response.content.decode()
    assert "is not a run number" in body or "has no run #99" in body


def test_unpublished_runs_are_invisible_to_the_public_and_to_heads(client, role_client, published):
    newer = compute("2025-H1")  # computed after the publication, not published
    urls = [
        f"/rankings/2025-H1/?run={newer.number}",
        f"/rankings/2025-H1/departments/OWN/?run={newer.number}",
        f"/rankings/2025-H1/rankings.csv?run={newer.number}",
        f"/rankings/2025-H1/rankings-data.csv?run={newer.number}",
        f"/rankings/2025-H1/rankings.xlsx?run={newer.number}",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    head = role_client(Role.DEPARTMENT_HEAD, official=published.a1)
    for url in [*urls, f"/rankings/2025-H1/officials/A1/?run={newer.number}"]:
        assert head.get(url).status_code == 404, url
    # The page without ?run still shows the published run.
    body = client.get("/rankings/2025-H1/", **EN).content.decode()
    assert f"(run #{published.h1.number})" in body


@pytest.mark.parametrize("role", [Role.MANAGER, Role.AUDITOR])
def test_managers_and_auditors_may_open_an_unpublished_run(role_client, published, role):
    newer = compute("2025-H1")
    client = role_client(role)
    for url in (
        f"/rankings/2025-H1/?run={newer.number}",
        f"/rankings/2025-H1/departments/OWN/?run={newer.number}",
        f"/rankings/2025-H1/officials/?run={newer.number}",
        f"/rankings/2025-H1/officials/A1/?run={newer.number}",
        f"/rankings/2025-H1/rankings.csv?run={newer.number}",
    ):
        assert client.get(url).status_code == 200, url


def test_a_newer_publication_supersedes_and_both_stay_in_the_history(client, published):
    first = published.h1
    second = publish(compute("2025-H1"))
    first.refresh_from_db()
    assert first.status == RankingRun.Status.SUPERSEDED

    body = client.get("/rankings/2025-H1/", **EN).content.decode()
    assert f"(run #{second.number})" in body
    assert "It replaces 1 earlier publication of this period" in body
    history = body[body.index("Publication history") :]
    assert f'?run={first.number}">#{first.number}</a>' in history
    assert "Superseded" in history and "Published" in history

    old = client.get(f"/rankings/2025-H1/?run={first.number}", **EN)
    assert old.status_code == 200
    assert f"This is run #{first.number}" in old.content.decode()
    assert "superseded on" in old.content.decode()
    # Its rows remain public, and its download is that run's.
    csv_old = client.get(f"/rankings/2025-H1/rankings-data.csv?run={first.number}")
    assert csv_old.content.decode() == exports.to_csv(first, officials=False)
    assert 'filename="rankings-2025-H1-run1-data.csv"' in csv_old["Content-Disposition"]
    readable = client.get(f"/rankings/2025-H1/rankings.csv?run={first.number}")
    assert readable.content.decode("utf-8") == exports.to_readable_csv(first)
    assert 'filename="rankings-2025-H1-run1.csv"' in readable["Content-Disposition"]


def test_rankings_page_takes_a_small_constant_number_of_queries(
    client, published, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        assert client.get("/rankings/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/rankings/2025-H1/departments/OWN/").status_code == 200


def test_home_page_links_to_the_rankings(client, db):
    assert 'href="/rankings/"' in client.get("/").content.decode()
