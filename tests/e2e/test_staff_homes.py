"""Each staff role's home on a 1366 px screen (issue 15 item 3): what waits for the role,
with counts, and every count a link to a list filtered to exactly that many rows; the heads
also see their department's (or bureau's) latest published rank with a link to "why this
score". In Korean; axe-core on every page visited."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import Page, expect

from complaints.models import Report, ReportEvent
from kindness.models import ImportBatch, Official
from kindness.roles import Role
from scoring import services as scoring_services
from scoring.models import RankingRun
from surveys.models import HappyCall
from tests.e2e.test_pages import assert_accessible, ko, log_in
from tests.factories import ReportFactory, UserFactory
from tests.programme.consultations.helpers import submit
from tests.scoring.staff_pages.helpers import import_city
from tests.surveys.test_queue import make_petition, survey_defaults_ensure

pytestmark = pytest.mark.browser

WIDE = {"width": 1366, "height": 900}
Status = Report.Status
ROW = ":not(:has(td[colspan]))"  # a table's "nothing here" row is not a row of the list
# The rows of each list a count links to, by the list's path.
ROWS = {
    "/staff/reports/": f"main table tbody tr{ROW}",
    "/staff/calls/": "main ol.queue-list > li",
    "/staff/calls/list/": f"#call-list tbody tr{ROW}",
    "/staff/survey-links/letters/": "main li.letter-insert",
    "/staff/encouragement/": "main ul.card-list > li.card",
    "/staff/rankings/": f"#runs-to-review tbody tr{ROW}, #periods tbody tr{ROW}",
    "/staff/imports/": f"main table tbody tr{ROW}",
    "/staff/consultations/": f"main table tbody tr{ROW}",
}


def shot(page: Page, name: str) -> None:
    """A screenshot for a person to look at, when SHOTS names a directory (never the
    repository)."""
    if directory := os.environ.get("SHOTS"):
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{directory}/{name}.png", full_page=True)


def shots(page: Page, name: str) -> None:
    """Screenshots at the page's width and on a 360 px phone (SHOTS set), the page left at
    its width."""
    if os.environ.get("SHOTS"):
        size = page.viewport_size
        shot(page, f"{name}-{size['width']}")
        page.set_viewport_size({"width": 360, "height": 740})
        shot(page, f"{name}-360")
        page.set_viewport_size(size)


def user_with(role: str, username: str, official: Official | None = None):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=role))
    if official is not None:
        official.user = user
        official.save(update_fields=["user"])
    return user


def counted_work(page: Page, role: str) -> dict[str, tuple[str, int, str]]:
    """The counted entries of a role's section: key -> (link, count, label)."""
    section = page.locator(f'section[data-role="{role}"]')
    expect(section.get_by_role("heading", name=ko("Waiting for you"))).to_be_visible()
    found = {}
    for item in section.locator("ul.staff-work > li:has(strong.count)").all():
        link = item.locator("a")
        label = link.inner_text().rsplit("\n", 1)[0]
        count = int(item.locator("strong.count").inner_text())
        found[item.get_attribute("data-key")] = (link.get_attribute("href"), count, label)
    return found


def follow_every_count(page: Page, site: str, role: str, expected: dict[str, int]) -> None:
    """The home shows the expected counts; each link opens a list of exactly that many rows,
    marked as filtered."""
    page.goto(f"{site}/staff/")
    work = counted_work(page, role)
    assert {key: n for key, (_href, n, _label) in work.items() if key in expected} == expected
    assert_accessible(page)
    shots(page, f"home-{role}")
    for key, (href, count, label) in work.items():
        page.goto(f"{site}/staff/")
        page.locator(f'section[data-role="{role}"] li[data-key="{key}"] a').click()
        page.wait_for_url(f"{site}{href}")
        path = href.split("?")[0]
        expect(page.locator(ROWS[path])).to_have_count(count)
        if "?" in href:  # the page says which rows it shows
            current = page.locator(
                "#active-filter, nav [aria-current=page], caption, select option:checked"
            )
            assert current.count() > 0, href
        assert_accessible(page)
        shots(page, f"list-{key}")


@pytest.fixture
def wide(page: Page) -> Page:
    page.set_viewport_size(WIDE)
    return page


@pytest.fixture
def city(site, tmp_path):
    """Three departments in two bureaus (S01 and S02 in 시민국, S03 in 경제국), ranked and
    published for 2025-H1."""
    survey_defaults_ensure()
    import_city(tmp_path)
    period = scoring_services.period_create(code="2025-H1")
    run = scoring_services.run_request(
        period=period, trigger=RankingRun.Trigger.COMMAND, send=False
    )
    publisher = user_with(Role.MANAGER, "publisher")
    return scoring_services.run_publish(run=scoring_services.run_execute(run.pk), user=publisher)


