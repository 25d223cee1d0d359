"""The discovery document, the service list and the service definitions (the attributes
a client may send), built from our data."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from complaints.forms.public import TEXT_MAX, TEXT_MIN, ReportForm
from complaints.models import Report
from complaints.open311.serializers.common import (
    CHANGESET,
    DEVIATIONS,
    FORMATS,
    SERVICE_CODES,
    SPECIFICATION,
    YES,
)
from kindness.models import Department, ProgrammeSettings


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
                    "Accepted and without effect: a report from the same phone number about "
                    "the same department within %(hours)s hours is stored and marked for "
                    "staff as a possible duplicate."
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
