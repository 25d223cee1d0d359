"""Open311 GeoReport v2 addresses, mounted at /open311/. The format is the extension, as
the standard has it."""

from django.urls import path, re_path

from complaints.open311 import api, docs

app_name = "open311"

FMT = r"\.(?P<format>json|xml)$"

urlpatterns = [
    path("", docs.developer_page, name="developer"),
    path("v2/openapi.json", docs.openapi_document, name="openapi"),
    re_path(r"^v2/discovery" + FMT, api.discovery, name="discovery"),
    re_path(r"^v2/services" + FMT, api.service_list, name="services"),
    re_path(
        r"^v2/services/(?P<service_code>[^/]+?)" + FMT,
        api.service_definition,
        name="service",
    ),
    re_path(r"^v2/requests" + FMT, api.requests, name="requests"),
    re_path(r"^v2/requests/(?P<request_id>[^/]+?)" + FMT, api.request_detail, name="request"),
    re_path(r"^v2/tokens/(?P<token>[^/]+?)" + FMT, api.token, name="token"),
    # Anything else under v2 with a format: the standard's 404 error list, not an HTML page.
    re_path(r"^v2/(?P<path>.+?)" + FMT, api.not_found, name="not-found"),
]
