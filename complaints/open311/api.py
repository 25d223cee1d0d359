"""Open311 GeoReport v2 endpoints: another door into the report centre (SPEC section 9).

The same services, validation, duplicate check and consent rule as the web form; the same
receipt numbers (they are the `service_request_id`). Intake is immediate (`type` realtime):
POST requests answers with the receipt number at once and never with a token.

Tracking: an API client is given no tracking secret, since its receipt number is public in
GET requests. The resident follows the report through the application they used, which
reads GET requests/<id>: the status and the city's public answer, what the web tracking
page shows.

Every error, including unknown addresses under /open311/v2/, wrong methods, throttling
and unexpected failures, is answered with the standard's error list in the format asked.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.http.request import split_domain_port
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView, set_rollback

from complaints import services
from complaints.models import ApiKey, Report
from complaints.open311 import keys, serializers
from complaints.open311.renderers import GeoReportJSONRenderer, GeoReportXMLRenderer
from complaints.open311.serializers import Open311Error
from complaints.open311.throttles import ApiKeyRateThrottle
from kindness import numbering
from kindness.models import ProgrammeSettings

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------------- plumbing


class ByExtension(DefaultContentNegotiation):
    """The format is the extension, as the standard has it; the Accept header is ignored
    (a client asking for application/xml still gets the standard's text/xml)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        for renderer in renderers:
            if renderer.format == (format_suffix or "xml"):
                return renderer, renderer.media_type
        raise Http404


class ApiKeyAuthentication(BaseAuthentication):
    """The api_key of a POST, read from the form-encoded body only (as the standard has it;
    a key in a query string would end up in access logs)."""

    def authenticate(self, request):
        if request.method != "POST":
            return None
        raw_key = serializers.report_params(request.data).get("api_key", "").strip()
        if not raw_key:
            return None
        api_key = keys.api_key_find(raw_key)
        if api_key is None:
            raise exceptions.AuthenticationFailed(
                _("Invalid api_key received: no such key. Ask for one at %(url)s")
                % {"url": request.build_absolute_uri(reverse("open311:developer"))}
            )
        if not api_key.is_active:
            raise exceptions.AuthenticationFailed(_("This api_key has been revoked."))
        return AnonymousUser(), api_key


class KeyRequiredToPost(BasePermission):
    def has_permission(self, request, view) -> bool:
        if request.method == "POST" and request.auth is None:
            raise exceptions.PermissionDenied(
                _("api_key was not provided: filing a report needs a key. Ask for one at %(url)s")
                % {"url": request.build_absolute_uri(reverse("open311:developer"))}
            )
        return True


def _descriptions(exc: exceptions.APIException) -> list[str]:
    if isinstance(exc, Open311Error):
        return exc.descriptions
    if isinstance(exc, exceptions.MethodNotAllowed):
        return [_("This method is not allowed here.")]
    if isinstance(exc, exceptions.Throttled):
        return [
            _("Too many requests with this api_key; try again in %(seconds)s seconds.")
            % {"seconds": exc.wait or 1}
        ]
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return [
            _(
                "Send the parameters form-encoded (application/x-www-form-urlencoded), as "
                "GeoReport v2 asks."
            )
        ]
    if isinstance(exc, exceptions.ParseError):
        return [_("The body of the request could not be read.")]
    detail = exc.detail
    if isinstance(detail, dict):
        return [
            f"{key}: {value}"
            for key, values in detail.items()
            for value in (values if isinstance(values, list) else [values])
        ]
    if isinstance(detail, list):
        return [str(item) for item in detail]
    return [str(detail)]


def exception_handler(exc, context) -> Response:
    """Every error as the standard's list of code and description, in the format asked."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, SuspiciousOperation):  # e.g. too many fields in the body
        exc = exceptions.ParseError()
    headers = {}
    if isinstance(exc, exceptions.APIException):
        code = exc.status_code
        descriptions = _descriptions(exc)
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            headers["Retry-After"] = str(int(exc.wait) or 1)
    else:
        # A fault of ours: logged, answered in the standard's form, still a 500 so that
        # clients (and the schemathesis run) see it for what it is.
        logger.exception("Open311: unexpected error", exc_info=exc)
        code = status.HTTP_500_INTERNAL_SERVER_ERROR
        descriptions = [
            _("General service error: the request could not be processed. Please tell us.")
        ]
    set_rollback()
    return Response(
        [{"code": code, "description": d} for d in descriptions], status=code, headers=headers
    )


def _jurisdiction_checked(request) -> None:
    """jurisdiction_id is optional (the site serves one jurisdiction); a wrong one is 404."""
    given = request.query_params.get("jurisdiction_id", "")
    if request.method == "POST":
        given = serializers.report_params(request.data).get("jurisdiction_id", "") or given
    given = given.strip().lower().removeprefix("www.")
    if not given:
        return
    ours = jurisdiction_id(request).lower().removeprefix("www.")
    if given != ours:
        raise Open311Error(
            [
                "jurisdiction_id: "
                + _("“%(given)s” was not found; this endpoint serves %(ours)s.")
                % {"given": given[:100], "ours": ours}
            ],
            status.HTTP_404_NOT_FOUND,
        )


def jurisdiction_id(request) -> str:
    """OPEN311_JURISDICTION_ID, or by default the site's host name (the standard suggests
    the jurisdiction's web address)."""
    return settings.OPEN311_JURISDICTION_ID or split_domain_port(request.get_host())[0]


class Open311View(APIView):
    # Reading needs no key: only filing a report (Requests.post) does.
    authentication_classes = []
    permission_classes = []
    throttle_classes = []
    renderer_classes = [GeoReportXMLRenderer, GeoReportJSONRenderer]
    parser_classes = [FormParser, MultiPartParser]
    content_negotiation_class = ByExtension
    metadata_class = None  # OPTIONS is answered 405 like any method not listed
    # The root element of the XML document (errors are always <errors>).
    xml_root = "errors"

    def get_exception_handler(self):
        return exception_handler

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        _jurisdiction_checked(request)


# ---------------------------------------------------------------------------- endpoints


class Discovery(Open311View):
    xml_root = "discovery"

    def get(self, request, **kwargs):
        return Response(serializers.discovery(request))


class ServiceList(Open311View):
    xml_root = "services"

    def get(self, request, **kwargs):
        return Response(serializers.service_list())


class ServiceDefinition(Open311View):
    xml_root = "service_definition"

    def get(self, request, service_code: str, **kwargs):
        if service_code not in serializers.SERVICE_CODES:
            raise Open311Error(
                [
                    "service_code: "
                    + _("“%(code)s” was not found; the codes are %(codes)s.")
                    % {"code": service_code[:100], "codes": ", ".join(serializers.SERVICE_CODES)}
                ],
                status.HTTP_404_NOT_FOUND,
            )
        return Response(serializers.service_definition(service_code))


class Requests(Open311View):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [KeyRequiredToPost]
    throttle_classes = [ApiKeyRateThrottle]
    xml_root = "service_requests"

    def get(self, request, **kwargs):
        query = serializers.request_query(request.query_params)
        return Response([serializers.request_record(r) for r in query.reports()])

    def post(self, request, **kwargs):
        params = serializers.report_params(request.data)
        code = serializers.service_code_checked(params)
        checked = serializers.report_checked(params, code=code)
        data = checked.form.cleaned_data
        # The web form asks "submit anyway?"; an API client says so up front (SPEC section
        # 3: same phone and department within the window).
        if not data["confirm_duplicate"] and services.duplicate_recent(
            phone=data["reporter_phone"], department=data["department"]
        ):
            raise Open311Error([_duplicate_message()])
        try:
            report = report_file(checked=checked, api_key=request.auth)
        except numbering.SequenceExhausted as exc:
            raise Open311Error([str(exc)], status.HTTP_503_SERVICE_UNAVAILABLE) from exc
        return Response(
            [
                {
                    "service_request_id": report.receipt_no,
                    "service_notice": _("Your report was received with number %(no)s.")
                    % {"no": report.receipt_no}
                    + " "
                    + serializers.service_notice(report.kind),
                    "account_id": None,
                }
            ]
        )


def _duplicate_message() -> str:
    return _(
        "A report from the same phone number about the same department was received in the "
        "last %(hours)s hours. If this is a different matter, send "
        "attribute[confirm_duplicate]=yes."
    ) % {"hours": ProgrammeSettings.load().duplicate_window_hours}


@transaction.atomic
def report_file(*, checked: serializers.CheckedReport, api_key: ApiKey) -> Report:
    """Store a report filed through the API: report_submit with source Open311, the
    location it came with and the key's last use, all in one transaction."""
    submission = services.report_submit(**checked.form.submission(), source=Report.Source.OPEN311)
    report = submission.report
    if checked.location:
        Report.objects.filter(pk=report.pk).update(**checked.location)
    keys.api_key_used(api_key=api_key)
    return report


class RequestDetail(Open311View):
    xml_root = "service_requests"

    def get(self, request, request_id: str, **kwargs):
        receipt_no = request_id.strip().upper()
        report = None
        if serializers.RECEIPT_CHARACTERS.match(receipt_no):
            report = serializers.public_reports().filter(receipt_no=receipt_no).first()
        if report is None:
            raise Open311Error(
                ["service_request_id: " + _("“%(id)s” was not found.") % {"id": request_id[:100]}],
                status.HTTP_404_NOT_FOUND,
            )
        # The standard: a single request is a list of one.
        return Response([serializers.request_record(report)])


class Token(Open311View):
    xml_root = "service_requests"

    def get(self, request, token: str, **kwargs):
        raise Open311Error(
            [
                "token: "
                + _(
                    "“%(token)s” was not found: this endpoint gives no tokens, since POST "
                    "requests answers with the service_request_id at once."
                )
                % {"token": token[:100]}
            ],
            status.HTTP_404_NOT_FOUND,
        )


class UnknownResource(Open311View):
    """Any other address under /open311/v2/ with an extension, whatever the method."""

    def _not_found(self, request, *args, **kwargs):
        raise exceptions.NotFound(_("There is no such GeoReport v2 resource here."))

    get = post = put = patch = delete = _not_found


discovery = Discovery.as_view()
service_list = ServiceList.as_view()
service_definition = ServiceDefinition.as_view()
requests = Requests.as_view()
request_detail = RequestDetail.as_view()
token = Token.as_view()
not_found = UnknownResource.as_view()
