"""Staff pages on a 1366 px screen (issue 15 items 6 and 9): the import form names a file of
another kind; wide tables keep codes, dates and names on one line, pin their first column
and scroll by keyboard. axe-core runs on every page visited."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from kindness.models import ImportBatch
from tests.e2e.test_pages import ROSTER, assert_accessible, ko, log_in

pytestmark = pytest.mark.browser

WIDE = {"width": 1366, "height": 900}


@pytest.fixture
def wide(page: Page) -> Page:
    page.set_viewport_size(WIDE)
    return page


def test_a_roster_uploaded_as_another_kind_is_named_a_roster_and_nothing_is_stored(
    wide: Page, site, manager
):
    page = wide
    log_in(page, site, manager.username)
    page.goto(f"{site}/staff/imports/")
    kind = page.get_by_label(ko("What the file holds"))
    expect(kind).to_have_value("")  # nothing preselected

    kind.select_option("petitions")
    page.get_by_label(ko("File"), exact=True).set_input_files(
        files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": ROSTER}]
    )
    page.get_by_role("button", name=ko("Check the file")).click()

    expect(kind).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert").first).to_contain_text(
        ko("Roster (organisation and officials)")
    )
    assert_accessible(page)
    assert not ImportBatch.objects.exists()

    kind.select_option("roster")
    page.get_by_label(ko("File"), exact=True).set_input_files(
        files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": ROSTER}]
    )
    page.get_by_role("button", name=ko("Check the file")).click()
    page.wait_for_url(re.compile(rf"{re.escape(site)}/staff/imports/\d+/$"))
    changes = page.get_by_role("region", name=ko("Rows the import will create or change"))
    expect(changes.locator("tbody tr")).to_have_count(
        3 + 1 + 2 + 2
    )  # officials, bureau, departments, teams
    assert_accessible(page)
