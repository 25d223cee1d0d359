"""The OpenAPI 3.0 description of the Open311 GeoReport v2 door (SPEC section 9).

Built per request as a plain dict: descriptions follow the visitor's language, and the
attribute values (the active departments) are those the service definitions list at that
moment, so that the description never contradicts `services/<code>.json`.

Every address exists once per format (`.json` and `.xml`) rather than as a `{format}`
parameter: GeoReport v2 picks the format by the extension, each format has its own media
type and document shapes, and a fixed path lets clients (and the fuzz test) check both
exactly. XML schemas carry OpenAPI `xml` names, so they describe the standard's documents
(`<services><service>`, `<service_requests><request>`, `<errors><error>`...).
"""

from __future__ import annotations

import copy
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

JSON = "application/json"
XML = "text/xml"
FORM = "application/x-www-form-urlencoded"
PREFIX = "/open311/v2"
FORMATS = ("json", "xml")

# Personal data GeoReport v2 takes on POST and this service never returns (SPEC section 9).
PERSONAL_FIELDS = ("email", "first_name", "last_name", "phone", "device_id", "account_id")


def _ref(name: str, fmt: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}{'_xml' if fmt == 'xml' else ''}"}


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


# ---------------------------------------------------------------------------- JSON schemas


def _json_schemas(*, service_codes: list[str], attribute_codes: list[str]) -> dict[str, dict]:
    string = {"type": "string"}
    when = {"type": "string", "format": "date-time"}
    error = {
        "type": "object",
        "required": ["code", "description"],
        "properties": {
            "code": {"type": "integer", "description": _("The HTTP status code.")},
            "description": string,
        },
        "xml": {"name": "error"},
    }
    endpoint = {
        "type": "object",
        "required": ["specification", "url", "type", "formats"],
        "properties": {
            "specification": {"type": "string", "example": "http://wiki.open311.org/GeoReport_v2"},
            "url": string,
            "changeset": when,
            "type": {"type": "string", "enum": ["production", "test"]},
            "formats": {
                "type": "array",
                "items": {"type": "string", "xml": {"name": "format"}},
                "xml": {"wrapped": True},
            },
        },
        "xml": {"name": "endpoint"},
    }
    discovery = {
        "type": "object",
        "required": ["changeset", "contact", "endpoints"],
        "properties": {
            "changeset": when,
            "contact": string,
            "key_service": string,
            "endpoints": {"type": "array", "items": endpoint, "xml": {"wrapped": True}},
        },
        "xml": {"name": "discovery"},
    }
    service = {
        "type": "object",
        "required": ["service_code", "service_name", "metadata", "type"],
        "properties": {
            "service_code": {"type": "string", "enum": service_codes},
            "service_name": string,
            "description": string,
            "metadata": {"type": "boolean"},
            "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
            "keywords": string,
            "group": string,
        },
        "xml": {"name": "service"},
    }
    value = {
        "type": "object",
        "required": ["key", "name"],
        "properties": {"key": string, "name": string},
        "xml": {"name": "value"},
    }
    attribute = {
        "type": "object",
        "required": ["variable", "code", "datatype", "required", "order", "description"],
        "properties": {
            "variable": {"type": "boolean"},
            "code": {"type": "string", "enum": attribute_codes},
            "datatype": {
                "type": "string",
                "enum": [
                    "string",
                    "number",
                    "datetime",
                    "text",
                    "singlevaluelist",
                    "multivaluelist",
                ],
            },
            "required": {"type": "boolean"},
            "datatype_description": _nullable(string),
            "order": {"type": "integer"},
            "description": string,
            "values": {"type": "array", "items": value, "xml": {"wrapped": True}},
        },
        "xml": {"name": "attribute"},
    }
    definition = {
        "type": "object",
        "required": ["service_code", "attributes"],
        "properties": {
            "service_code": {"type": "string", "enum": service_codes},
            "attributes": {"type": "array", "items": attribute, "xml": {"wrapped": True}},
        },
        "xml": {"name": "service_definition"},
    }
    created = {
        "type": "object",
        "properties": {
            "service_request_id": string,
            "token": string,
            "service_notice": _nullable(string),
            "account_id": _nullable(string),
        },
        "anyOf": [{"required": ["service_request_id"]}, {"required": ["token"]}],
        "xml": {"name": "request"},
    }
    request = {
        "type": "object",
        "required": [
            "service_request_id",
            "status",
            "service_name",
            "service_code",
            "requested_datetime",
        ],
        "properties": {
            "service_request_id": {"type": "string", "example": "R-2025-000123"},
            "status": {"type": "string", "enum": ["open", "closed"]},
            "status_notes": _nullable(string),
            "service_name": string,
            "service_code": {"type": "string", "enum": service_codes},
            "description": _nullable(string),
            "agency_responsible": _nullable(string),
            "service_notice": _nullable(string),
            "requested_datetime": when,
            "updated_datetime": _nullable(when),
            "expected_datetime": _nullable(when),
            "address": _nullable(string),
            "address_id": _nullable(string),
            "zipcode": _nullable(string),
            "lat": _nullable({"type": "number"}),
            "long": _nullable({"type": "number"}),
            "media_url": _nullable(string),
        },
        # The reporter's personal data is never part of a GET answer (SPEC sections 8, 9).
        "not": {"anyOf": [{"required": [name]} for name in PERSONAL_FIELDS]},
        "xml": {"name": "request"},
    }
    token = {
        "type": "object",
        "required": ["token"],
        "properties": {"service_request_id": _nullable(string), "token": string},
        "xml": {"name": "request"},
    }

    def listing(item: str, root: str) -> dict:
        return {
            "type": "array",
            "items": {"$ref": f"#/components/schemas/{item}"},
            "xml": {"name": root, "wrapped": True},
        }

    return {
        "Error": error,
        "Errors": {**listing("Error", "errors"), "minItems": 1},
        "Discovery": discovery,
        "Service": service,
        "Services": listing("Service", "services"),
        "ServiceDefinition": definition,
        "RequestCreated": created,
        "RequestsCreated": {**listing("RequestCreated", "service_requests"), "minItems": 1},
        "ServiceRequest": request,
        "ServiceRequests": listing("ServiceRequest", "service_requests"),
        "ServiceRequestSingle": {
            **listing("ServiceRequest", "service_requests"),
            "minItems": 1,
            "maxItems": 1,
        },
        "Token": token,
        "Tokens": {**listing("Token", "service_requests"), "minItems": 1},
    }


