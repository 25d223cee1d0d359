"""The XML of the Open311 door is the standard's own documents (SPEC section 9): each
answer is parsed and its element names and order compared with the examples of the
GeoReport v2 specification (wiki.open311.org/GeoReport_v2 and its Service Discovery page),
reproduced below."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

import pytest
from django.core.cache import cache
from django.utils import timezone

from complaints import services
from complaints.models import ApiKey, Report
from complaints.open311 import keys
from complaints.open311.renderers import xml_document
from kindness.roles import Role
from tests.factories import BureauFactory, DepartmentFactory, ReportFactory

V2 = "/open311/v2"

# ---------------------------------------------------------------------------- the standard's examples

STANDARD_SERVICES = """<?xml version="1.0" encoding="utf-8"?>
<services>
    <service>
        <service_code>001</service_code>
        <service_name>Cans left out 24x7</service_name>
        <description>Garbage or recycling cans that have been left out for more than 24 hours after collection. Violators will be cited.</description>
        <metadata>true</metadata>
        <type>realtime</type>
        <keywords>lorem, ipsum, dolor</keywords>
        <group>sanitation</group>
    </service>
</services>"""

STANDARD_SERVICE_DEFINITION = """<?xml version="1.0" encoding="utf-8"?>
<service_definition>
    <service_code>DMV66</service_code>
    <attributes>
        <attribute>
            <variable>true</variable>
            <code>WHISHETN</code>
            <datatype>singlevaluelist</datatype>
            <required>true</required>
            <datatype_description></datatype_description>
            <order>1</order>
            <description>What is the ticket/tag/DL number?</description>
            <values>
                <value>
                    <key>123</key>
                    <name>Ford</name>
                </value>
                <value>
                    <key>124</key>
                    <name>Chrysler</name>
                </value>
            </values>
        </attribute>
    </attributes>
</service_definition>"""

STANDARD_POST_RESPONSE = """<?xml version="1.0" encoding="utf-8"?>
<service_requests>
    <request>
        <service_request_id>293944</service_request_id>
        <service_notice>The City will inspect and require the responsible party to correct within 24 hours and/or issue a Correction Notice or Notice of Violation of the Public Works Code</service_notice>
        <account_id/>
    </request>
</service_requests>"""

STANDARD_REQUESTS = """<?xml version="1.0" encoding="utf-8"?>
<service_requests>
    <request>
        <service_request_id>638344</service_request_id>
        <status>closed</status>
        <status_notes>Duplicate request.</status_notes>
        <service_name>Sidewalk and Curb Issues</service_name>
        <service_code>006</service_code>
        <description></description>
        <agency_responsible></agency_responsible>
        <service_notice></service_notice>
        <requested_datetime>2010-04-14T06:37:38-08:00</requested_datetime>
        <updated_datetime>2010-04-14T06:37:38-08:00</updated_datetime>
        <expected_datetime>2010-04-15T06:37:38-08:00</expected_datetime>
        <address>8TH AVE and JUDAH ST</address>
        <address_id>545483</address_id>
        <zipcode>94122</zipcode>
        <lat>37.762221815</lat>
        <long>-122.4651145</long>
        <media_url>http://city.gov.s3.amazonaws.com/requests/media/638344.jpg </media_url>
    </request>
</service_requests>"""

STANDARD_ERRORS = """<?xml version="1.0" encoding="utf-8"?>
<errors>
    <error>
        <code>403</code>
        <description>Invalid api_key received -- can't proceed with create_request.</description>
    </error>
</errors>"""

STANDARD_DISCOVERY = """<?xml version="1.0" encoding="utf-8"?>
<discovery>
    <changeset>2011-04-05T17:48:34Z</changeset>
    <contact>You can email or call for assistance api@mycity.org +1 (555) 555-5555</contact>
    <key_service>You can request a key here: http://api.mycity.gov/api_key/request</key_service>
    <endpoints>
        <endpoint>
            <specification>http://wiki.open311.org/GeoReport_v2</specification>
            <url>http://open311.mycity.gov/v2</url>
            <changeset>2010-11-23T09:09:12Z</changeset>
            <type>production</type>
            <formats>
                <format>text/xml</format>
                <format>application/json</format>
            </formats>
        </endpoint>
    </endpoints>
