"""What residents read on a 360 px phone, in Korean with an English spot check, axe-core on
every page visited:

- the rankings downloads (issue 15 item 12, SPEC section 5): the CSV and the Excel file in
  the page's language, department rows only, the CSV in UTF-8 with a byte-order mark; the
  "machine-readable" link gives the SPEC section 7 file;
- praise cards (item 15, SPEC section 3): each names the matched official, else a name
  staff approved, else the department alone; never the name the resident typed."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from complaints.models import Report
from scoring import exports
from scoring import services as scoring_services
from scoring.models import RankingRun
from tests.e2e.test_pages import check_page, ko
from tests.e2e.test_staff_homes import shot
from tests.factories import DepartmentFactory, OfficialFactory, ReportFactory
from tests.scoring.staff_pages.helpers import import_city
from tests.surveys.test_queue import survey_defaults_ensure

pytestmark = pytest.mark.browser

KOREAN_HEADER = ["순위", "실·국·본부 내 순위", "부서 코드", "부서", "실·국·본부", "점수"]
ENGLISH_HEADER = ["Rank", "Rank in bureau", "Department code", "Department", "Bureau", "Score"]


@pytest.fixture
def published(site, tmp_path, manager):
    survey_defaults_ensure()
    import_city(tmp_path)
    period = scoring_services.period_create(code="2025-H1")
    run = scoring_services.run_request(
        period=period, trigger=RankingRun.Trigger.COMMAND, send=False
    )
    return scoring_services.run_publish(run=scoring_services.run_execute(run.pk), user=manager)


def download(page: Page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.locator("main").get_by_role("link", name=link_name, exact=True).click()
    with open(info.value.path(), "rb") as f:
        return f.read()


def test_the_rankings_downloads_on_a_phone_are_in_the_pages_language_department_rows_only(
    page: Page, site, published
):
    run = published
    departments = list(run.departments.order_by("position"))
    page.goto(f"{site}/rankings/")
    assert page.viewport_size["width"] == 360
    check_page(page)
    shot(page, "rankings-360")

    # The CSV: UTF-8 with a byte-order mark, Korean titles, one row per department.
    data = download(page, ko("Download CSV"))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:6] == KOREAN_HEADER
    assert [row[2] for row in rows[1:]] == [d.code for d in departments]
    assert not any(row[2].startswith("S0000") for row in rows[1:])  # no official's row

    # The Excel file: the same table, titles in Korean.
    book = openpyxl.load_workbook(io.BytesIO(download(page, ko("Download Excel (XLSX)"))))
    sheet = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert sheet[0][:6] == KOREAN_HEADER
    assert [row[2] for row in sheet[1:]] == [d.code for d in departments]

    # The machine-readable link: the SPEC section 7 file, byte for byte.
    machine = download(page, ko("Machine-readable CSV"))
    assert machine.decode("utf-8") == exports.to_csv(run, officials=False)
    assert machine.decode("utf-8").startswith(",".join(exports.COLUMNS) + "\n")

    # English spot check: the page, and the files' titles, in English.
    page.get_by_label(ko("Language")).select_option("en")
    page.locator(".lang-form").get_by_role("button", name=ko("Change")).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"{site}/rankings/")
    rows = list(csv.reader(io.StringIO(download(page, "Download CSV").decode("utf-8-sig"))))
    assert rows[0][:6] == ENGLISH_HEADER
    assert len(rows) - 1 == len(departments)
    book = openpyxl.load_workbook(io.BytesIO(download(page, "Download Excel (XLSX)")))
    assert [c.value for c in book.active[1]][:6] == ENGLISH_HEADER
    check_page(page)
    shot(page, "rankings-en-360")


def test_praise_cards_on_a_phone_name_the_official_an_approved_name_or_the_department(
    page: Page, site
):
    today = timezone.localdate()
    matched_department = DepartmentFactory(name="민원봉사과")
    official = OfficialFactory(name="김친절", department=matched_department)
    approved_department = DepartmentFactory(name="도로관리과")
    plain_department = DepartmentFactory(name="세무과")
    shared = {"kind": Report.Kind.PRAISE, "status": Report.Status.SHARED, "decided_on": today}
    with_official = ReportFactory(
        **{**shared, "decided_on": today - dt.timedelta(days=2)},
        official=official,
        # The resident named someone else, and at first another department: the card
        # follows the matched official and the decision.
        official_name="박다른",
        department=DepartmentFactory(name="교통과"),
        decided_department=matched_department,
        public_text="친절하게 안내해 주셨습니다.",
    )
    with_approved_name = ReportFactory(
        **{**shared, "decided_on": today - dt.timedelta(days=1)},
        official=None,
        official_name="이름모를 주무관",
        board_name="도로관리과 이상냥 주무관",
        department=approved_department,
        decided_department=approved_department,
        public_text="빠르게 처리해 주셨습니다.",
    )
    department_only = ReportFactory(
        **shared,
        official=None,
        official_name="최아무개",
        board_name="",
        department=plain_department,
        decided_department=plain_department,
        public_text="세무과 직원분들께 감사드립니다.",
    )

    page.goto(f"{site}/praise/")
    assert page.viewport_size["width"] == 360

    def heading(report: Report):
        return page.locator(f"#praise-{report.pk}")

    expect(heading(with_official)).to_have_text("김친절 · 민원봉사과")
    expect(heading(with_approved_name)).to_have_text("도로관리과 이상냥 주무관 · 도로관리과")
    expect(heading(department_only)).to_have_text("세무과")
    board = page.locator("main").inner_text()
    for typed in ("박다른", "이름모를 주무관", "최아무개", "교통과"):
        assert typed not in board, typed
    # Each card fits the phone: its heading is not cut off.
    for report in (with_official, with_approved_name, department_only):
        box = heading(report).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    check_page(page)
    shot(page, "praise-360")

    page.set_viewport_size({"width": 1366, "height": 900})
    expect(heading(department_only)).to_have_text("세무과")
    shot(page, "praise-1366")
