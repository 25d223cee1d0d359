"""Schemathesis against the Open311 API's own OpenAPI description (SPEC sections 8 and 9):
every operation, in both formats, with generated good and bad input, through the Django
WSGI application. No answer may be a server error, and every answer must be what the
description says, XML included.

Deterministic (derandomized) and modest in size, so that it runs with the suite.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from complaints import services
from complaints.models import ApiKey, Report
from complaints.open311 import keys
from kindness.models import Department
from tests.factories import BureauFactory, DepartmentFactory, UserFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# ---------------------------------------------------------------------------- XML answers


def _resolve(schema: dict, root: dict) -> dict:
    while "$ref" in schema:
        node = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _from_xml(element: ET.Element, schema: dict, root: dict):
    """The XML document as the data its schema describes: arrays from repeated items,
    objects from named children, scalars as the element's text ("" when empty)."""
    schema = _resolve(schema, root)
    if schema.get("type") == "array":
        return [_from_xml(child, schema.get("items", {}), root) for child in element]
    if schema.get("type") == "object" or (not schema and len(element)):
        properties = schema.get("properties", {})
        return {
            child.tag: _from_xml(child, properties.get(child.tag, {}), root) for child in element
        }
    return element.text or ""


@schemathesis.deserializer("text/xml")
def _xml_answer(ctx: schemathesis.DeserializationContext, response: schemathesis.Response):
    """Schemathesis validates JSON by itself; this lets it validate the standard's XML."""
    document = ET.fromstring(response.content)  # noqa: S314 - our own answer, in a test
    raw = ctx.operation.schema.raw_schema
    responses = raw["paths"][ctx.operation.path][ctx.operation.method.lower()]["responses"]
    documented = responses.get(str(response.status_code))
    if documented is None:
        return None
    schema = documented["content"]["text/xml"]["schema"]
    expected = _resolve(schema, raw).get("xml", {}).get("name")
    if expected and document.tag != expected:
        raise ValueError(f"root element <{document.tag}>, expected <{expected}>")
    return _from_xml(document, schema, raw)


# ---------------------------------------------------------------------------- the run


@pytest.fixture
def raw_key(db, settings):
    """A real key, a rate limit the run cannot reach, and departments to report about."""
    settings.OPEN311_KEY_RATE = "100000/h"
    cache.clear()
    bureau = BureauFactory(name="시민소통국")
    DepartmentFactory(code="D100", name="민원봉사과", bureau=bureau)
    DepartmentFactory(code="D200", name="세무과", bureau=bureau)
    yield keys.api_key_issue(api_key=ApiKey(name="fuzz", owner="tests"), by=None)
    cache.clear()


@pytest.fixture
def receipt_numbers(raw_key) -> list[str]:
    """Reports in each kind of state GET requests shows differently."""
    officer = UserFactory()

    def filed(kind: str, phone: str = "") -> Report:
        return services.report_submit(
            kind=kind,
            department=Department.objects.get(code="D100"),
            official_name="김친절",
            incident_on=timezone.localdate(),
            channel=Report.Channel.VISIT,
            text="서류 발급을 끝까지 친절하게 도와주셨습니다.",
            reporter_name="홍길동",
            reporter_phone=phone,
            reporter_email="hong@example.com",
        ).report

    received = filed(Report.Kind.PRAISE)
    shared = services.report_verify(report=filed(Report.Kind.PRAISE), by=officer)
    shared = services.report_share(
        report=shared, by=officer, public_text="끝까지 친절하게 도와주셨습니다."
    )
    reviewed = services.report_start_review(
        report=filed(Report.Kind.UNKIND, phone="010-1234-5678"), by=officer
    )
    return [report.receipt_no for report in (received, shared, reviewed)]


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request):
    # schemathesis 4.32's lazy schemas name each operation's subtest through the item's
    # `_nodeid`, which pytest 9 no longer has; give it back under that name.
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@pytest.fixture
def open311_schema(raw_key):
    # The WSGI handler closes the database connection after each request, which would end
    # the test's transaction on PostgreSQL; Django's test client keeps it open the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/open311/v2/openapi.json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("open311_schema")


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_open311_api_never_fails_and_answers_as_described(case, raw_key, receipt_numbers):
    # A generated api_key is a wrong key, mostly without the dot that makes it worth
    # looking up. Most cases get the real key, so that the generated reports reach the
    # checks of the report form; every fourth is made a wrong key that is looked up.
    if case.method == "POST" and isinstance(case.body, dict) and "api_key" in case.body:
        generated_key = case.body["api_key"]
        if isinstance(generated_key, str) and generated_key and len(generated_key) % 4 == 0:
            case.body["api_key"] = f"{generated_key[:16]}.{generated_key}"
        else:
            case.body["api_key"] = raw_key
    # A generated receipt number is never one that exists: ask for real ones as often,
    # chosen by the generated value so that the run stays deterministic.
    generated = (case.path_parameters or {}).get("service_request_id")
    if isinstance(generated, str) and len(generated) % 2 == 0:
        case.path_parameters["service_request_id"] = receipt_numbers[
            len(generated) // 2 % len(receipt_numbers)
        ]
    case.call_and_validate(checks=CHECKS)
