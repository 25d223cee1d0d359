"""What goes in and out of the Open311 door: the standard's documents built from our data,
and the standard's parameters checked by the web form's own rules (SPEC sections 3 and 9).

Privacy (SPEC sections 8 and 9): a request record is built only from what the public may
see: the receipt number, kind, status, the public outcome, the department, the dates, and
the praise board's text once praise is shared. Never the reporter's name, phone, e-mail,
nor the location or link they sent; never the text of an unkindness report.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator, URLValidator
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from rest_framework import status
from rest_framework.exceptions import APIException

from complaints.forms.public import TEXT_MAX, TEXT_MIN, ReportForm
from complaints.models import Report
from kindness.models import Department, ProgrammeSettings

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
        "never the text of an unkindness report."
    ),
]


class Open311Error(APIException):
    """An answer in the standard's error list: one status, one or more descriptions."""

    def __init__(self, descriptions: list[str], status_code: int = status.HTTP_400_BAD_REQUEST):
        self.status_code = status_code
        self.descriptions = [str(d) for d in descriptions]
        super().__init__(detail="; ".join(self.descriptions))


def _param_error(param: str, message) -> str:
    return f"{param}: {message}"


# ---------------------------------------------------------------------------- services


def _service_names() -> dict[str, str]:
    return {
        Report.Kind.PRAISE: _("Praise an official"),
        Report.Kind.UNKIND: _("Report unkindness"),
    }


def service_name(code: str) -> str:
    return _service_names()[code]


def service_notice(code: str) -> str:
    """What happens to a report of this kind (the standard's `service_notice`)."""
    if code == Report.Kind.PRAISE:
        return _(
            "The report centre verifies the praise and passes it on to the official; verified "
            "praise may be shared on the public praise board, never with the reporter's name."
        )
    return _(
        "The report centre reviews the report and hears the official before any decision. A "
        "substantiated report leads to measures against recurrence and an apology call from "
        "the department head."
    )


def service_list() -> list[dict]:
    common = _(
        "Give the department, the date and the channel, what happened (description, "
        "%(min)s to %(max)s characters), your name (first_name, last_name) and your consent "
        "to the use of your personal data."
    ) % {"min": TEXT_MIN, "max": f"{TEXT_MAX:,}"}
    descriptions = {
        Report.Kind.PRAISE: _("Praise an official who served you well.")
        + " "
        + common
        + " "
        + _("Phone and email are optional."),
        Report.Kind.UNKIND: _("Report an official who treated you unkindly.")
        + " "
        + common
        + " "
        + _(
            "Phone is required: the department head phones you to apologise when the "
            "report is substantiated. Email is optional."
        ),
    }
    keywords = {
        Report.Kind.PRAISE: _("praise, kindness, thanks, compliment, official"),
        Report.Kind.UNKIND: _("unkindness, complaint, rudeness, discourtesy, official"),
    }
    return [
        {
            "service_code": code,
            "service_name": service_name(code),
            "description": descriptions[code],
            "metadata": True,
            "type": "realtime",
            "keywords": keywords[code],
            "group": _("Kindness report centre"),
        }
        for code in SERVICE_CODES
    ]


def _values(pairs) -> list[dict]:
    return [{"key": str(key), "name": str(name)} for key, name in pairs]


def _attribute(order, code, datatype, required, description, datatype_description="", values=()):
    return {
        "variable": True,
        "code": code,
        "datatype": datatype,
        "required": required,
        "datatype_description": datatype_description or None,
        "order": order,
        "description": description,
        "values": _values(values),
    }


def _consent_description() -> str:
    years = ProgrammeSettings.load().retention_years
    # The notice of the web form, item by item (SPEC section 3: purpose, items, retention).
    return " ".join(
        part if part.endswith(".") else part + "."
        for part in [
            _("Consent to the collection and use of personal data"),
            _("Purpose")
            + ": "
            + _(
                "To receive, investigate and answer your report, including the department "
                "head's apology call for a substantiated unkindness report."
            ),
            _("Items collected") + ": " + _("Name, phone number, e-mail address (if given)"),
            _("Retention")
            + ": "
            + ngettext(
                "Kept for %(years)s year after your case ends, then erased.",
                "Kept for %(years)s years after your case ends, then erased.",
                years,
            )
            % {"years": years},
            _("Your right to refuse")
            + ": "
            + _(
                "You may refuse to consent. Without your consent we cannot receive the report, "
                "because we could not handle and answer it."
            ),
        ]
    )


