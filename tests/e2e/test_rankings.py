"""Publishing a ranking in the browser (SPEC section 5, "Computing and publishing"): a
manager creates the period, finds the nightly run still computing (the page follows it and
reloads itself when it ends), computes a run, reviews it, downloads it and publishes it;
then a resident, not logged in, sees the published department ranking at /rankings/.
Every page is checked with axe-core and must fit a 360 px screen.

Elements are found by id, so that the story does not hang on wording, which may or may
not be translated yet."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from scoring import exports, services
from scoring.models import Period, RankingRun
from tests.e2e.test_pages import check_page, log_in
from tests.scoring.staff_pages.helpers import import_city
from tests.surveys.test_queue import survey_defaults_ensure

pytestmark = pytest.mark.browser


@pytest.fixture
def city(site, manager, tmp_path):
    """The small city of the staff page tests, imported through the commands."""
    survey_defaults_ensure()
    import_city(tmp_path)


def test_a_manager_computes_reviews_and_publishes_and_residents_see_the_ranking(
    page: Page, site, city, manager
):
    log_in(page, site, manager.username)
    page.locator('main a[href="/staff/rankings/"]').first.click()
    page.wait_for_url(f"{site}/staff/rankings/")
    check_page(page)

    # The period, created with the form: a standard code takes its dates by itself.
    form = page.locator("#period-create")
    form.locator("#id_code").fill("2025-H1")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{site}/staff/rankings/2025-H1/")
    period = Period.objects.get(code="2025-H1")
    expect(page.locator("#period-facts")).to_contain_text("2025-01-01 – 2025-06-30")
    check_page(page)

    # The nightly run is computing: the page shows its progress, and a second run is refused.
    nightly = services.run_request(period=period, trigger=RankingRun.Trigger.NIGHTLY, send=False)
    RankingRun.objects.filter(pk=nightly.pk).update(
        status=RankingRun.Status.RUNNING, progress=40, stage="computing"
    )
    page.reload()
    expect(page.locator("#run-progress-bar")).to_have_attribute("value", "40")
    check_page(page)
    page.locator("#compute-button").click()
    page.wait_for_url(f"{site}/staff/rankings/2025-H1/")
    expect(page.locator(".message-error")).to_be_visible()
    assert RankingRun.objects.count() == 1

    # Its worker dies and the run is marked failed: the page notices and reloads itself.
    services.run_fail(nightly, "The worker stopped while computing this run.")
    expect(page.locator("#run-progress")).to_have_count(0, timeout=15_000)
    expect(page.locator("#run-1")).to_contain_text("The worker stopped while computing this run.")

    # Compute now: without a worker the run is computed at once and opens for review.
    page.locator("#compute-button").click()
    page.wait_for_url(f"{site}/staff/rankings/2025-H1/runs/2/")
    run = RankingRun.objects.get(number=2)
    assert run.status == RankingRun.Status.COMPLETED
    expect(page.locator("#no-baseline")).to_be_visible()
    departments = list(run.departments.order_by("position"))
    rows = page.locator("#department-table tbody tr")
    expect(rows).to_have_count(len(departments))
    for row, department in zip(rows.all(), departments, strict=True):
        expect(row).to_have_id(f"department-{department.code}")
        expect(row.locator("td.score")).to_have_text(str(department.score))
    expect(page.locator("#official-table tbody tr")).to_have_count(run.officials.count())
    check_page(page)

    # The whole run as a file, the same as the command writes.
    with page.expect_download() as download:
        page.locator('a[href="/staff/rankings/2025-H1/runs/2/export.csv"]').click()
    with open(download.value.path(), encoding="utf-8") as f:
        assert f.read() == exports.to_csv(run)

    # Publish, with the confirmation.
    page.locator("#id_confirm").check()
    page.locator("#publish-button").click()
    page.wait_for_url(f"{site}/staff/rankings/2025-H1/runs/2/")
    expect(page.locator("#publish-form")).to_have_count(0)
    expect(page.locator(".message-success")).to_be_visible()
    run.refresh_from_db()
    assert run.status == RankingRun.Status.PUBLISHED
    check_page(page)

    # A resident, not logged in, sees the published department ranking.
    with page.expect_navigation():
        page.locator(".logout-form button[type=submit]").click()
    page.goto(f"{site}/rankings/")
    ranking = page.locator("#ranking-table tbody tr")
    expect(ranking).to_have_count(len(departments))
    for row, department in zip(ranking.all(), departments, strict=True):
        expect(row.locator("th")).to_contain_text(department.name)
        expect(row.locator("td").nth(0)).to_have_text(
            f"{department.rank} ({department.rank_low}-{department.rank_high})"
        )
        expect(row.locator("td").nth(2)).to_have_text(str(department.score))
    expect(page.locator("main")).to_contain_text("2025-H1")
    assert not re.search(r"S0000\d", page.locator("main").inner_text())  # no individuals
    check_page(page)


@pytest.mark.parametrize("width", [360, 1366])
def test_the_rankings_and_why_this_score_pages_say_how_sure_each_rank_is(
    page: Page, site, city, manager, width
):
    """A resident reads the intervals, the funnel plots and the why-this-score page, on a
    phone and on a desktop screen; axe-core finds nothing serious on either."""
    period = services.period_create(code="2025-H1")
    run = services.run_request(period=period, trigger=RankingRun.Trigger.COMMAND, send=False)
    run = services.run_publish(run=services.run_execute(run.pk), user=manager)
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(f"{site}/rankings/2025-H1/")
    first = run.departments.order_by("position").first()
    expect(page.locator("#ranking-table tbody tr").first.locator("td").nth(0)).to_have_text(
        f"{first.rank} ({first.rank_low}-{first.rank_high})"
    )
    for key in ("v", "t", "h"):
        expect(page.locator(f"#funnel-section-{key} svg")).to_be_visible()
        expect(page.locator(f"#funnel-data-{key} tbody tr")).to_have_count(
            run.departments.filter(**{f"{key}_n__gt": 0}).count()
        )
    expect(page.locator("#package-link")).to_be_visible()
    # Rank, department and score in view without sideways scrolling; the rest per row.
    top = page.locator("#ranking-table tbody tr").first
    score = top.locator("td.score")
    expect(score).to_have_text(str(first.score))
    page.locator('#rankings-sections a[href="#city-heading"]').click()
    expect(score).to_be_in_viewport()
    box = score.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    # The city table itself fits its box: nothing to scroll sideways.
    assert page.eval_on_selector(
        "#ranking-table", "t => t.parentElement.scrollWidth <= t.parentElement.clientWidth"
    )
    more = top.locator("details.row-more")
    if width == 360:
        expect(more).to_be_visible()
        more.locator("summary").click()
        expect(more.locator("dl")).to_contain_text(first.bureau_name)
        expect(top.locator("td").nth(1)).to_be_hidden()  # the bureau column
    else:
        expect(more).to_be_hidden()
        expect(top.locator("td").nth(1)).to_have_text(first.bureau_name)
    # Every section is a jump away.
    links = page.locator("#rankings-sections a")
    expect(links).to_have_count(7)
    for link in links.all():
        target = link.get_attribute("href")
        expect(page.locator(target)).to_have_count(1)
    page.locator('#rankings-sections a[href="#history-heading"]').click()
    expect(page.locator("#history-heading")).to_be_in_viewport()
    check_page(page)

    page.locator(f'#ranking-table a[href^="/rankings/2025-H1/departments/{first.code}/"]').click()
    page.wait_for_url(f"{site}/rankings/2025-H1/departments/{first.code}/")
    expect(page.locator("#rank-interval")).to_contain_text(f"{first.rank_low}-{first.rank_high}")
    for key in ("v", "t", "h"):
        if first.breakdown["components"][key].get("flag"):
            expect(page.locator(f"#flag-{key}")).to_be_visible()
    check_page(page)
