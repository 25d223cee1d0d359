"""How sure a rank is, on the pages (SPEC section 5): the interval beside each rank on the
public and staff tables, the funnel plots with their tables, the "why this score"
sentences, and "not clearly distinct" award places on the review page."""

from __future__ import annotations

import pytest

from kindness.roles import Role
from scoring.models import RankingRun
from tests.scoring.public_pages.conftest import city, published  # noqa: F401 - fixtures
from tests.scoring.public_pages.helpers import EN

pytestmark = pytest.mark.django_db


def test_each_rank_on_the_public_tables_carries_its_interval(client, published):  # noqa: F811
    body = client.get("/rankings/2025-H1/", **EN).content.decode()
    rows = list(published.h1.departments.order_by("position"))
    assert rows and all(r.rank_low is not None for r in rows)
    for r in rows:
        assert f'{r.rank} <span class="rank-interval"' in body
        assert f">({r.rank_low}-{r.rank_high})</span>" in body
    assert "3 (1-7)" in body  # the legend says what the brackets mean


def test_the_rankings_page_has_a_funnel_plot_and_table_per_component(client, published):  # noqa: F811
    body = client.get("/rankings/2025-H1/", **EN).content.decode()
    run = published.h1
    for key in ("v", "t", "h"):
        assert f'id="funnel-{key}-title"' in body and f'id="funnel-data-{key}"' in body
        table = body[body.index(f'id="funnel-data-{key}"') :]
        table = table[: table.index("</table>")]
        with_responses = [r for r in run.departments.all() if getattr(r, f"{key}_n")]
        assert table.count('<th scope="row">') == len(with_responses)
    pool = run.city["t"]
    assert pool["n"] == sum(r.t_n for r in run.departments.all())


def test_the_why_page_says_how_sure_the_rank_is_and_where_it_stands(client, published):  # noqa: F811
    row = published.h1.departments.get(code="OWN")
    body = client.get("/rankings/2025-H1/departments/OWN/", **EN).content.decode()
    assert 'id="rank-interval"' in body
    assert f"between {row.rank_low} and {row.rank_high} in 90 of 100 draws" in body
    for key in ("v", "t", "h"):
        flag = row.breakdown["components"][key]["flag"]
        if flag is None:
            assert f'id="flag-{key}"' not in body
        else:
            assert f'id="flag-{key}"' in body
    assert "1000 times" in body


def test_a_run_from_before_intervals_shows_ranks_alone(client, published):  # noqa: F811
    published.h1.departments.update(rank_low=None, rank_high=None)
    body = client.get("/rankings/2025-H1/departments/OWN/", **EN).content.decode()
    assert 'id="rank-interval"' not in body
    assert 'class="rank-interval"' not in body


def test_the_review_page_marks_award_places_that_are_not_clearly_distinct(
    role_client,
    published,  # noqa: F811
):
    run = published.h1
    award_count = run.rules["award_count"]
    awarded = list(run.departments.filter(award=True).order_by("position"))
    assert awarded
    first, *others = awarded
    first.rank_high = award_count + 1
    first.save(update_fields=["rank_high"])
    for row in others:
        row.rank_high = award_count
        row.save(update_fields=["rank_high"])
    page = role_client(Role.MANAGER).get(f"/staff/rankings/2025-H1/runs/{run.number}/", **EN)
    body = page.content.decode()
    assert page.status_code == 200
    assert f'id="not-distinct-{first.code}"' in body
    for row in others:
        assert f'id="not-distinct-{row.code}"' not in body
    assert f'{first.rank} <span class="rank-interval"' in body


def test_the_published_page_links_its_package(client, published):  # noqa: F811
    body = client.get("/rankings/2025-H1/", **EN).content.decode()
    run = RankingRun.objects.get(period__code="2025-H1", status=RankingRun.Status.PUBLISHED)
    assert f'href="/rankings/2025-H1/runs/{run.number}/package.zip"' in body
    assert client.get(f"/rankings/2025-H1/runs/{run.number}/package.zip").status_code == 200


def test_individual_rankings_carry_intervals_for_ranked_officials_only(role_client, published):  # noqa: F811
    run = published.h1
    manager = role_client(Role.MANAGER)
    body = manager.get("/rankings/2025-H1/officials/", **EN).content.decode()
    for row in run.officials.all():
        if row.rank is None:
            assert row.rank_low is None and row.rank_high is None
        else:
            assert f'{row.rank} <span class="rank-interval"' in body
            assert f">({row.rank_low}-{row.rank_high})</span>" in body
    ranked = run.officials.filter(rank__isnull=False).first()
    page = manager.get(f"/rankings/2025-H1/officials/{ranked.employee_no}/", **EN)
    assert 'id="rank-interval"' in page.content.decode()


def test_the_review_page_times_the_intervals_apart(role_client, published):  # noqa: F811
    run = published.h1
    body = role_client(Role.MANAGER).get(f"/staff/rankings/2025-H1/runs/{run.number}/", **EN)
    assert "intervals" in run.timings
    assert "Rank intervals (bootstrap)" in body.content.decode()
    # The stored tallies are built in the job's own time, not in the intervals' time.
    assert "tallies" in run.timings
    assert "Tallying the responses" in body.content.decode()