# ---------------------------------------------------------------------------- XML schemas


def _as_xml(schema: Any) -> Any:
    """The same document as XML text: every scalar is element text (a string, empty when
    the JSON value is null), `$ref`s point at the XML variants, `xml` names stay."""
    if isinstance(schema, list):
        return [_as_xml(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        return {"$ref": schema["$ref"] + "_xml"}
    kind = schema.get("type")
    if kind in ("string", "number", "integer", "boolean"):
        xml = {"type": "string"}
        if kind == "string" and "enum" in schema and not schema.get("nullable"):
            xml["enum"] = schema["enum"]
        if kind == "boolean":
            xml["enum"] = ["true", "false"]
        for keep in ("xml", "description", "example"):
            if keep in schema:
                xml[keep] = str(schema[keep]) if keep == "example" else schema[keep]
        return xml
    return {key: _as_xml(value) for key, value in schema.items()}


# ---------------------------------------------------------------------------- operations


def _errors(description: str, fmt: str) -> dict:
    return {"description": description, "content": _media(fmt, _ref("Errors", fmt))}


def _media(fmt: str, schema: dict) -> dict:
    return {JSON if fmt == "json" else XML: {"schema": schema}}


def _ok(description: str, fmt: str, name: str) -> dict:
    return {"description": description, "content": _media(fmt, _ref(name, fmt))}


def _jurisdiction(jurisdiction: str) -> dict:
    return {
        "name": "jurisdiction_id",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "enum": [jurisdiction]},
        "description": _(
            "Optional, accepted for clients written for several cities. This service has "
            "one jurisdiction; any other value is answered 404."
        ),
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


def _operations(fmt: str, *, post_body: dict, jurisdiction: str) -> dict[str, dict]:
    tag = fmt.upper()
    discovery = {
        "get": {
            "operationId": f"discovery_{fmt}",
            "tags": [tag],
            "summary": _("Discovery: where the endpoints are, and the deviations"),
            "parameters": [_jurisdiction(jurisdiction)],
            "responses": {
                "200": _ok(_("The discovery document."), fmt, "Discovery"),
                **_common_errors(fmt),
                "404": _errors(_("Unknown jurisdiction_id."), fmt),
            },
        }
    }
    services = {
        "get": {
            "operationId": f"services_{fmt}",
            "tags": [tag],
            "summary": _("Service list: one service per report kind"),
            "parameters": [_jurisdiction(jurisdiction)],
            "responses": {
                "200": _ok(_("Praise and unkindness."), fmt, "Services"),
                **_common_errors(fmt),
                "404": _errors(_("Unknown jurisdiction_id."), fmt),
            },
        }
    }
    definition = {
        "get": {
            "operationId": f"service_definition_{fmt}",
            "tags": [tag],
            "summary": _("Service definition: the attributes a report needs"),
            "parameters": [
                _path_parameter("service_code", _("praise or unkind"), "praise"),
                _jurisdiction(jurisdiction),
            ],
            "responses": {
                "200": _ok(_("The attributes with their values."), fmt, "ServiceDefinition"),
                **_common_errors(fmt),
                "404": _errors(_("Unknown service_code or jurisdiction_id."), fmt),
            },
        }
    }
    requests_ = {
        "get": {
            "operationId": f"requests_list_{fmt}",
            "tags": [tag],
            "summary": _("Requests: status of reports, with the standard's filters"),
            "description": _(
                "Without filters: reports of the last 90 days, at most 1,000, newest first. "
                "service_request_id overrides the other filters. Never shows reporters' "
                "data; shows the text of praise only once it is shared on the praise board, "
                "and never the text of an unkindness report. "
                "Unkindness reports are listed only once decided; asked by its number, an "
                "undecided one shows its status without its department. Reading is limited per "
                "address."
            ),
            "parameters": [
                _jurisdiction(jurisdiction),
                {
                    "name": "service_request_id",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "example": "R-2025-000001,R-2025-000002"},
                    "description": _("Receipt numbers, separated by commas."),
                },
                {
                    "name": "service_code",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "example": "praise"},
                    "description": _("praise or unkind."),
                },
                {
                    "name": "start_date",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "format": "date-time"},
                    "description": _("Received at or after this time (ISO 8601 with offset)."),
                },
                {
                    "name": "end_date",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "format": "date-time"},
                    "description": _("Received at or before this time (ISO 8601 with offset)."),
                },
                {
                    "name": "status",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "example": "open"},
                    "description": _("open or closed; both separated by a comma."),
                },
            ],
            "responses": {
                "200": _ok(_("The matching reports."), fmt, "ServiceRequests"),
                **_common_errors(fmt),
                "404": _errors(_("Unknown jurisdiction_id."), fmt),
            },
        },
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
    single = {
        "get": {
            "operationId": f"request_detail_{fmt}",
            "tags": [tag],
            "summary": _("One request, as a one-element list"),
            "parameters": [
                _path_parameter("service_request_id", _("The receipt number."), "R-2025-000123"),
                _jurisdiction(jurisdiction),
            ],
            "responses": {
                "200": _ok(_("The report, alone in a list."), fmt, "ServiceRequestSingle"),
                **_common_errors(fmt),
                "404": _errors(_("No such report."), fmt),
            },
        }
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


def _post_body(*, service_codes: list[str], attributes: list[dict], jurisdiction: str) -> dict:
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


# ---------------------------------------------------------------------------- the document


def document(*, service_codes: list[str], attributes: list[dict], jurisdiction: str) -> dict:
    """The OpenAPI 3.0 document. `attributes` are the service definition's attributes
    (dicts as in the JSON service definition; both services share them), `jurisdiction`
    the one jurisdiction_id the API accepts."""
    schemas = _json_schemas(
        service_codes=service_codes, attribute_codes=[a["code"] for a in attributes]
    )
    schemas.update({f"{name}_xml": _as_xml(copy.deepcopy(s)) for name, s in schemas.items()})
    post_body = _post_body(
        service_codes=service_codes, attributes=attributes, jurisdiction=jurisdiction
    )
    paths: dict[str, dict] = {
        f"{PREFIX}/openapi.json": {
            "get": {
                "operationId": "openapi",
                "tags": ["OpenAPI"],
                "summary": _("This description"),
                "responses": {
                    "200": {
                        "description": _("The OpenAPI 3.0 document."),
                        "content": {
                            JSON: {
                                "schema": {
                                    "type": "object",
                                    "required": ["openapi", "info", "paths"],
                                }
                            }
                        },
                    }
                },
            }
        }
    }
    for fmt in FORMATS:
        paths.update(_operations(fmt, post_body=post_body, jurisdiction=jurisdiction))
    return {
        "openapi": "3.0.3",
        "info": {
            "title": _("Kindness Open311 GeoReport v2 API"),
            "version": "v2",
            "description": _description(),
        },
        "externalDocs": {
            "description": _("GeoReport v2, the standard this API follows"),
            "url": "http://wiki.open311.org/GeoReport_v2",
        },
        "servers": [{"url": "/"}],
        "tags": [
            {"name": "JSON", "description": _("The documents as JSON (.json)")},
            {"name": "XML", "description": _("The standard's XML documents (.xml)")},
            {"name": "OpenAPI", "description": _("This description")},
        ],
        "paths": paths,
        "components": {
            "schemas": schemas,
        },
    }


def _description() -> str:
    return "\n\n".join(
        [
            _(
                "Open311 GeoReport v2 for the city's kindness report centre: civic apps file "
                "praise and unkindness reports about officials, and follow their status. A "
                "report filed here is the same case staff handle as one filed on the web form; "
                "service_request_id is its receipt number (R-YYYY-NNNNNN)."
            ),
            _("Two deliberate deviations from GeoReport v2:"),
            _(
                "1. A location (lat/long, address_string or address_id) is accepted and "
                "stored but not required: a report is about a person, not a place."
            ),
            _(
                "2. GET never shows reporters' data, shows the text of praise only once it "
                "is shared on the praise board, and never the text of an unkindness report. "
                "Unkindness reports are listed only once decided; asked by its number, an "
                "undecided one shows its status without its department. Reading is limited per "
                "address."
            ),
            _(
                "Both formats exist for every address, chosen by the extension: .json "
                "(application/json) and .xml (text/xml, the standard's documents). Times are "
                "ISO 8601 with offsets. Errors are a list of code and description, with "
                "status 400, 403, 404 or 429."
            ),
        ]
    )
