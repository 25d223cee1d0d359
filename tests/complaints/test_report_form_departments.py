"""The report form's department list (SPEC section 3, Intake): every active department,
grouped by bureau, when the form is shown; a sent form's department is checked with one
query for it, not by loading the whole city's list, with the same answer as before for a
department that is not in the list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints.models import Report
from tests.complaints.public_pages.helpers import NEW, form_data
from tests.complaints.test_open311 import (  # noqa: F401 - api_key, department: fixtures
    api_key,
    department,
    error_list,
    post,
)
from tests.factories import BureauFactory, DepartmentFactory


@pytest.fixture
def departments(db):
    bureau = BureauFactory(name="시민소통국")
    return [DepartmentFactory(name=f"과 {i}", bureau=bureau) for i in range(30)]


def _bureau_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "kindness_bureau" in q["sql"]]


def test_a_sent_report_does_not_load_the_list_of_departments(client, departments):
    with CaptureQueriesContext(connection) as captured:
        response = client.post(NEW, form_data(departments[7]))
    assert response.status_code == 302
    assert Report.objects.get().department == departments[7]
    # The list joins each department's bureau; the check of the one sent does not.
    assert _bureau_queries(captured) == []
    department_queries = [q for q in captured.captured_queries if "kindness_department" in q["sql"]]
    assert len(department_queries) == 1


def test_the_form_shown_again_lists_every_department_once(client, departments):
    with CaptureQueriesContext(connection) as captured:
        response = client.post(NEW, form_data(departments[3], consent=None))
    assert response.status_code == 400
    html = response.content.decode()
    assert all(f'<option value="{d.pk}"' in html for d in departments)
    assert f'<option value="{departments[3].pk}" selected>' in html
    assert len(_bureau_queries(captured)) == 1


@pytest.mark.parametrize("value", ["999999", "abc", "١", "9" * 30, "-1"])
def test_a_department_not_in_the_list_is_refused_as_not_one_of_the_choices(
    client, departments, value
):
    response = client.post(
        NEW, form_data(departments[0], department=value), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["department"]
    assert "Select a valid choice." in response.content.decode()
    assert Report.objects.count() == 0


def test_a_closed_department_is_refused_as_not_one_of_the_choices(client, departments):
    closed = departments[1]
    closed.active = False
    closed.save(update_fields=["active"])
    response = client.post(NEW, form_data(closed), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert f'<option value="{closed.pk}"' not in response.content.decode()


@pytest.fixture
def open311(api_key, department):  # noqa: F811 - the fixtures imported above
    return api_key, department


def test_the_open311_form_still_checks_codes_against_its_own_list(client, open311):
    # Open311ReportForm gives its department choices as a list of codes: the list shown on
    # demand must not change its answer to an unknown code (the field's own error).
    key, d100 = open311
    changes = {"attribute[department]": "NOPE"}
    descriptions = error_list(post(client, key, d100, **changes), 400)
    assert any(d.startswith("attribute[department]:") and "NOPE" in d for d in descriptions)
    assert not Report.objects.exists()
