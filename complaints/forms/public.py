"""Forms of the public report pages (SPEC section 3, Intake): validation only.

Everything a resident sends is checked here; the view then makes one service call.
"""

from __future__ import annotations

import datetime as dt

import filetype
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models import Report
from kindness import numbering
from kindness.forms import TrackFormBase, honeypot_field, search_field
from kindness.models import Department
from kindness.params import pk_parse
from kindness.public_forms import (
    HoneypotCheck,
    consent_field,
    email_field,
    name_field,
    phone_field,
)
from kindness.retention import years_before
from kindness.validation import TextRules

TEXT_MIN = 10
TEXT_MAX = 4000
MAX_FILES = 3
MAX_FILE_MB = 5
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
# Types are told by the file's first bytes, never by its name or what the browser claims.
ALLOWED_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf")


# ---------------------------------------------------------------------------- fields


class _TextField(forms.CharField):
    """Counts a line break as one character, as the resident sees it (browsers send CRLF)."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


class _MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class _MultipleFileField(forms.FileField):
    """Several files from one <input type="file" multiple>; cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(_MultipleFileField, self).clean(f, initial) for f in files]


class _OnDemandChoiceField(forms.ChoiceField):
    """Choices that may be given as a callable, called only when the form is shown. A sent
    value is then not looked up in the list (building it would load every choice): the
    form's clean_<name>() checks it, with the field's own "not one of the available
    choices" error. Choices given as a list are checked against it as usual."""

    on_demand = False

    @forms.ChoiceField.choices.setter
    def choices(self, value):
        self.on_demand = callable(value)
        forms.ChoiceField.choices.fset(self, value)

    def valid_value(self, value) -> bool:
        return True if self.on_demand else super().valid_value(value)


def _content_type(upload: UploadedFile) -> str | None:
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    kind = filetype.guess(head) if head else None
    return kind.mime if kind else None


# ---------------------------------------------------------------------------- forms