def test_report_officer_home_counts_link_to_lists_of_that_many_reports(wide: Page, site):
    officer = user_with(Role.REPORT_OFFICER, "officer1")
    today = timezone.localdate()
    ReportFactory.create_batch(2, status=Status.RECEIVED)
    ReportFactory(status=Status.UNDER_REVIEW, handler=officer)
    answered = ReportFactory(status=Status.UNDER_REVIEW)
    ReportEvent.objects.create(report=answered, action=ReportEvent.Action.REPLY, note="소명")
    ReportFactory(
        status=Status.SUBSTANTIATED,
        handler=officer,
        measure_due_on=today - dt.timedelta(days=1),
        decided_on=today - dt.timedelta(days=8),
    )
    ReportFactory(status=Status.CLOSED, handler=officer)
    submit()  # a consultation request waiting

    log_in(wide, site, officer.username)
    follow_every_count(
        wide,
        site,
        Role.REPORT_OFFICER,
        {
            "complaints.new": 2,
            "complaints.mine": 2,
            "complaints.awaiting-reply": 1,
            "complaints.overdue": 1,
            "programme.consultations-waiting": 1,
        },
    )


def test_department_head_home_counts_and_their_departments_published_rank(wide: Page, site, city):
    own = Official.objects.get(employee_no="S00001")  # 민원과 (S01)
    head = user_with(Role.DEPARTMENT_HEAD, "head1", own)
    late = timezone.localdate() - dt.timedelta(days=2)
    for department in (
        own.department,
        own.department,
        Official.objects.get(employee_no="S00005").department,
    ):
        ReportFactory(
            status=Status.SUBSTANTIATED,
            department=department,
            decided_department=department,
            measure_due_on=late,
        )

    log_in(wide, site, head.username)
    follow_every_count(
        wide,
        site,
        Role.DEPARTMENT_HEAD,
        {"complaints.head-overdue": 2, "complaints.head-action": 2},
    )

    # The department's latest published rank and score, linking to "why this score".
    row = city.departments.get(code="S01")
    ranked = city.departments.filter(rank__isnull=False).count()
    wide.goto(f"{site}/staff/")
    figure = wide.locator('li[data-key="scoring.department-rank"]')
    expect(figure).to_contain_text(f"{row.name} (2025-H1)")
    why = figure.get_by_role("link")
    expect(why).to_have_count(1)  # their department only
    expect(why).to_have_text(
        ko("rank %(rank)s of %(n)s · score %(score)s")
        % {"rank": row.rank, "n": ranked, "score": row.score}
    )
    why.click()
    wide.wait_for_url(f"{site}/rankings/2025-H1/departments/S01/")
    expect(wide.locator("h1")).to_contain_text(row.name)
    assert_accessible(wide)


def test_bureau_head_home_counts_encouragement_due_and_the_bureaus_ranks(wide: Page, site, city):
    own = Official.objects.get(employee_no="S00003")  # 소통과 (S02), 시민국
    head = user_with(Role.BUREAU_HEAD, "bureau1", own)
    today = timezone.localdate()
    praised = Official.objects.get(employee_no="S00002")  # 민원과, the same bureau
    elsewhere = Official.objects.get(employee_no="S00006")  # 경제국
    for official in (praised, praised, elsewhere, elsewhere):
        ReportFactory(
            kind=Report.Kind.PRAISE,
            status=Status.VERIFIED,
            official=official,
            department=official.department,
            decided_on=today,
        )

    log_in(wide, site, head.username)
    follow_every_count(wide, site, Role.BUREAU_HEAD, {"complaints.encouragement-due": 1})
    expect(wide.locator("main ul.card-list > li.card h3")).to_contain_text(praised.name)

    wide.goto(f"{site}/staff/")
    figures = wide.locator('li[data-key="scoring.bureau-ranks"] li')
    expect(figures).to_have_count(2)  # 민원과 and 소통과, not 경제과
    for code in ("S01", "S02"):
        row = city.departments.get(code=code)
        expect(wide.locator(f'a[href="/rankings/2025-H1/departments/{code}/"]')).to_be_visible()
        expect(figures.filter(has_text=row.name)).to_contain_text(str(row.score))
    expect(wide.locator('a[href="/rankings/2025-H1/departments/S03/"]')).to_have_count(0)


