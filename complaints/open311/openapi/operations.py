"""The operations: one per address and format, with their parameters, request bodies and answers."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.open311.openapi.schemas import FORM, JSON, PREFIX, XML, ref


def _errors(description: str, fmt: str) -> dict:
    return {"description": description, "content": _media(fmt, ref("Errors", fmt))}


def _media(fmt: str, schema: dict) -> dict:
    return {JSON if fmt == "json" else XML: {"schema": schema}}


def _ok(description: str, fmt: str, name: str) -> dict:
    return {"description": description, "content": _media(fmt, ref(name, fmt))}


def _jurisdiction(jurisdiction: str) -> dict:
    return _query(
        "jurisdiction_id",
        {"type": "string", "enum": [jurisdiction]},
        _(
            "Optional, accepted for clients written for several cities. This service has "
            "one jurisdiction; any other value is answered 404."
        ),
    )


def _query(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def _path_parameter(name: str, description: str, example: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        # A slash would be another address altogether.
        "schema": {"type": "string", "minLength": 1, "pattern": "^[^/]+$", "example": example},
        "description": description,
    }


def _common_errors(fmt: str) -> dict:
    return {"400": _errors(_("Bad input: the errors say which."), fmt)}


def _get(
    fmt: str,
    operation: str,
    *,
    summary: str,
    parameters: list[dict],
    ok: dict,
    not_found: str,
    description: str = "",
) -> dict:
    """A GET operation answering 200 with `ok`, 400 for bad input and 404 with `not_found`."""
    return {
        "operationId": f"{operation}_{fmt}",
        "tags": [fmt.upper()],
        "summary": summary,
        **({"description": description} if description else {}),
        "parameters": parameters,
        "responses": {
            "200": ok,
            **_common_errors(fmt),
            "404": _errors(not_found, fmt),
        },
    }


def path_operations(fmt: str, *, post_body: dict, jurisdiction: str) -> dict[str, dict]:
    tag = fmt.upper()
    # The documents read by GET alone: their address's parameter (if any) and the
    # jurisdiction in, one document out.
    discovery, services, definition, single = (
        {
            "get": _get(
                fmt,
                operation,
                summary=summary,
                parameters=[*address_parameters, _jurisdiction(jurisdiction)],
                ok=_ok(answer, fmt, schema),
                not_found=not_found,
            )
        }
        for operation, summary, address_parameters, answer, schema, not_found in (
            (
                "discovery",
                _("Discovery: where the endpoints are, and the deviations"),
                [],
                _("The discovery document."),
                "Discovery",
                _("Unknown jurisdiction_id."),
            ),
            (
                "services",
                _("Service list: one service per report kind"),
                [],
                _("Praise and unkindness."),
                "Services",
                _("Unknown jurisdiction_id."),
            ),
            (
                "service_definition",
                _("Service definition: the attributes a report needs"),
                [_path_parameter("service_code", _("praise or unkind"), "praise")],
                _("The attributes with their values."),
                "ServiceDefinition",
                _("Unknown service_code or jurisdiction_id."),
            ),
            (
                "request_detail",
                _("One request, as a one-element list"),
                [_path_parameter("service_request_id", _("The receipt number."), "R-2025-000123")],
                _("The report, alone in a list."),
                "ServiceRequestSingle",
                _("No such report."),
            ),
        )
    )
    requests_ = {
        "get": _get(
            fmt,
            "requests_list",
            summary=_("Requests: status of reports, with the standard's filters"),
            description=_(
                "Without filters: reports of the last 90 days, at most 1,000, newest first. "
                "service_request_id overrides the other filters. Never shows reporters' "
                "data; shows the text of praise only once it is shared on the praise board, "
                "and never the text of an unkindness report. "
                "Unkindness reports are listed only once decided; asked by its number, an "
                "undecided one shows its status without its department. Reading is limited per "
                "address."
            ),
            parameters=[
                _jurisdiction(jurisdiction),
                _query(
                    "service_request_id",
                    {"type": "string", "example": "R-2025-000001,R-2025-000002"},
                    _("Receipt numbers, separated by commas."),
                ),
                _query(
                    "service_code", {"type": "string", "example": "praise"}, _("praise or unkind.")
                ),
                _query(
                    "start_date",
                    {"type": "string", "format": "date-time"},
                    _("Received at or after this time (ISO 8601 with offset)."),
                ),
                _query(
                    "end_date",
                    {"type": "string", "format": "date-time"},
                    _("Received at or before this time (ISO 8601 with offset)."),
                ),
                _query(
                    "status",
                    {"type": "string", "example": "open"},
                    _("open or closed; both separated by a comma."),
                ),
            ],
            ok=_ok(_("The matching reports."), fmt, "ServiceRequests"),
            not_found=_("Unknown jurisdiction_id."),
        ),
        "post": {
            "operationId": f"requests_create_{fmt}",
            "tags": [tag],
            "summary": _("Create a request: file a praise or unkindness report"),
            "description": _(
                "Form-encoded, as GeoReport v2 prescribes, with the api_key field in the body "
                "(a key in the address is ignored). The same checks as the web form apply: "
                "the required attributes, 10 to 4,000 characters of description, the "
                "reporter's name (first_name, last_name or both), attribute[consent]=yes, a "
                "phone number for unkindness. A report from the same phone about the same "
                "department within the duplicate window is stored and marked for staff; "
                "attribute[confirm_duplicate] is accepted and has no effect. A location is "
                "optional."
            ),
            "requestBody": {"required": True, "content": {FORM: post_body}},
            "responses": {
                "200": _ok(_("Received: the receipt number."), fmt, "RequestsCreated"),
                **_common_errors(fmt),
                "403": _errors(_("Missing, unknown or revoked api_key."), fmt),
                "404": _errors(_("Unknown service_code or jurisdiction_id."), fmt),
                "429": {
                    **_errors(_("Too many reports with this api_key: try again later."), fmt),
                    "headers": {
                        "Retry-After": {
                            "description": _("Seconds to wait."),
                            "schema": {"type": "integer"},
                        }
                    },
                },
            },
        },
    }
    token = {
        "get": {
            "operationId": f"token_{fmt}",
            "tags": [tag],
            "summary": _("Token: the receipt number for a deferred request"),
            "description": _(
                "Part of GeoReport v2 for servers that defer intake. This service files a "
                "report at once and answers POST with its service_request_id, so it gives "
                "no tokens and every token is unknown (404)."
            ),
            "parameters": [
                _path_parameter("token", _("The token a deferred POST answered."), "abc123"),
                _jurisdiction(jurisdiction),
            ],
            "responses": {"404": _errors(_("No such token."), fmt)},
        }
    }
    return {
        f"{PREFIX}/discovery.{fmt}": discovery,
        f"{PREFIX}/services.{fmt}": services,
        f"{PREFIX}/services/{{service_code}}.{fmt}": definition,
        f"{PREFIX}/requests.{fmt}": requests_,
        f"{PREFIX}/requests/{{service_request_id}}.{fmt}": single,
        f"{PREFIX}/tokens/{{token}}.{fmt}": token,
    }


def post_request_body(
    *, service_codes: list[str], attributes: list[dict], jurisdiction: str
) -> dict:
    properties: dict[str, dict] = {
        # The standard's api_key, a form field: OpenAPI's security schemes know keys in a
        # header, query or cookie only, and a key in the query string would end up in
        # access logs, so the API reads it from the body alone.
        "api_key": {
            "type": "string",
            "description": _(
                "The key the city's IT department issued to your application, as a form "
                "field of the body. Keys are issued and revoked in the administration; "
                "reports are rate limited per key."
            ),
        },
        "jurisdiction_id": _jurisdiction(jurisdiction)["schema"],
        "service_code": {"type": "string", "enum": service_codes},
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "long": {"type": "number", "minimum": -180, "maximum": 180},
        "address_string": {"type": "string", "maxLength": 250},
        "address_id": {"type": "string", "maxLength": 100},
        "email": {"type": "string", "format": "email"},
        "device_id": {"type": "string", "maxLength": 100},
        "account_id": {"type": "string", "maxLength": 100},
        "first_name": {"type": "string", "description": _("The reporter's given name.")},
        "last_name": {"type": "string", "description": _("The reporter's family name.")},
        "phone": {
            "type": "string",
            "maxLength": 30,
            "description": _(
                "A Korean phone number, e.g. 010-1234-5678. Required for unkindness: the "
                "department head phones the reporter to apologise."
            ),
        },
        "description": {"type": "string", "minLength": 10, "maxLength": 4000},
        "media_url": {"type": "string", "format": "uri", "maxLength": 500},
    }
    required = ["api_key", "service_code", "description"]
    for attribute in attributes:
        name = f"attribute[{attribute['code']}]"
        schema: dict = {"type": "string", "description": attribute["description"]}
        values = [value["key"] for value in attribute["values"]]
        if values:
            schema["enum"] = values
        if attribute["datatype"] == "datetime":
            schema = {
                "description": attribute["description"],
                "anyOf": [
                    {"type": "string", "format": "date"},
                    {"type": "string", "format": "date-time"},
                ],
            }
        properties[name] = schema
        if attribute.get("required"):
            required.append(name)
    return {
        "schema": {"type": "object", "required": required, "properties": properties},
        "example": _post_example(attributes),
    }


def _post_example(attributes: list[dict]) -> dict:
    """A praise report that is received, were the key real: the first value of each list
    and today's date, so that the example stays valid as departments and years change."""
    example = {
        "api_key": "YOUR_KEY",
        "service_code": "praise",
        "description": "서류 발급을 끝까지 친절하게 도와주셨습니다.",
        "first_name": "길동",
        "last_name": "홍",
    }
    for attribute in attributes:
        if not attribute["required"]:
            continue
        name = f"attribute[{attribute['code']}]"
        if attribute["values"]:
            example[name] = attribute["values"][0]["key"]
        elif attribute["datatype"] == "datetime":
            example[name] = timezone.localdate().isoformat()
    return example