def service_definition(code: str) -> dict:
    departments = (
        Department.objects.active().select_related("bureau").order_by("bureau__name", "name")
    )
    hours = ProgrammeSettings.load().duplicate_window_hours
    form = ReportForm()  # its labels, so the API offers exactly the web form's choices
    return {
        "service_code": code,
        "attributes": [
            _attribute(
                1,
                "department",
                "singlevaluelist",
                True,
                _("The department of the official."),
                _("The key of one of the values: the department's code."),
                [(d.code, f"{d.name} ({d.bureau.name})") for d in departments],
            ),
            _attribute(
                2,
                "official_name",
                "string",
                False,
                _("The official's name, if you know it."),
                _("At most 100 characters."),
            ),
            _attribute(
                3,
                "incident_on",
                "datetime",
                True,
                _("The date it happened: within the last year, not in the future."),
                _(
                    "A date (2026-05-31) or an ISO 8601 date and time with its offset "
                    "(2026-05-31T14:30:00+09:00)."
                ),
            ),
            _attribute(
                4,
                "channel",
                "singlevaluelist",
                True,
                str(form.fields["channel"].label),
                values=form.fields["channel"].choices,
            ),
            _attribute(
                5,
                "consent",
                "singlevaluelist",
                True,
                _consent_description(),
                _("Send yes: a report is received only with the reporter's consent."),
                [(YES, form.fields["consent"].label)],
            ),
            _attribute(
                6,
                "confirm_duplicate",
                "singlevaluelist",
                False,
                _(
                    "A report from the same phone number about the same department within "
                    "%(hours)s hours is refused as a likely duplicate (error 400). If it is a "
                    "different matter, send yes to file it anyway."
                )
                % {"hours": hours},
                values=[(YES, form.fields["confirm_duplicate"].label)],
            ),
        ],
    }


def discovery(request: HttpRequest) -> dict:
    developer_page = request.build_absolute_uri(reverse("open311:developer"))
    contact = settings.OPEN311_CONTACT or _("The report centre, by e-mail at %(email)s.") % {
        "email": settings.DEFAULT_FROM_EMAIL
    }
    deviations = " ".join(f"({number}) {text}" for number, text in enumerate(DEVIATIONS, start=1))
    return {
        "changeset": CHANGESET,
        # `contact` is the discovery document's free text: it also states the deviations.
        "contact": f"{contact} "
        + _("Deviations from GeoReport v2: %(list)s") % {"list": deviations},
        "key_service": _(
            "API keys for filing reports are issued by the city's IT department: see %(url)s"
        )
        % {"url": developer_page},
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": developer_page + "v2",
                "changeset": CHANGESET,
                "type": "production",
                "formats": FORMATS,
            }
        ],
    }


# ---------------------------------------------------------------------------- request records


def is_closed(report: Report) -> bool:
    return report.status in Report.ENDED


