"""What every Open311 document shares: the standard's constants, our deviations from it,
and the error answer."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext_lazy
from rest_framework import status
from rest_framework.exceptions import APIException

from complaints.models import Report

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FORMATS = ["text/xml", "application/json"]
# When this API last changed, for the discovery document's `changeset`.
CHANGESET = dt.datetime(2026, 11, 28, tzinfo=dt.timezone(dt.timedelta(hours=9)))
SERVICE_CODES = (Report.Kind.PRAISE.value, Report.Kind.UNKIND.value)
STATUSES = ("open", "closed")
# GET requests: the standard's defaults and limits.
DEFAULT_SPAN = dt.timedelta(days=90)
MAX_REQUESTS = 1000
RECEIPT_CHARACTERS = re.compile(r"^[A-Z0-9-]{1,30}$")
# An unkindness report names a department only once it is decided on its merits (SPEC
# section 9): before that (and when withdrawn) it is an unproven accusation.
UNKIND_DECIDED = (
    Report.Status.SUBSTANTIATED,
    Report.Status.NOT_SUBSTANTIATED,
    Report.Status.CLOSED,
)
# The one value of the yes/no attributes (consent, confirm_duplicate).
YES = "yes"

# SPEC section 9: the two deliberate deviations from GeoReport v2, stated in the discovery
# document and on the developer page.
DEVIATIONS = [
    gettext_lazy(
        "A location (lat and long, address_string or address_id) is accepted and stored but "
        "not required, since a report is about a person, not a place."
    ),
    gettext_lazy(
        "GET requests never shows reporters' data (nor the location or media link they "
        "sent), shows the text of praise only once it is shared on the praise board, and "
        "never the text of an unkindness report. "
        "Unkindness reports are listed only once decided; asked by its number, an "
        "undecided one shows its status without its department. Reading is limited per "
        "address."
    ),
]


class Open311Error(APIException):
    """An answer in the standard's error list: one status, one or more descriptions."""

    def __init__(self, descriptions: list[str], status_code: int = status.HTTP_400_BAD_REQUEST):
        self.status_code = status_code
        self.descriptions = [str(d) for d in descriptions]
        super().__init__(detail="; ".join(self.descriptions))


def param_error(param: str, message) -> str:
    return f"{param}: {message}"
