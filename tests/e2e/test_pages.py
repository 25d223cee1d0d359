"""What a person does in the browser: a resident reads the home page (in Korean, or in
English after switching), a manager logs in and imports a roster. Every page visited is
checked with axe-core (no serious or critical violation) and must fit a 360 px screen."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from kindness.models import ImportBatch, Official
from tests.e2e.conftest import PASSWORD

pytestmark = pytest.mark.browser

ROSTER = (
    "employee_no,name,bureau,department_code,department,team,position,employment_type,phone,active\n"
    "B00001,박친절,시민소통국,B01,민원봉사과,민원1팀,주무관,regular,052-000-1001,Y\n"
    "B00002,최상냥,시민소통국,B01,민원봉사과,민원2팀,팀장,fixed-term,052-000-1002,Y\n"
    "B00003,정다정,시민소통국,B02,시민소통과,,주무관,support,052-000-1003,Y\n"
).encode()

SPEC_LINKS = ["/reports/new/", "/reports/track/", "/praise/", "/rankings/"]


def ko(text: str) -> str:
    """The Korean the page must show for an English source string (and it is translated)."""
    with translation.override("ko"):
        korean = gettext(text)
    assert korean != text, f"no Korean translation for {text!r}"
    return korean


def assert_accessible(page: Page) -> None:
    """axe-core on the page as it is: no serious or critical violation."""
    violations = Axe().run(page).response["violations"]
    for v in violations:
        print(f"axe {v['impact']}: {v['id']} on {page.url}: {v['help']}")
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} {v['helpUrl']}\n"
        + "\n".join(f"    {n['target']}: {n['html'][:200]}" for n in v["nodes"])
        for v in bad
    )
    assert not bad, f"axe found on {page.url}:\n{report}"


def assert_fits_screen(page: Page) -> None:
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways: {scroll_width}px > {width}px"


def check_page(page: Page) -> None:
    assert_accessible(page)
    assert_fits_screen(page)


def log_in(page: Page, site: str, username: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.get_by_label(ko("Username")).fill(username)
    page.get_by_label(ko("Password")).fill(PASSWORD)
    page.locator("main").get_by_role("button", name=ko("Log in")).click()
    page.wait_for_url(f"{site}/staff/")


def test_home_page_is_in_korean_with_the_programme_links(page: Page, site):
    page.goto(f"{site}/")

    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        ko("A kinder city hall, measured and shared")
    )
    main = page.locator("main")
    for path in SPEC_LINKS:
        expect(main.locator(f'a[href^="{path}"]').first).to_be_visible()
    expect(main.locator('a[href="/reports/new/?kind=praise"]')).to_have_text(
        ko("Praise an official")
    )
    expect(main.locator('a[href="/reports/new/?kind=unkind"]')).to_have_text(
        ko("Report unkindness")
    )
    check_page(page)


def test_the_first_tab_reaches_the_skip_link_to_the_content(page: Page, site):
    page.goto(f"{site}/")

    page.keyboard.press("Tab")

    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_switching_to_english_shows_english_and_persists_on_the_next_page(page: Page, site):
    page.goto(f"{site}/")

    page.get_by_label(ko("Language")).select_option("en")
    page.locator(".lang-form").get_by_role("button", name=ko("Change")).click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "A kinder city hall, measured and shared"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Staff login").click()

    page.wait_for_url(f"{site}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff login")
    expect(page.get_by_label("Language")).to_have_value("en")


def test_login_page_is_accessible(page: Page, site):
    page.goto(f"{site}/accounts/login/")

    expect(page.get_by_role("heading", level=1)).to_have_text(ko("Staff login"))
    check_page(page)


def test_a_wrong_password_gives_an_accessible_error(page: Page, site, manager):
    page.goto(f"{site}/accounts/login/")
    page.get_by_label(ko("Username")).fill(manager.username)
    page.get_by_label(ko("Password")).fill("not the password")
    page.locator("main").get_by_role("button", name=ko("Log in")).click()

    expect(page.get_by_role("alert")).to_be_visible()
    assert page.url == f"{site}/accounts/login/"
    check_page(page)


def test_a_manager_logs_in_and_sees_the_staff_home_with_imports(page: Page, site, manager):
    log_in(page, site, manager.username)

    expect(page.get_by_role("heading", level=1)).to_have_text(ko("Staff home"))
    expect(page.get_by_role("heading", name=ko("Manager"))).to_be_visible()
    imports = page.locator("main").get_by_role("link", name=ko("Imports"))
    expect(imports).to_have_attribute("href", "/staff/imports/")
    check_page(page)

    imports.click()

    page.wait_for_url(f"{site}/staff/imports/")
    expect(page.get_by_role("heading", level=1)).to_have_text(ko("Imports"))
    check_page(page)


def test_a_manager_uploads_a_roster_checks_the_preview_and_imports_it(page: Page, site, manager):
    log_in(page, site, manager.username)
    page.goto(f"{site}/staff/imports/")

    page.get_by_label(ko("What the file holds")).select_option("roster")
    page.get_by_label(ko("File"), exact=True).set_input_files(
        files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": ROSTER}]
    )
    page.get_by_role("button", name=ko("Check the file")).click()

    page.wait_for_url(re.compile(rf"{re.escape(site)}/staff/imports/\d+/$"))
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(ko("Validated, awaiting confirmation"))
    summary = page.locator('section[aria-labelledby="summary-heading"]')
    expect(summary.get_by_role("heading")).to_have_text(ko("What the import will do"))
    expect(summary.get_by_role("row", name=ko("new rows")).locator("td")).to_have_text("3")
    expect(summary.get_by_role("row", name=ko("new departments")).locator("td")).to_have_text("2")
    check_page(page)
    assert not Official.objects.filter(employee_no__startswith="B0000").exists()

    page.get_by_role("button", name=ko("Import these rows")).click()

    expect(page.locator(".messages")).to_contain_text(ko("The file was imported."))
    expect(facts).to_contain_text(ko("Imported"))
    expect(summary.get_by_role("heading")).to_have_text(ko("What the import did"))
    check_page(page)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.APPLIED
    assert Official.objects.filter(employee_no__startswith="B0000").count() == 3


def test_an_upload_without_a_file_shows_an_accessible_field_error(page: Page, site, manager):
    log_in(page, site, manager.username)
    page.goto(f"{site}/staff/imports/")
    page.get_by_label(ko("What the file holds")).select_option("roster")

    page.get_by_role("button", name=ko("Check the file")).click()

    file_input = page.get_by_label(ko("File"), exact=True)
    expect(file_input).to_have_attribute("aria-invalid", "true")
    # The help text and the error are read out with the field.
    described_by = file_input.get_attribute("aria-describedby").split()
    assert len(described_by) == 2
    for element_id in described_by:
        expect(page.locator(f"#{element_id}")).to_be_visible()
    # The error is in the summary at the top, which has the focus (issue 15 item 1), and
    # beside the field.
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    for alert in (summary, page.locator("#id_file_error")):
        expect(alert).to_contain_text(ko("This field is required."))
    check_page(page)
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_public_pages_fit_a_360_pixel_screen(page: Page, site, path):
    page.goto(f"{site}{path}")

    assert page.viewport_size["width"] == 360
    assert_fits_screen(page)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_open311_developer_page_is_accessible_and_fits_a_phone(page: Page, site, language):
    page.set_extra_http_headers({"Accept-Language": language})
    page.goto(f"{site}/open311/")

    expect(page.locator("h1")).to_contain_text("Open311")
    check_page(page)
    assert_fits_screen(page)
