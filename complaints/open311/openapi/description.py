"""The document as a whole, and its description for people."""

from __future__ import annotations

import copy

from django.utils.translation import gettext as _

from complaints.open311.openapi.operations import path_operations, post_request_body
from complaints.open311.openapi.schemas import FORMATS, JSON, PREFIX, as_xml, json_schemas


def document(*, service_codes: list[str], attributes: list[dict], jurisdiction: str) -> dict:
    """The OpenAPI 3.0 document. `attributes` are the service definition's attributes
    (dicts as in the JSON service definition; both services share them), `jurisdiction`
    the one jurisdiction_id the API accepts."""
    schemas = json_schemas(
        service_codes=service_codes, attribute_codes=[a["code"] for a in attributes]
    )
    schemas.update({f"{name}_xml": as_xml(copy.deepcopy(s)) for name, s in schemas.items()})
    post_body = post_request_body(
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
        paths.update(path_operations(fmt, post_body=post_body, jurisdiction=jurisdiction))
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
