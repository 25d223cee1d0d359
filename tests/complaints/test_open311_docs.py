"""The developer page and the OpenAPI description of the Open311 door (SPEC section 9)."""

from __future__ import annotations

import re

import pytest
import schemathesis
from django.urls import resolve
from django.utils import translation
from schemathesis.core.result import Ok

from complaints.models import Report
from complaints.open311 import api
from complaints.open311 import urls as open311_urls
from tests.factories import BureauFactory, DepartmentFactory

PAGE = "/open311/"
OPENAPI = "/open311/v2/openapi.json"


@pytest.fixture
def departments(db):
    bureau = BureauFactory(name="시민소통국")
    return [
        DepartmentFactory(code="D100", name="민원봉사과", bureau=bureau),
        DepartmentFactory(code="D200", name="세무과", bureau=bureau),
    ]


def openapi_of(client, **headers) -> dict:
    response = client.get(OPENAPI, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


# ---------------------------------------------------------------------------- the page


def test_developer_page_is_open_to_anonymous_visitors_in_korean(client, departments):
    response = client.get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ko">' in html
    for code in ("praise", "unkind"):
        assert f"<code>{code}</code>" in html
    for attribute in ("department", "official_name", "incident_on", "channel", "consent"):
        assert f"<code>attribute[{attribute}]</code>" in html
    # The department values are the active departments' codes, as the API takes them.
    assert "<code>D100</code>" in html and "<code>D200</code>" in html
    assert 'href="http://testserver/open311/v2/openapi.json"' in html
    assert 'href="http://testserver/open311/v2/discovery.json"' in html
    assert 'href="http://testserver/open311/v2/discovery.xml"' in html


def test_developer_page_reads_in_english(client, departments):
    response = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "<h1>Open311 API for developers</h1>" in html
    assert "Deviations from GeoReport v2" in html
    assert "60 reports per hour per key" in html


def test_developer_page_shows_each_status_with_its_open311_status(client, departments):
    with translation.override("en"):
        html = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    def open311_status_of(label: str) -> list[str]:
        return re.findall(rf'<th scope="row">{label}</th><td><code>(\w+)</code>', html)

    assert open311_status_of("Shared") == ["closed"]
    assert open311_status_of("Under review") == ["open", "open"]
    # Substantiated unkindness stays open until the measure and the apology are recorded.
    assert open311_status_of("Substantiated") == ["open"]
    assert open311_status_of("Received") == ["open", "open"]


def test_developer_page_states_the_rate_limit_of_the_settings(client, departments, settings):
    settings.OPEN311_KEY_RATE = "500/d"

    html = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "500 reports per day per key" in html


# ---------------------------------------------------------------------------- the description


def test_openapi_document_is_a_valid_openapi_3_document(client, departments):
    document = openapi_of(client)

    schema = schemathesis.openapi.from_dict(document)
    schema.validate()  # against the OpenAPI 3.0 meta-schema; raises if invalid
    operations = list(schema.get_all_operations())
    assert operations and all(isinstance(result, Ok) for result in operations)
    assert document["openapi"].startswith("3.0")
    assert document["servers"] == [{"url": "/"}]


def test_openapi_document_covers_every_route_but_the_page_in_both_formats(client, departments):
    document = openapi_of(client)

    served = set()
    for path in document["paths"]:
        match = resolve(re.sub(r"\{[^}]+\}", "sample", path))
        served.add((match.url_name, match.kwargs.get("format")))
    routes = {
        pattern.name
        for pattern in open311_urls.urlpatterns
        # The page is HTML; an answer for unknown addresses under /open311/v2/ is no operation.
        if pattern.callback is not getattr(api, "not_found", None)
    } - {"developer", "openapi"}
    assert routes  # the URL module was read
    expected = {(name, fmt) for name in routes for fmt in ("json", "xml")} | {("openapi", None)}
    assert served == expected


def test_openapi_posts_are_form_encoded_with_the_attributes(client, departments):
    document = openapi_of(client)

    for fmt in ("json", "xml"):
        body = document["paths"][f"/open311/v2/requests.{fmt}"]["post"]["requestBody"]
        assert list(body["content"]) == ["application/x-www-form-urlencoded"]
        schema = body["content"]["application/x-www-form-urlencoded"]["schema"]
        assert {"api_key", "service_code", "attribute[department]", "attribute[consent]"} <= set(
            schema["required"]
        )
        assert schema["properties"]["attribute[department]"]["enum"] == ["D100", "D200"]
        assert schema["properties"]["description"]["maxLength"] == 4000


def test_openapi_department_values_follow_the_active_departments(client, departments):
    DepartmentFactory(code="D300", active=False)
    departments[0].active = False
    departments[0].save()

    schema = openapi_of(client)["paths"]["/open311/v2/requests.json"]["post"]["requestBody"]

    department = schema["content"]["application/x-www-form-urlencoded"]["schema"]["properties"][
        "attribute[department]"
    ]
    assert department["enum"] == ["D200"]


def test_openapi_example_report_would_be_received(client, departments):
    """The example of POST is today's praise for the first department: valid as the years go."""
    document = openapi_of(client)
    content = document["paths"]["/open311/v2/requests.json"]["post"]["requestBody"]["content"]
    example = content["application/x-www-form-urlencoded"]["example"]

    from complaints.open311.serializers import report_checked

    checked = report_checked({k: v for k, v in example.items() if k != "api_key"}, code="praise")
    assert checked.form.cleaned_data["department"] == departments[0]


def test_openapi_documents_the_errors_the_standard_names(client, departments):
    paths = openapi_of(client)["paths"]

    post = paths["/open311/v2/requests.xml"]["post"]["responses"]
    assert {"200", "400", "403", "404", "429"} <= set(post)
    assert post["403"]["content"]["text/xml"]["schema"] == {
        "$ref": "#/components/schemas/Errors_xml"
    }
    single = paths["/open311/v2/requests/{service_request_id}.json"]["get"]["responses"]
    assert single["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Errors"
    }
    assert {"name", "wrapped"} <= set(
        openapi_of(client)["components"]["schemas"]["Errors_xml"]["xml"]
    )


def test_openapi_states_the_two_deviations(client, departments):
    with translation.override("en"):
        info = openapi_of(client, HTTP_ACCEPT_LANGUAGE="en")["info"]

    assert "accepted and stored but not required" in info["description"]
    assert "never the text of an unkindness report" in info["description"]


def test_openapi_request_schema_forbids_reporters_data(client, departments):
    request = openapi_of(client)["components"]["schemas"]["ServiceRequest"]

    forbidden = {required for clause in request["not"]["anyOf"] for required in clause["required"]}
    assert {"email", "first_name", "last_name", "phone"} <= forbidden
    assert request["properties"]["status"]["enum"] == ["open", "closed"]


def test_openapi_document_answers_only_reads(client, departments):
    assert client.post(OPENAPI).status_code == 405
    assert client.post(PAGE).status_code == 405


def test_openapi_service_codes_are_the_report_kinds(client, departments):
    schemas = openapi_of(client)["components"]["schemas"]

    assert schemas["Service"]["properties"]["service_code"]["enum"] == [
        Report.Kind.PRAISE,
        Report.Kind.UNKIND,
    ]
