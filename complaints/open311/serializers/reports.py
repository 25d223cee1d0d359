"""POST requests: the standard's parameters checked by the web form's own rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator, URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from rest_framework import status

from complaints.forms.public import ReportForm
from complaints.open311.serializers.common import (
    SERVICE_CODES,
    YES,
    Open311Error,
    param_error,
)
from kindness.models import Department
from kindness.validation import text_problem, year_problem


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
    if year_problem(moment):
        # Not converted to Seoul time, which would overflow at year 1 or 9999: the date as
        # written, which the form refuses as out of range, naming the attribute.
        return moment.date().isoformat()
    return timezone.localdate(moment).isoformat()


def report_params(data) -> dict[str, str]:
    """The POST parameters as plain text (a file sent in a multipart body is ignored)."""
    return {key: value for key, value in data.items() if isinstance(value, str)}


def service_code_checked(params: dict[str, str]) -> str:
    code = params.get("service_code", "").strip()
    if not code:
        raise Open311Error([param_error("service_code", _("service_code was not provided."))])
    if code not in SERVICE_CODES:
        raise Open311Error(
            [
                param_error(
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
        errors.extend(param_error(param, m) if param else m for m in messages)
    if incident_on is None:
        errors.append(
            param_error(
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
        errors.append(param_error(name, exc.messages[0]))
        return ""
    if len(value) > max_length:
        errors.append(param_error(name, _("At most %(n)s characters.") % {"n": max_length}))
    elif problem := text_problem(value):
        errors.append(param_error(name, problem))
        return ""
    return value


def _coordinate(params, name: str, limit: int, errors: list[str]) -> Decimal | None:
    raw = params.get(name, "").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) > limit:
        errors.append(
            param_error(
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
            errors.append(param_error("lat", _("lat and long are sent together or not at all.")))
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
            errors.append(param_error("media_url", _("Give an http or https address.")))
            media_url = ""
    location.update(address_string=address_string, address_id=address_id, media_url=media_url)
    return {key: value for key, value in location.items() if value not in ("", None)}
