"""The JSON schemas of the standard's documents, and their XML forms."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

JSON = "application/json"
XML = "text/xml"
FORM = "application/x-www-form-urlencoded"
PREFIX = "/open311/v2"
FORMATS = ("json", "xml")

# Personal data GeoReport v2 takes on POST and this service never returns (SPEC section 9).
PERSONAL_FIELDS = ("email", "first_name", "last_name", "phone", "device_id", "account_id")


def ref(name: str, fmt: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}{'_xml' if fmt == 'xml' else ''}"}


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


# ---------------------------------------------------------------------------- JSON schemas


def json_schemas(*, service_codes: list[str], attribute_codes: list[str]) -> dict[str, dict]:
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


def as_xml(schema: Any) -> Any:
    """The same document as XML text: every scalar is element text (a string, empty when
    the JSON value is null), `$ref`s point at the XML variants, `xml` names stay."""
    if isinstance(schema, list):
        return [as_xml(item) for item in schema]
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
    return {key: as_xml(value) for key, value in schema.items()}