class ReportForm(HoneypotCheck, TextRules, forms.Form):
    """The public report form of SPEC section 3. `cleaned_data["attachments"]` holds
    (file, content type) pairs, the form report_submit takes."""

    kind = forms.ChoiceField(
        label=_("What would you like to tell us?"),
        choices=[
            (Report.Kind.PRAISE, _("Praise: an official served me well")),
            (Report.Kind.UNKIND, _("Unkindness: an official treated me unkindly")),
        ],
        widget=forms.RadioSelect,
    )
    department = _OnDemandChoiceField(
        label=_("Department"),
        help_text=_("The department of the official, listed under its bureau."),
    )
    official_name = forms.CharField(
        label=_("Official's name"),
        max_length=100,
        required=False,
        help_text=_("If you know it. Leave empty if you do not."),
    )
    incident_on = forms.DateField(
        label=_("Date it happened"),
        help_text=_("Within the last year."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    channel = forms.ChoiceField(
        label=_("How were you in contact?"),
        choices=[
            (Report.Channel.VISIT, _("I visited the office")),
            (Report.Channel.PHONE, _("By phone")),
            (Report.Channel.FIELD, _("In the field (outside the office)")),
            (Report.Channel.ONLINE, _("Online")),
        ],
        widget=forms.RadioSelect,
    )
    text = _TextField(
        label=_("What happened"),
        min_length=TEXT_MIN,
        max_length=TEXT_MAX,
        help_text=_("Between 10 and 4,000 characters."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    reporter_name = name_field()
    reporter_phone = phone_field(
        required=False,
        help_text=_(
            "Required for an unkindness report: the department head phones you to apologise "
            "when it is substantiated. Optional for praise. For example 010-1234-5678."
        ),
    )
    reporter_email = email_field(help_text=_("Optional. We send the receipt number there."))
    attachments = _MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_(
            "Optional. At most 3 files of 5 MB each: photos (JPEG, PNG, GIF, WebP) or PDF."
        ),
        widget=_MultipleFileInput(attrs={"accept": ",".join(ALLOWED_TYPES)}),
    )
    consent = consent_field(refused=_("Your report can be received only with your consent."))
    website = honeypot_field()
    confirm_duplicate = forms.BooleanField(
        label=_("Submit anyway: this is a different matter"), required=False
    )

    spam_error = _("Your report could not be sent. Check the form and try again.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Listed only when the form is shown: a sent form's department is checked by one
        # query for it (clean_department), not by loading every department of the city.
        self._department_choices: list | None = None
        self.fields["department"].choices = self.department_choices
        today = timezone.localdate()
        self.fields["incident_on"].widget.attrs.update(
            {"min": years_before(today, 1).isoformat(), "max": today.isoformat()}
        )

    def department_choices(self) -> list:
        """The active departments grouped by bureau, as the list shows them (built once)."""
        if self._department_choices is None:
            departments = (
                Department.objects.active()
                .select_related("bureau")
                .order_by("bureau__name", "name")
            )
            groups: dict[str, list[tuple[str, str]]] = {}
            for department in departments:
                groups.setdefault(department.bureau.name, []).append(
                    (str(department.pk), department.name)
                )
            self._department_choices = [("", _("Choose a department")), *groups.items()]
        return self._department_choices

    def clean_department(self) -> Department:
        value = self.cleaned_data["department"]
        department = None
        if (pk := pk_parse(value)) is not None:
            department = Department.objects.active().filter(pk=pk).first()
        if department is None:  # not in the list (an unknown or closed department)
            field = self.fields["department"]
            raise forms.ValidationError(
                field.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return department

    def clean_incident_on(self) -> dt.date:
        day = self.cleaned_data["incident_on"]
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError(_("The date cannot be in the future."))
        if day < years_before(today, 1):
            raise forms.ValidationError(_("Reports are taken for the last year only."))
        return day

    def clean_attachments(self) -> list[tuple[UploadedFile, str]]:
        files = self.cleaned_data["attachments"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Attach at most %(count)s files."), params={"count": MAX_FILES}
            )
        checked, errors = [], []
        for upload in files:
            content_type = _content_type(upload)
            if upload.size > MAX_FILE_BYTES:
                errors.append(
                    forms.ValidationError(
                        _("“%(name)s” is larger than %(mb)s MB."),
                        params={"name": upload.name, "mb": MAX_FILE_MB},
                    )
                )
            elif content_type not in ALLOWED_TYPES:
                errors.append(
                    forms.ValidationError(
                        _("“%(name)s” is not a JPEG, PNG, GIF or WebP image or a PDF file."),
                        params={"name": upload.name},
                    )
                )
            else:
                checked.append((upload, content_type))
        if errors:
            raise forms.ValidationError(errors)
        return checked

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Report.Kind.UNKIND and not cleaned.get("reporter_phone"):
            if "reporter_phone" not in self.errors:
                self.add_error(
                    "reporter_phone",
                    _(
                        "Give a phone number: for an unkindness report the department head phones you to apologise."
                    ),
                )
        return cleaned

    def submission(self) -> dict:
        """The cleaned form as the keyword arguments of services.report_submit."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "department": data["department"],
            "official_name": data["official_name"],
            "incident_on": data["incident_on"],
            "channel": data["channel"],
            "text": data["text"],
            "reporter_name": data["reporter_name"],
            "reporter_phone": data["reporter_phone"],
            "reporter_email": data["reporter_email"],
            "attachments": data["attachments"],
        }


class TrackForm(TrackFormBase):
    number_prefix = numbering.RECEIPT
    number_label = _("Receipt number")
    number_help = _("As shown when you filed the report, for example R-2025-000123.")


class PraiseSearchForm(TextRules, forms.Form):
    q = search_field(
        _("Search the praise board"),
        help_text=_("An official's name, a department or words of the praise."),
    )
