"""Public rankings pages kept rendered (scoring.views.public.RANKINGS_PAGES, in Django's cache): one query while nothing
is published, and never out of date: a publication shows at once on every page, and what a
visitor may see (language, the individual rankings link) is kept apart."""

from __future__ import annotations

import datetime

import pytest

from kindness.fragments import fragments_clear
from kindness.roles import Role
from scoring.models import RankingRun
from tests.conftest import kept_count
from tests.scoring.public_pages.conftest import city, published  # noqa: F401 - fixtures
from tests.scoring.public_pages.helpers import EN, compute, publish, visit


@pytest.fixture
def ranked(published):  # noqa: F811 - the fixture imported above
    """The small city of the public pages' tests, both half-years computed and published."""
    return published


@pytest.fixture(autouse=True)
def _nothing_kept():
    fragments_clear()
    yield
    fragments_clear()


@pytest.mark.parametrize("path", ["/rankings/", "/rankings/2025-H1/", "/rankings/2025-H2/?run=1"])
def test_a_kept_rankings_page_asks_the_database_once(
    client, ranked, django_assert_num_queries, path
):
    first = client.get(path, **EN)
    with django_assert_num_queries(1):  # what has been published since
        again = client.get(path, **EN)
    assert again.status_code == first.status_code == 200
    assert again.content.count(b"<tr>") == first.content.count(b"<tr>") > 0


def test_a_publication_shows_at_once_on_pages_kept_before_it(client, ranked):
    before = client.get("/rankings/", **EN).content.decode()
    h1_before = client.get("/rankings/2025-H1/", **EN).content.decode()
    assert "(run #1)" in before

    visit(ranked.own, datetime.date(2025, 9, 20), 100)
    republished = publish(compute("2025-H2"))
    own = republished.departments.get(code="OWN")
    assert own.score != ranked.h2.departments.get(code="OWN").score

    after = client.get("/rankings/", **EN).content.decode()
    assert "(run #2)" in after and "It replaces 1 earlier publication" in after
    assert f"<strong>{own.score}</strong>" in after
    # Another period's page: its trend and navigation follow the publication too.
    h1_after = client.get("/rankings/2025-H1/", **EN).content.decode()
    assert h1_after != h1_before
    assert f'<td class="num">{own.score}</td>' in h1_after
    superseded = client.get("/rankings/2025-H2/?run=1", **EN).content.decode()
    assert "This is run #1" in superseded and "superseded" in superseded


def test_kept_pages_are_kept_apart_by_language_and_by_who_may_see_more(client, ranked, make_user):
    officials = "/rankings/2025-H2/officials/"
    english = client.get("/rankings/", **EN).content.decode()
    korean = client.get("/rankings/").content.decode()
    assert "City-wide ranking" in english and "City-wide ranking" not in korean
    assert officials not in english

    client.force_login(make_user(Role.MANAGER))
    assert officials in client.get("/rankings/", **EN).content.decode()
    client.logout()
    assert officials not in client.get("/rankings/", **EN).content.decode()


def test_a_run_not_yet_published_is_never_kept(client, ranked, make_user):
    client.force_login(make_user(Role.MANAGER))
    client.get("/rankings/", **EN)
    kept = kept_count("rankings")
    run = compute("2025-H2")
    assert run.status == RankingRun.Status.COMPLETED
    page = client.get(f"/rankings/2025-H2/?run={run.number}", **EN).content.decode()
    assert f"Run #{run.number} is not published" in page
    assert kept_count("rankings") == kept
