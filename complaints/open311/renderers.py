"""The two formats of GeoReport v2, chosen by the extension (.xml, .json).

The XML is the standard's own documents: a root element named by the view (`services`,
`service_requests`, `service_definition`, `discovery`) or `errors` for any error, list
items named as the standard names them (`service`, `request`, `error`, `attribute`,
`value`, `endpoint`, `format`), booleans `true`/`false`, empty values as empty elements,
UTF-8 with the XML declaration. The JSON is the same data by the standard's Spark
convention: the root element dropped, lists as arrays, empty values as null.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from xml.etree import ElementTree as ET

from rest_framework.renderers import BaseRenderer, JSONRenderer

# List element -> the name of its items, as in the standard's examples.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}

XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
# Characters XML 1.0 cannot hold, even escaped (control characters, lone surrogates): text
# echoed from a request may carry them, and one would make the whole document unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def text_of(value) -> str:
    """A scalar as the XML text the standard shows."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, Decimal):
        return format(value, "f")
    return _NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list | tuple):
        item_name = ITEM_NAMES.get(element.tag, "item")
        for child in value:
            _fill(ET.SubElement(element, item_name), child)
    else:
        element.text = text_of(value)


def xml_document(root_name: str, data) -> bytes:
    root = ET.Element(root_name)
    _fill(root, data)
    # Empty values as <description></description>, the form of the standard's examples.
    body = ET.tostring(root, encoding="unicode", short_empty_elements=False)
    return (XML_DECLARATION + body + "\n").encode("utf-8")


def xml_root_for(renderer_context: dict | None) -> str:
    renderer_context = renderer_context or {}
    response = renderer_context.get("response")
    if response is not None and response.status_code >= 400:
        return "errors"
    view = renderer_context.get("view")
    return getattr(view, "xml_root", None) or "errors"


class GeoReportXMLRenderer(BaseRenderer):
    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        return xml_document(xml_root_for(renderer_context), data)


class GeoReportJSONRenderer(JSONRenderer):
    """DRF's JSON with the charset the standard asks for and UTF-8 text, not \\u escapes."""

    charset = "utf-8"
    ensure_ascii = False

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return super().render(_plain(data), accepted_media_type, renderer_context)


def _plain(value):
    """Datetimes with their offset to the second and decimals as numbers, as in XML."""
    if isinstance(value, dict):
        return {key: _plain(child) for key, child in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(child) for child in value]
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, Decimal):
        return float(value)
    return value
