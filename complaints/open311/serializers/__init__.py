"""What goes in and out of the Open311 door: the standard's documents built from our data,
and the standard's parameters checked by the web form's own rules (SPEC sections 3 and 9).

Privacy (SPEC sections 8 and 9): a request record is built only from what the public may
see: the receipt number, kind, status, the public outcome, the department, the dates, and
the praise board's text once praise is shared. Never the reporter's name, phone, e-mail,
nor the location or link they sent; never the text of an unkindness report.
"""

from complaints.open311.serializers.common import (
    CHANGESET,
    DEFAULT_SPAN,
    DEVIATIONS,
    FORMATS,
    MAX_REQUESTS,
    RECEIPT_CHARACTERS,
    SERVICE_CODES,
    SPECIFICATION,
    STATUSES,
    Open311Error,
)
from complaints.open311.serializers.records import (
    RequestQuery,
    is_closed,
    public_reports,
    request_query,
    request_record,
)
from complaints.open311.serializers.reports import (
    CheckedReport,
    Open311ReportForm,
    full_name,
    report_checked,
    report_params,
    service_code_checked,
)
from complaints.open311.serializers.services import (
    discovery,
    service_definition,
    service_list,
    service_name,
    service_notice,
)

__all__ = [
    "CHANGESET",
    "DEFAULT_SPAN",
    "DEVIATIONS",
    "FORMATS",
    "MAX_REQUESTS",
    "RECEIPT_CHARACTERS",
    "SERVICE_CODES",
    "SPECIFICATION",
    "STATUSES",
    "CheckedReport",
    "Open311Error",
    "Open311ReportForm",
    "RequestQuery",
    "discovery",
    "full_name",
    "is_closed",
    "public_reports",
    "report_checked",
    "report_params",
    "request_query",
    "request_record",
    "service_code_checked",
    "service_definition",
    "service_list",
    "service_name",
    "service_notice",
]
