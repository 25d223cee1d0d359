"""The developer page and the OpenAPI description of the Open311 door (SPEC section 9).

Both read the services, attributes, statuses and deviations from the code that answers the
API (complaints.open311.serializers), so that what developers read is what they get.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from complaints.models import Report
from complaints.open311 import api, openapi, serializers

# Which report statuses exist for which service, in the order of the workflow (SPEC
# section 3, Workflow).
WORKFLOW = {
    Report.Kind.PRAISE: [
        Report.Status.RECEIVED,
        Report.Status.UNDER_REVIEW,
        Report.Status.VERIFIED,
        Report.Status.SHARED,
        Report.Status.REJECTED,
    ],
    Report.Kind.UNKIND: [
        Report.Status.RECEIVED,
        Report.Status.UNDER_REVIEW,
        Report.Status.SUBSTANTIATED,
        Report.Status.NOT_SUBSTANTIATED,
        Report.Status.WITHDRAWN,
        Report.Status.CLOSED,
    ],
}


def _attributes() -> list[dict]:
    # Both services share their attributes; only service_code differs.
    return serializers.service_definition(serializers.SERVICE_CODES[0])["attributes"]


def _status_mapping() -> list[dict]:
    """Each service's statuses with the GeoReport status the API gives them."""
    return [
        {
            "service_code": code,
            "service_name": serializers.service_name(code),
            "statuses": [
                {
                    "label": Report.Status(status).label,
                    "open311": "closed" if serializers.is_closed(Report(status=status)) else "open",
                }
                for status in statuses
            ],
        }
        for code, statuses in WORKFLOW.items()
    ]


def _rate(rate: str) -> str:
    """A rate such as 60/h, as the reader says it."""
    count, _slash, period = rate.partition("/")
    phrases = {
        "s": _("%(count)s reports per second per key"),
        "m": _("%(count)s reports per minute per key"),
        "h": _("%(count)s reports per hour per key"),
        "d": _("%(count)s reports per day per key"),
    }
    phrase = phrases.get(period[:1].lower())
    return phrase % {"count": count} if phrase else rate


@require_safe
def developer_page(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri("/open311/v2/")
    attributes = _attributes()
    departments = next(a for a in attributes if a["code"] == "department")["values"]
    return render(
        request,
        "complaints/open311/developer.html",
        {
            "base": base,
            "openapi_url": request.build_absolute_uri(reverse("open311:openapi")),
            "discovery_json": request.build_absolute_uri(
                reverse("open311:discovery", kwargs={"format": "json"})
            ),
            "discovery_xml": request.build_absolute_uri(
                reverse("open311:discovery", kwargs={"format": "xml"})
            ),
            "services": serializers.service_list(),
            "attributes": attributes,
            "status_mapping": _status_mapping(),
            "deviations": serializers.DEVIATIONS,
            "rate": _rate(settings.OPEN311_KEY_RATE),
            "contact": settings.OPEN311_CONTACT or settings.DEFAULT_FROM_EMAIL,
            "default_days": serializers.DEFAULT_SPAN.days,
            "max_requests": serializers.MAX_REQUESTS,
            "example_department": departments[0]["key"] if departments else "D001",
            "example_date": timezone.localdate().isoformat(),
            "example_year": timezone.localdate().year,
        },
    )


@require_safe
def openapi_document(request: HttpRequest) -> JsonResponse:
    document = openapi.document(
        service_codes=list(serializers.SERVICE_CODES),
        attributes=_attributes(),
        jurisdiction=api.jurisdiction_id(request),
    )
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
