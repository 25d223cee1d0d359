"""Open311 hardening (issue 14): far-off dates are clear errors naming the parameter, never
a server error."""

from __future__ import annotations

import pytest

from complaints.models import Report
from tests.complaints.test_open311 import V2, api_key, department, error_list, post  # noqa: F401

FAR_MOMENTS = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "0001-01-01"]


@pytest.mark.parametrize("moment", FAR_MOMENTS)
def test_a_far_incident_time_is_a_400_naming_the_attribute(client, department, api_key, moment):  # noqa: F811
    response = post(client, api_key, department, **{"attribute[incident_on]": moment})
    errors = error_list(response, 400)
    assert any(e.startswith("attribute[incident_on]") for e in errors), errors
    assert not Report.objects.exists()


@pytest.mark.parametrize("moment", FAR_MOMENTS[:2] + ["1899-12-31T00:00:00Z"])
@pytest.mark.parametrize("param", ["start_date", "end_date"])
def test_a_far_start_or_end_date_is_a_400_naming_it(client, db, moment, param):
    response = client.get(f"{V2}/requests.json", {param: moment})
    errors = error_list(response, 400)
    assert any(e.startswith(param) and "1900" in e for e in errors), errors


# ---------------------------------------------------------------------------- item 18


def unkind(department, status: str, **changes) -> Report:  # noqa: F811
    from tests.factories import OfficialFactory, ReportFactory

    official = OfficialFactory(department=department)
    return ReportFactory(
        kind=Report.Kind.UNKIND, status=status, department=department, official=official, **changes
    )


def listed(client) -> dict[str, dict]:
    response = client.get(f"{V2}/requests.json")
    assert response.status_code == 200, response.content.decode()
    return {r["service_request_id"]: r for r in response.json()}


def test_the_list_shows_unkindness_only_once_decided(client, department):  # noqa: F811
    received = unkind(department, Report.Status.RECEIVED)
    reviewed = unkind(department, Report.Status.UNDER_REVIEW)
    withdrawn = unkind(department, Report.Status.WITHDRAWN)
    substantiated = unkind(department, Report.Status.SUBSTANTIATED)
    cleared = unkind(department, Report.Status.NOT_SUBSTANTIATED)
    records = listed(client)
    assert received.receipt_no not in records
    assert reviewed.receipt_no not in records
    assert withdrawn.receipt_no not in records
    assert records[substantiated.receipt_no]["agency_responsible"] == department.name
    assert records[cleared.receipt_no]["agency_responsible"] == department.name


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_undecided_report_asked_by_number_shows_its_status_without_its_department(
    client,
    department,  # noqa: F811
    fmt,
):
    report = unkind(department, Report.Status.UNDER_REVIEW)
    for url in (
        f"{V2}/requests/{report.receipt_no}.{fmt}",
        f"{V2}/requests.{fmt}?service_request_id={report.receipt_no}",
    ):
        response = client.get(url)
        assert response.status_code == 200
        text = response.content.decode()
        assert report.receipt_no in text
        assert department.name not in text
        if fmt == "json":
            (record,) = response.json()
            assert record["status"] == "open"
            assert record["agency_responsible"] is None


def test_reading_is_throttled_per_address(client, db, settings):
    from django.core.cache import cache

    cache.clear()
    settings.RATELIMIT_ENABLE = True
    settings.OPEN311_READ_RATE = "3/m"
    urls = [f"{V2}/services.json", f"{V2}/requests.json", f"{V2}/discovery.json"]
    assert [client.get(u).status_code for u in urls] == [200, 200, 200]
    response = client.get(f"{V2}/requests.json", HTTP_ACCEPT_LANGUAGE="en")
    errors = error_list(response, 429)
    assert "your address" in errors[0]
    assert int(response["Retry-After"]) >= 1
    # Another address is not affected.
    assert client.get(f"{V2}/services.json", REMOTE_ADDR="10.0.0.9").status_code == 200
    cache.clear()


@pytest.mark.parametrize(
    "changes, param",
    [
        ({"address_string": "시청로\x07 1"}, "address_string"),
        ({"first_name": "길\u202e동"}, "first_name, last_name"),
        ({"attribute[official_name]": "김\x1b친절"}, "attribute[official_name]"),
    ],
)
def test_control_characters_in_open311_names_are_a_400_naming_the_parameter(
    client,
    department,  # noqa: F811
    api_key,  # noqa: F811
    changes,
    param,
):
    errors = error_list(post(client, api_key, department, **changes), 400)
    assert any(e.startswith(param + ":") for e in errors), errors
    assert not Report.objects.exists()
