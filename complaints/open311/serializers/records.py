"""Request records and the GET requests query. Only what the public may see goes out
(see the package's docstring)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from complaints.models import Report
from complaints.open311.serializers.common import (
    DEFAULT_SPAN,
    MAX_REQUESTS,
    RECEIPT_CHARACTERS,
    SERVICE_CODES,
    STATUSES,
    UNKIND_DECIDED,
    Open311Error,
    param_error,
)
from complaints.open311.serializers.services import service_name, service_notice
from kindness.validation import year_problem


def is_closed(report: Report) -> bool:
    return report.status in Report.ENDED


def request_record(report: Report) -> dict:
    """One `request` of GET requests, in the standard's order of fields."""
    closed = is_closed(report)
    shared_praise = report.kind == Report.Kind.PRAISE and report.status == Report.Status.SHARED
    undecided = report.kind == Report.Kind.UNKIND and report.status not in UNKIND_DECIDED
    return {
        "service_request_id": report.receipt_no,
        "status": "closed" if closed else "open",
        "status_notes": report.public_outcome or report.get_status_display(),
        "service_name": service_name(report.kind),
        "service_code": report.kind,
        "description": report.public_text if shared_praise and report.public_text else None,
        "agency_responsible": None if undecided else report.scored_department.name,
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
            param_error(
                name,
                _(
                    "Give an ISO 8601 date and time with its offset, for example "
                    "2026-05-31T00:00:00+09:00 or 2026-05-30T15:00:00Z."
                ),
            )
        )
        return None
    # Before any arithmetic or query: year 1 at +14:00 is year 0 in UTC, which overflows.
    if problem := year_problem(moment):
        errors.append(param_error(name, problem))
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
            # The standard: a list of ids overrides every other argument. Asked by number,
            # an undecided unkindness report shows its status, without its department.
            reports = reports.filter(receipt_no__in=self.ids)
        else:
            reports = reports.filter(created_at__gte=self.start, created_at__lte=self.end)
            reports = reports.exclude(Q(kind=Report.Kind.UNKIND) & ~Q(status__in=UNKIND_DECIDED))
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
                param_error(
                    "service_code",
                    _("“%(code)s” is not a service code; the codes are %(codes)s.")
                    % {"code": code, "codes": ", ".join(SERVICE_CODES)},
                )
            )
    statuses = [s.lower() for s in _list_param(params, "status")]
    for value in statuses:
        if value not in STATUSES:
            errors.append(
                param_error(
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
        errors.append(param_error("end_date", _("end_date is before start_date.")))
    elif not errors and end - start > DEFAULT_SPAN:
        errors.append(param_error("end_date", _("The range may not span more than 90 days.")))
    if errors:
        raise Open311Error(errors)
    return RequestQuery(codes=codes, statuses=statuses, start=start, end=end)