def test_happy_call_home_counts_queue_done_today_and_backlog(wide: Page, site):
    survey_defaults_ensure()
    caller = user_with(Role.HAPPY_CALL, "caller1")
    other = user_with(Role.HAPPY_CALL, "caller2")
    today = timezone.localdate()
    for assigned, queued_on in [
        (caller, today),
        (caller, today - dt.timedelta(days=2)),
        (other, today - dt.timedelta(days=3)),
        (None, today - dt.timedelta(days=1)),
    ]:
        petition = make_petition()
        HappyCall.objects.create(
            petition=petition,
            department=petition.department,
            assigned_to=assigned,
            queued_on=queued_on,
        )
    for by in (caller, other):
        petition = make_petition()
        HappyCall.objects.create(
            petition=petition,
            department=petition.department,
            status=HappyCall.Status.COMPLETED,
            answered_by=by,
            answered_on=today,
            queued_on=today,
        )

    log_in(wide, site, caller.username)
    follow_every_count(
        wide,
        site,
        Role.HAPPY_CALL,
        {"surveys.my-queue": 2, "surveys.done-today": 1, "surveys.backlog": 3},
    )
    # The backlog list says what it is, and names no petitioner.
    wide.goto(f"{site}/staff/calls/list/?show=backlog")
    expect(wide.locator("h1")).to_have_text(ko("Backlog: calls queued before today"))
    expect(wide.locator("nav.inbox-views [aria-current=page]")).to_have_text(
        ko("Backlog: calls queued before today")
    )
    names = HappyCall.objects.values_list("petition__petitioner_name", flat=True)
    text = wide.locator("main").inner_text()
    assert not [name for name in names if name and name in text]
    # English spot check.
    wide.get_by_label(ko("Language")).select_option("en")
    wide.locator(".lang-form").get_by_role("button", name=ko("Change")).click()
    expect(wide.locator("html")).to_have_attribute("lang", "en")
    wide.goto(f"{site}/staff/calls/list/?show=done_today")
    expect(wide.locator("h1")).to_have_text("Calls I completed today")
    expect(wide.locator("#calls-caption")).to_contain_text("1 call")
    expect(wide.locator(ROWS["/staff/calls/list/"])).to_have_count(1)
    assert_accessible(wide)


def test_manager_home_counts_runs_to_review_open_periods_imports_and_consultations(
    wide: Page, site, manager
):
    first = scoring_services.period_create(code="2025-H1")
    scoring_services.period_create(code="2025-H2")
    closed = scoring_services.period_create(code="2024-H2")
    type(closed).objects.filter(pk=closed.pk).update(closed=True)
    for number in (1, 2):
        RankingRun.objects.create(
            period=first,
            number=number,
            status=RankingRun.Status.COMPLETED,
            trigger=RankingRun.Trigger.COMMAND,
            rule_set=first.rule_set,
            finished_at=timezone.now(),
        )
    for status in (ImportBatch.Status.INVALID, ImportBatch.Status.APPLIED):
        ImportBatch.objects.create(
            kind="roster", filename=f"{status}.csv", content=b"", status=status, uploaded_by=manager
        )
    submit()
    submit()

    log_in(wide, site, manager.username)
    follow_every_count(
        wide,
        site,
        Role.MANAGER,
        {
            "scoring.runs-awaiting-review": 2,
            "scoring.open-periods": 2,
            "kindness.failed-imports": 1,
            "programme.consultations-waiting": 2,
        },
    )
    # The filtered period list names its filter and leads back to every period.
    wide.goto(f"{site}/staff/rankings/?show=open")
    notice = wide.locator("#active-filter")
    expect(notice).to_contain_text(ko("Open evaluation periods"))
    expect(wide.locator("#period-2024-H2")).to_have_count(0)
    notice.get_by_role("link", name=ko("Show every period")).click()
    wide.wait_for_url(f"{site}/staff/rankings/")
    expect(wide.locator("#periods tbody tr")).to_have_count(3)
    wide.goto(f"{site}/staff/rankings/?show=review")
    expect(wide.locator("#active-filter")).to_contain_text(ko("Ranking runs awaiting review"))
    wide.locator('#runs-to-review a[href="/staff/rankings/2025-H1/runs/2/"]').click()
    wide.wait_for_url(f"{site}/staff/rankings/2025-H1/runs/2/")


def test_auditor_home_shows_recent_publications_and_decisions(wide: Page, site, city):
    auditor = user_with(Role.AUDITOR, "auditor1")
    ReportFactory(status=Status.SUBSTANTIATED, decided_on=timezone.localdate())

    log_in(wide, site, auditor.username)
    work = counted_work(wide, Role.AUDITOR)
    assert work["complaints.decided"][1] >= 1
    follow_every_count(wide, site, Role.AUDITOR, {})
    wide.goto(f"{site}/staff/")
    publication = wide.locator('li[data-key="scoring.recent-publications"]')
    expect(
        publication.get_by_role("link", name=re.compile(r"\d{4}-\d{2}-\d{2}"))
    ).to_have_attribute("href", "/rankings/2025-H1/")
    expect(publication).to_contain_text("2025-H1")
