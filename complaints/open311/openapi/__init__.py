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

from complaints.open311.openapi.description import document

__all__ = ["document"]
