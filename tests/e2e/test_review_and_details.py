"""Staff pages on a 1366 px screen, in Korean, axe-core on every page visited:

- the review of a ranking run (issue 15 item 8): the changed rows by default, biggest change
  first, rank moves marked apart from score changes, every row on request, officials paged;
- the small things of item 10: rule sets newest first; no Korean particle after a number or
  a period code in a message; the department head's privacy note; the weekly chart spaced
  by real dates, a missing week visible; the apology-call form filled in with today and
  the signed-in head."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from complaints.models import Report
from kindness.roles import Role
from scoring import services as scoring_services
from scoring.models import RankingRun
from scoring.views.staff import runs as run_views
from surveys.models import CallAttempt, HappyCall
from tests.e2e.test_pages import assert_accessible, ko, log_in
from tests.e2e.test_staff_homes import WIDE, shots, user_with
from tests.factories import OfficialFactory, ReportFactory
from tests.scoring.staff_pages.helpers import MORE_VISITS, import_city, import_file
from tests.surveys.test_queue import make_petition, survey_defaults_ensure

pytestmark = pytest.mark.browser

# A particle written for either sound, as a translator writes it after a value they cannot
# see: "버전 2을(를)". Messages are phrased so that none is needed (tests/test_translations.py).
DUAL_PARTICLE = re.compile(
    r"을\(를\)|를\(을\)|이\(가\)|가\(이\)|은\(는\)|는\(은\)|과\(와\)|와\(과\)|\(으\)로"
)


def assert_no_dual_particle(page: Page) -> None:
    text = page.locator("body").inner_text()
    found = DUAL_PARTICLE.findall(text)
    assert not found, f"{page.url} shows {found}"


def check(page: Page, name: str) -> None:
    assert_accessible(page)
    assert_no_dual_particle(page)
    shots(page, name)


@pytest.fixture
def wide(page: Page) -> Page:
    page.set_viewport_size(WIDE)
    return page


@pytest.fixture
def published(site, tmp_path, manager):
    """The small city ranked and published for 2025-H1 (run #1)."""
    survey_defaults_ensure()
    import_city(tmp_path)
    period = scoring_services.period_create(code="2025-H1")
    run = scoring_services.run_request(
        period=period, trigger=RankingRun.Trigger.COMMAND, send=False
    )
    return scoring_services.run_publish(run=scoring_services.run_execute(run.pk), user=manager)


def expected_review_order(rows, baseline) -> list[str]:
    """The changed rows' keys, biggest change first: new rows and rank moves (largest first)
    before score changes alone (largest first), listing order among equals."""
    before = {r.code: r for r in baseline}
    changed = []
    for row in rows:
        old = before.get(row.code)
        move = None if old is None or old.rank is None or row.rank is None else old.rank - row.rank
        rank_changed = old is None or bool(move) or (old.rank is None) != (row.rank is None)
        delta = None if old is None else row.score - old.score
        if rank_changed or delta:
            changed.append(
                (
                    not rank_changed,
                    old is not None,
                    -abs(move or 0),
                    -abs(delta or 0),
                    row.position,
                    row.code,
                )
            )
    return [key[-1] for key in sorted(changed)]


def test_the_run_review_lists_changed_rows_biggest_first_and_every_row_on_request(
    wide: Page, site, published, manager, tmp_path, monkeypatch
):
    # Later visitor surveys lift the economy department (S03): a new run moves ranks.
    import_file(tmp_path, "import_visit_surveys", MORE_VISITS)
    period = published.period
    run = scoring_services.run_execute(
        scoring_services.run_request(
            period=period, trigger=RankingRun.Trigger.COMMAND, send=False
        ).pk
    )
    monkeypatch.setattr(run_views, "REVIEW_OFFICIALS_PER_PAGE", 2)  # paged at two rows
    log_in(wide, site, manager.username)
    wide.goto(f"{site}/staff/rankings/2025-H1/runs/{run.number}/")

    # By default: the changed departments only, biggest change first.
    order = expected_review_order(
        list(run.departments.order_by("position")), list(published.departments.all())
    )
    assert order and len(order) <= run.departments.count()
    rows = wide.locator("#department-table tbody tr")
    expect(rows).to_have_count(len(order))
    assert [r.get_attribute("id") for r in rows.all()] == [f"department-{c}" for c in order]
    expect(wide.locator("#review-rows")).to_contain_text(
        ko(
            "Only the rows that changed are listed, biggest change first; rank moves are marked in bold."
        )
    )
    # Rank moves are marked in bold, apart from score changes; none comes after a score change.
    kinds = ["rank" if row.locator("mark.rank-move").count() else "score" for row in rows.all()]
    assert "rank" in kinds and kinds == sorted(kinds)  # "rank" < "score"
    move = wide.locator("#department-table mark.rank-move strong").first
    assert int(move.evaluate("e => getComputedStyle(e).fontWeight")) >= 700
    s03 = run.departments.get(code="S03")
    old = published.departments.get(code="S03")
    expect(wide.locator("#department-S03 mark.rank-move")).to_contain_text(
        ko("up %(n)s from %(rank)s") % {"n": old.rank - s03.rank, "rank": old.rank}
    )
    for score_change in wide.locator("#department-table .score-change").all():
        assert int(score_change.evaluate("e => getComputedStyle(e).fontWeight")) < 700
    check(wide, "run-review-changed")

    # Every row on request, in rank order; officials paged.
    wide.locator("#show-all").click()
    wide.wait_for_url(re.compile(r".*\?show=all$"))
    codes = list(run.departments.order_by("position").values_list("code", flat=True))
    expect(rows).to_have_count(len(codes))
    assert [r.get_attribute("id") for r in rows.all()] == [f"department-{c}" for c in codes]
    officials = wide.locator("#official-table tbody tr")
    expect(officials).to_have_count(2)
    pages = wide.locator("#official-pages")
    expect(pages).to_contain_text(ko("Page %(number)s of %(pages)s") % {"number": 1, "pages": 3})
    check(wide, "run-review-all")
    first_page = [r.inner_text() for r in officials.all()]
    pages.get_by_role("link", name=ko("Next page")).click()
    wide.wait_for_url(re.compile(r".*\?show=all&page=2#officials-heading$"))
    expect(officials).to_have_count(2)
    assert [r.inner_text() for r in officials.all()] != first_page
    expect(rows).to_have_count(len(codes))  # still every department
    assert_accessible(wide)

    # English spot check.
    wide.get_by_label(ko("Language")).select_option("en")
    wide.locator(".lang-form").get_by_role("button", name=ko("Change")).click()
    wide.wait_for_load_state()
    wide.goto(f"{site}/staff/rankings/2025-H1/runs/{run.number}/")
    expect(wide.locator("#show-all")).to_have_text("Show every row")
    expect(wide.locator("html")).to_have_attribute("lang", "en")


def test_rule_sets_newest_first_and_messages_without_a_particle_after_a_number(
    wide: Page, site, manager
):
    log_in(wide, site, manager.username)
    wide.goto(f"{site}/staff/rankings/rule-sets/")
    for name in ("2차 기준", "3차 기준"):
        form = wide.locator("#rule-set-create")
        form.get_by_label(ko("Name"), exact=True).fill(name)
        form.locator("#rule-set-save").click()
        wide.wait_for_load_state()
        expect(wide.locator(".message-success")).to_be_visible()
        assert_no_dual_particle(wide)
    versions = [s.get_attribute("id") for s in wide.locator("section.card[id^=rule-set-]").all()]
    assert versions == ["rule-set-3", "rule-set-2", "rule-set-1"]
    check(wide, "rule-sets")

    # A period created, closed and reopened: each message names the code, no particle after it.
    wide.goto(f"{site}/staff/rankings/")
    wide.locator("#period-create #id_code").fill("2025-H2")
    wide.locator("#period-create button[type=submit]").click()
    wide.wait_for_url(f"{site}/staff/rankings/2025-H2/")
    message = wide.locator(".message-success")
    expect(message).to_contain_text("2025-H2")
    check(wide, "period-created")
    wide.goto(f"{site}/staff/rankings/")
    wide.locator("#period-create #id_code").fill("2025-H2")
    wide.locator("#period-create button[type=submit]").click()
    expect(wide.locator("#period-create [role=alert]")).to_contain_text("2025-H2")
    assert_no_dual_particle(wide)
    wide.goto(f"{site}/staff/rankings/9999-X9/")
    expect(wide.locator("main")).to_contain_text("9999-X9")
    check(wide, "period-not-found")


@pytest.fixture
def head_and_case(site):
    """A department head, and an unkindness case decided for their department whose measure
    is recorded: the apology call is due."""
    survey_defaults_ensure()
    official = OfficialFactory(employee_no="S00077", name="한결같")
    head = user_with(Role.DEPARTMENT_HEAD, "head1", official)
    today = timezone.localdate()
    report = ReportFactory(
        kind=Report.Kind.UNKIND,
        status=Report.Status.SUBSTANTIATED,
        department=official.department,
        decided_department=official.department,
        decided_on=today - dt.timedelta(days=10),
        measure_recorded_at=timezone.now() - dt.timedelta(days=2),
        apology_due_on=today + dt.timedelta(days=5),
        reporter_name="남궁민수",
        reporter_phone="010-1234-5678",
    )
    return head, official, report


def test_the_heads_privacy_note_and_the_apology_form_filled_in_with_today_and_the_head(
    wide: Page, site, head_and_case
):
    head, official, report = head_and_case
    log_in(wide, site, head.username)
    wide.goto(f"{site}/staff/reports/{report.receipt_no}/")

    # The contact is shown to the head for the apology call, and the note says so (not
    # "because you handle this case").
    main = wide.locator("main")
    expect(main).to_contain_text("010-1234-5678")
    expect(main).to_contain_text(
        ko(
            "Shown to you as head of the department this case was decided for: the apology "
            "call to the reporter is due by %(due)s. This view is written to the access log."
        )
        % {"due": report.apology_due_on.isoformat()}
    )
    expect(main).not_to_contain_text(
        ko("Shown to you because you act on this case. This view is written to the access log.")
    )
    # The apology call form: today, by the signed-in head as the roster names them.
    expect(wide.locator("#id_apology_called_on")).to_have_value(timezone.localdate().isoformat())
    expect(wide.locator("#id_apology_caller")).to_have_value(official.name)
    check(wide, "case-head-apology")


def test_the_weekly_trend_is_spaced_by_real_dates_and_shows_a_missing_week(
    wide: Page, site, manager
):
    survey_defaults_ensure()
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    # Calls three weeks ago, one week ago and this week; none two weeks ago.
    for weeks_ago in (3, 1, 0):
        day = monday - dt.timedelta(weeks=weeks_ago)
        petition = make_petition(days_ago=(today - day).days + 2)
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
        call = HappyCall.objects.create(
            petition=petition,
            department=petition.department,
            status=HappyCall.Status.COMPLETED,
            queued_on=day,
            closed_at=at,
            answered_on=day,
            answered_by=manager,
            response_score=80.0,
        )
        CallAttempt.objects.create(
            call=call, at=at, outcome=CallAttempt.Outcome.ANSWERED, by=manager
        )

    log_in(wide, site, manager.username)
    start = monday - dt.timedelta(weeks=3)
    wide.goto(f"{site}/staff/calls/dashboard/?start={start.isoformat()}&end={today.isoformat()}")
    chart = wide.locator("svg[aria-labelledby^='chart-trend-title']")
    expect(chart).to_be_visible()
    # Three weeks in the table, the missing one absent from it...
    weeks = [monday - dt.timedelta(weeks=n) for n in (3, 1, 0)]
    labels = [f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" for d in weeks]
    expect(wide.locator("[aria-labelledby='chart-trend-caption'] tbody tr")).to_have_count(3)
    for label in labels:
        expect(wide.locator("[aria-labelledby='chart-trend-caption']")).to_contain_text(label)
    # ...and in the drawing the first step (two weeks) is twice as wide as the next (one week),
    # and each line breaks over the missing week.
    xs = [
        float(x)
        for x in chart.locator("circle").evaluate_all("cs => cs.map(c => c.getAttribute('cx'))")
    ]
    first_series = sorted(set(xs[1:4]))  # the legend's marker first, then the points
    assert len(first_series) == 3, xs
    gap_2, gap_1 = first_series[1] - first_series[0], first_series[2] - first_series[1]
    assert gap_2 == pytest.approx(2 * gap_1, abs=0.5), (gap_2, gap_1)
    expect(chart.locator("polyline")).to_have_count(4)  # two series, each in two pieces
    check(wide, "dashboard-trend")