def request_record(report: Report) -> dict:
    """One `request` of GET requests, in the standard's order of fields."""
    closed = is_closed(report)
    shared_praise = report.kind == Report.Kind.PRAISE and report.status == Report.Status.SHARED
    return {
        "service_request_id": report.receipt_no,
        "status": "closed" if closed else "open",
        "status_notes": report.public_outcome or report.get_status_display(),
        "service_name": service_name(report.kind),
        "service_code": report.kind,
        "description": report.public_text if shared_praise and report.public_text else None,
        "agency_responsible": report.scored_department.name,
        "service_notice": service_notice(report.kind),
        "requested_datetime": timezone.localtime(report.created_at),
        # The standard: for a closed request, the date it was closed.
        "updated_datetime": timezone.localtime(
            report.ended_at if closed and report.ended_at else report.updated_at
        ),
        "expected_datetime": None,
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def public_reports():
    """Reports with only the columns a public record is built from, so that personal data
    is never even loaded."""
    return Report.objects.select_related("department", "decided_department").only(
        "receipt_no",
        "kind",
        "status",
        "public_text",
        "public_outcome",
        "created_at",
        "updated_at",
        "ended_at",
        "department__name",
        "decided_department__name",
    )


# ---------------------------------------------------------------------------- GET requests


def _list_param(params, name: str) -> list[str]:
    values = []
    for raw in params.getlist(name):
        values.extend(v.strip() for v in raw.split(","))
    return [v for v in values if v]


def _moment(params, name: str, errors: list[str]) -> dt.datetime | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        errors.append(
            _param_error(
                name,
                _(
                    "Give an ISO 8601 date and time with its offset, for example "
                    "2026-05-31T00:00:00+09:00 or 2026-05-30T15:00:00Z."
                ),
            )
        )
        return None
    return moment


@dataclass
class RequestQuery:
    ids: list[str] | None = None  # a list of ids, even an empty one, overrides the rest
    codes: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    start: dt.datetime | None = None
    end: dt.datetime | None = None

    def reports(self):
        reports = public_reports()
        if self.ids is not None:
            # The standard: a list of ids overrides every other argument.
            reports = reports.filter(receipt_no__in=self.ids)
        else:
            reports = reports.filter(created_at__gte=self.start, created_at__lte=self.end)
            if self.codes:
                reports = reports.filter(kind__in=self.codes)
            if set(self.statuses) == {"open"}:
                reports = reports.exclude(status__in=Report.ENDED)
            elif set(self.statuses) == {"closed"}:
                reports = reports.filter(status__in=Report.ENDED)
        return reports.order_by("-created_at", "-pk")[:MAX_REQUESTS]


def request_query(params) -> RequestQuery:
    """The filters of GET requests, with the standard's defaults (the last 90 days, at most
    1000 requests). Raises Open311Error listing every bad parameter."""
    ids = [i.upper() for i in _list_param(params, "service_request_id")][:MAX_REQUESTS]
    if ids:
        # A receipt number is letters, digits and dashes; anything else matches no report
        # (and a NUL character would not even be a valid query on PostgreSQL).
        return RequestQuery(ids=[i for i in ids if RECEIPT_CHARACTERS.match(i)])
    errors: list[str] = []
    codes = _list_param(params, "service_code")
    for code in codes:
        if code not in SERVICE_CODES:
            errors.append(
                _param_error(
                    "service_code",
                    _("“%(code)s” is not a service code; the codes are %(codes)s.")
                    % {"code": code, "codes": ", ".join(SERVICE_CODES)},
                )
            )
    statuses = [s.lower() for s in _list_param(params, "status")]
    for value in statuses:
        if value not in STATUSES:
            errors.append(
                _param_error(
                    "status",
                    _("“%(value)s” is not a status; use open or closed.") % {"value": value},
                )
            )
    start, end = _moment(params, "start_date", errors), _moment(params, "end_date", errors)
    if not errors:
        try:
            if start is None and end is None:
                end = timezone.now()
                start = end - DEFAULT_SPAN
            elif end is None:
                end = start + DEFAULT_SPAN
            elif start is None:
                start = end - DEFAULT_SPAN
        except OverflowError:
            errors.append(_("start_date and end_date must be between the years 1 and 9999."))
    if not errors and start > end:
        errors.append(_param_error("end_date", _("end_date is before start_date.")))
    elif not errors and end - start > DEFAULT_SPAN:
        errors.append(_param_error("end_date", _("The range may not span more than 90 days.")))
    if errors:
        raise Open311Error(errors)
    return RequestQuery(codes=codes, statuses=statuses, start=start, end=end)


# ---------------------------------------------------------------------------- POST requests


class Open311ReportForm(ReportForm):
    """The web form with its rules, fed from Open311 parameters. Differences: the department
    is chosen by its code (the attribute's key), and there is no honeypot and no attachment,
    which an API client has neither of."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        del self.fields["attachments"]
        self.fields["department"].choices = [(d.code, d.name) for d in Department.objects.active()]

    def clean_department(self) -> Department:
        department = (
            Department.objects.active().filter(code=self.cleaned_data["department"]).first()
        )
        if department is None:
            raise forms.ValidationError(_("Choose a department from the list."))
        return department

    def submission(self) -> dict:
        self.cleaned_data.setdefault("attachments", [])
        return super().submission()


# The web form's fields as the Open311 parameters that fill them, for error messages.
FIELD_PARAMS = {
    "kind": "service_code",
    "department": "attribute[department]",
    "official_name": "attribute[official_name]",
    "incident_on": "attribute[incident_on]",
    "channel": "attribute[channel]",
    "text": "description",
    "reporter_name": "first_name, last_name",
    "reporter_phone": "phone",
    "reporter_email": "email",
    "consent": "attribute[consent]",
    "confirm_duplicate": "attribute[confirm_duplicate]",
}

_HANGUL = re.compile("[\uac00-\ud7a3]")


def full_name(first: str, last: str) -> str:
    """One name from the standard's two: Korean names family name first, with no space."""
    first, last = first.strip(), last.strip()
    if not first or not last:
        return first or last
    if _HANGUL.search(first + last):
        return f"{last}{first}"
    return f"{first} {last}"


def _incident_on(value: str) -> str | None:
    """The attribute as the form's date (YYYY-MM-DD), or None if it is no date at all. A
    date and time counts by its date in Seoul, whatever its offset."""
    value = value.strip()
    if not value:
        return ""
    try:
        day = parse_date(value)
        if day is not None:
            return day.isoformat()
        moment = parse_datetime(value)
    except ValueError:  # well formed but impossible, e.g. 2026-02-30
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return timezone.localdate(moment).isoformat()


def report_params(data) -> dict[str, str]:
    """The POST parameters as plain text (a file sent in a multipart body is ignored)."""
    return {key: value for key, value in data.items() if isinstance(value, str)}


def service_code_checked(params: dict[str, str]) -> str:
    code = params.get("service_code", "").strip()
    if not code:
        raise Open311Error([_param_error("service_code", _("service_code was not provided."))])
    if code not in SERVICE_CODES:
        raise Open311Error(
            [
                _param_error(
                    "service_code",
                    _("“%(code)s” was not found; the codes are %(codes)s.")
                    % {"code": code, "codes": ", ".join(SERVICE_CODES)},
                )
            ],
            status.HTTP_404_NOT_FOUND,
        )
    return code


@dataclass
class CheckedReport:
    form: Open311ReportForm
    location: dict = field(default_factory=dict)


def report_checked(params: dict[str, str], *, code: str) -> CheckedReport:
    """Validate a POST with the web form's rules; raise Open311Error listing every problem."""

    def attribute(name: str) -> str:
        return params.get(f"attribute[{name}]", "")

    errors: list[str] = []
    incident_on = _incident_on(attribute("incident_on"))
    data = {
        "kind": code,
        "department": attribute("department").strip(),
        "official_name": attribute("official_name"),
        "incident_on": incident_on if incident_on is not None else "",
        "channel": attribute("channel").strip(),
        "text": params.get("description", ""),
        "reporter_name": full_name(params.get("first_name", ""), params.get("last_name", "")),
        "reporter_phone": params.get("phone", ""),
        "reporter_email": params.get("email", "").strip(),
    }
    if attribute("consent").strip().lower() == YES:
        data["consent"] = "on"
    if attribute("confirm_duplicate").strip().lower() == YES:
        data["confirm_duplicate"] = "on"
    form = Open311ReportForm(data)
    form.is_valid()
    for name, messages in form.errors.items():
        if name == "incident_on" and incident_on is None:
            continue  # the clearer message below
        param = FIELD_PARAMS.get(name)
        errors.extend(_param_error(param, m) if param else m for m in messages)
    if incident_on is None:
        errors.append(
            _param_error(
                "attribute[incident_on]",
                _(
                    "Give a date (2026-05-31) or an ISO 8601 date and time with its offset "
                    "(2026-05-31T14:30:00+09:00)."
                ),
            )
        )
    location = _location(params, errors)
    if errors:
        raise Open311Error(errors)
    return CheckedReport(form=form, location=location)


_NO_NULS = ProhibitNullCharactersValidator()


def _text_param(params, name: str, max_length: int, errors: list[str]) -> str:
    value = params.get(name, "").strip()
    try:
        _NO_NULS(value)
    except ValidationError as exc:
        errors.append(_param_error(name, exc.messages[0]))
        return ""
    if len(value) > max_length:
        errors.append(_param_error(name, _("At most %(n)s characters.") % {"n": max_length}))
    return value


def _coordinate(params, name: str, limit: int, errors: list[str]) -> Decimal | None:
    raw = params.get(name, "").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) > limit:
        errors.append(
            _param_error(
                name,
                _("Give a number between -%(limit)s and %(limit)s (WGS84 degrees).")
                % {"limit": limit},
            )
        )
        return None
    return value.quantize(Decimal("0.000001"))


def _location(params: dict[str, str], errors: list[str]) -> dict:
    """SPEC section 9, a deliberate deviation: a location is optional, but what is sent
    must be right."""
    location = {}
    has_lat, has_long = bool(params.get("lat", "").strip()), bool(params.get("long", "").strip())
    if has_lat or has_long:
        if not (has_lat and has_long):
            errors.append(_param_error("lat", _("lat and long are sent together or not at all.")))
        else:
            lat = _coordinate(params, "lat", 90, errors)
            long = _coordinate(params, "long", 180, errors)
            if lat is not None and long is not None:
                location.update(lat=lat, long=long)
    address_string = _text_param(params, "address_string", 250, errors)
    address_id = _text_param(params, "address_id", 100, errors)
    media_url = _text_param(params, "media_url", 500, errors)
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            errors.append(_param_error("media_url", _("Give an http or https address.")))
            media_url = ""
    location.update(address_string=address_string, address_id=address_id, media_url=media_url)
    return {key: value for key, value in location.items() if value not in ("", None)}