</discovery>"""


def shape(element: ET.Element) -> tuple:
    """An element's name and the shape of its children, in order, with repeated items of a
    list counted once (the examples hold one or two; our lists hold as many as there are)."""
    children = []
    for child in element:
        child_shape = shape(child)
        if not children or children[-1] != child_shape:
            children.append(child_shape)
    return (element.tag, tuple(children))


def parsed(response, status: int = 200) -> ET.Element:
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def standard(document: str) -> ET.Element:
    return ET.fromstring(document.encode("utf-8"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def department(db):
    return DepartmentFactory(
        code="D100", name="민원여권과", bureau=BureauFactory(name="시민소통국")
    )


@pytest.fixture
def api_key(db) -> str:
    return keys.api_key_issue(api_key=ApiKey(name="시민앱", owner="앱 운영사"), by=None)


def report_params(department, api_key, **changes) -> dict:
    data = {
        "api_key": api_key,
        "service_code": "praise",
        "attribute[department]": department.code,
        "attribute[incident_on]": timezone.localdate().isoformat(),
        "attribute[channel]": "phone",
        "attribute[consent]": "yes",
        "first_name": "길동",
        "last_name": "홍",
        "description": "전화로 친절하게 안내해 주셨습니다.",
    }
    data.update(changes)
    return data


# ---------------------------------------------------------------------------- the renderer itself


def test_the_renderer_writes_the_standards_example_from_its_json_form():
    # The standard's JSON example of a service definition, rendered: the XML example.
    data = {
        "service_code": "DMV66",
        "attributes": [
            {
                "variable": True,
                "code": "WHISHETN",
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": None,
                "order": 1,
                "description": "What is the ticket/tag/DL number?",
                "values": [{"key": 123, "name": "Ford"}, {"key": 124, "name": "Chrysler"}],
            }
        ],
    }
    ours = ET.fromstring(xml_document("service_definition", data))
    theirs = standard(STANDARD_SERVICE_DEFINITION)
    assert ET.tostring(ours) == ET.tostring(_stripped(theirs))


def _stripped(element: ET.Element) -> ET.Element:
    """The example without its indentation."""
    for node in element.iter():
        if len(node):
            node.text = None
        node.tail = None
        if node.text is not None and not node.text.strip():
            node.text = None
    return element


def test_the_renderer_escapes_markup_and_drops_characters_xml_cannot_hold():
    document = xml_document("errors", [{"code": 400, "description": "a < b & \x01c"}])
    (error,) = ET.fromstring(document)
    assert error.find("description").text == "a < b & c"


# ---------------------------------------------------------------------------- each endpoint


def test_discovery_is_the_standards_document(client, db):
    ours = parsed(client.get(f"{V2}/discovery.xml"))
    assert shape(ours) == shape(standard(STANDARD_DISCOVERY))
    assert [f.text for f in ours.iter("format")] == ["text/xml", "application/json"]
    assert (
        ours.find("endpoints/endpoint/specification").text == "http://wiki.open311.org/GeoReport_v2"
    )


def test_the_service_list_is_the_standards_document(client, db):
    ours = parsed(client.get(f"{V2}/services.xml"))
    assert shape(ours) == shape(standard(STANDARD_SERVICES))
    assert [s.find("service_code").text for s in ours] == ["praise", "unkind"]
    assert {s.find("metadata").text for s in ours} == {"true"}


def test_a_service_definition_is_the_standards_document(client, department):
    ours = parsed(client.get(f"{V2}/services/praise.xml"))

    assert ours.tag == "service_definition"
    assert [c.tag for c in ours] == ["service_code", "attributes"]
    example = standard(STANDARD_SERVICE_DEFINITION).find("attributes/attribute")
    for attribute in ours.find("attributes"):
        assert [c.tag for c in attribute] == [c.tag for c in example]
        assert attribute.find("variable").text == "true"
        assert attribute.find("required").text in ("true", "false")
        for value in attribute.find("values"):
            assert [c.tag for c in value] == ["key", "name"]
    department_attribute = ours.find("attributes/attribute")
    assert department_attribute.find("values/value/key").text == "D100"
    official = ours.find("attributes")[1]
    assert official.find("code").text == "official_name"
    assert official.find("required").text == "false"
    assert len(official.find("values")) == 0  # an empty element, as the standard shows them


def test_an_unknown_service_definition_is_an_xml_error_list(client, db):
    ours = parsed(client.get(f"{V2}/services/pothole.xml"), 404)
    assert shape(ours) == shape(standard(STANDARD_ERRORS))
    assert ours.find("error/code").text == "404"


def test_filing_a_report_answers_the_standards_document(client, department, api_key):
    ours = parsed(client.post(f"{V2}/requests.xml", report_params(department, api_key)))

    assert shape(ours) == shape(standard(STANDARD_POST_RESPONSE))
    receipt_no = ours.find("request/service_request_id").text
    assert Report.objects.get(receipt_no=receipt_no).source == Report.Source.OPEN311
    assert ours.find("request/account_id").text is None  # <account_id></account_id>


def test_the_requests_list_is_the_standards_document(client, db):
    ReportFactory(kind="praise", status="shared", public_text="칭찬 게시판에 실린 글입니다.")
    ReportFactory(kind="unkind", status="substantiated")

    ours = parsed(client.get(f"{V2}/requests.xml"))

    assert shape(ours) == shape(standard(STANDARD_REQUESTS))
    assert len(ours) == 2
    assert {r.find("status").text for r in ours} == {"open", "closed"}


def test_one_request_is_the_standards_document_with_one_request(client, db):
    report = ReportFactory(kind="unkind", status="under_review")

    ours = parsed(client.get(f"{V2}/requests/{report.receipt_no}.xml"))

    assert shape(ours) == shape(standard(STANDARD_REQUESTS))
    (request,) = ours
    assert request.find("service_request_id").text == report.receipt_no
    assert request.find("status").text == "open"
    assert request.find("description").text is None  # never an unkindness text
    assert request.find("requested_datetime").text.endswith("+09:00")
    dt.datetime.fromisoformat(request.find("updated_datetime").text)


def test_the_list_of_no_requests_is_an_empty_document(client, db):
    ours = parsed(client.get(f"{V2}/requests.xml", {"service_request_id": "R-1999-000001"}))
    assert ours.tag == "service_requests" and len(ours) == 0


# ---------------------------------------------------------------------------- errors in XML


@pytest.mark.parametrize(
    ("request_args", "status"),
    [
        (("get", "/requests/R-1999-000001.xml"), 404),
        (("get", "/tokens/123.xml"), 404),
        (("get", "/requests.xml?start_date=yesterday"), 400),
        (("get", "/requests.xml?jurisdiction_id=sfgov.org"), 404),
        (("delete", "/services.xml"), 405),
        (("post", "/requests.xml"), 403),
        (("get", "/nothing.xml"), 404),
    ],
)
def test_errors_are_the_standards_error_document(client, db, request_args, status):
    method, path = request_args
    ours = parsed(getattr(client, method)(V2 + path), status)
    assert shape(ours) == shape(standard(STANDARD_ERRORS))
    assert {e.find("code").text for e in ours} == {str(status)}


def test_validation_errors_list_each_problem_in_xml(client, department, api_key):
    response = client.post(
        f"{V2}/requests.xml",
        report_params(department, api_key, description="x" * 4001, **{"attribute[channel]": ""}),
    )
    ours = parsed(response, 400)
    descriptions = [e.find("description").text for e in ours]
    assert len(descriptions) == 2
    assert {d.split(":")[0] for d in descriptions} == {"description", "attribute[channel]"}


def test_a_missing_service_code_and_a_wrong_key_in_xml(client, department, api_key):
    missing = parsed(
        client.post(f"{V2}/requests.xml", report_params(department, api_key, service_code="")), 400
    )
    wrong = parsed(client.post(f"{V2}/requests.xml", report_params(department, "abc.def")), 403)
    assert missing.find("error/description").text.startswith("service_code:")
    assert wrong.find("error/code").text == "403"


def test_throttling_is_an_xml_error_list(client, department, api_key, settings):
    settings.OPEN311_KEY_RATE = "1/m"
    assert client.post(f"{V2}/requests.xml", report_params(department, api_key)).status_code == 200
    ours = parsed(
        client.post(
            f"{V2}/requests.xml", report_params(department, api_key, phone="010-9999-0000")
        ),
        429,
    )
    assert ours.find("error/code").text == "429"


# ---------------------------------------------------------------------------- privacy and the case in XML


def test_praise_filed_in_xml_shows_its_board_text_in_xml_once_shared(
    client, role_client, department, api_key
):
    ours = parsed(
        client.post(
            f"{V2}/requests.xml",
            report_params(department, api_key, phone="010-5555-6666", email="me@example.com"),
        )
    )
    report = Report.objects.get(receipt_no=ours.find("request/service_request_id").text)
    officer = role_client(Role.REPORT_OFFICER)
    assert report.receipt_no in officer.get("/staff/reports/").content.decode()

    services.report_verify(report=report, by=officer.user)
    services.report_share(
        report=report, by=officer.user, public_text="전화 안내가 정말 친절했습니다."
    )

    xml = client.get(f"{V2}/requests/{report.receipt_no}.xml").content.decode("utf-8")
    (request,) = ET.fromstring(xml.encode())
    assert request.find("status").text == "closed"
    assert request.find("description").text == "전화 안내가 정말 친절했습니다."
    report.refresh_from_db()
    assert request.find("status_notes").text == report.public_outcome
    for personal in ("홍길동", "길동", "010-5555-6666", "me@example.com", "전화로 친절하게"):
        assert personal not in xml
