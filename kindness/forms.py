from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kindness import numbering
from kindness.imports import REGISTRY, looks_like, read_header, wrong_kind_message
from kindness.validation import TextRules


class ImportUploadForm(TextRules, forms.Form):
    # No kind is preselected: a file checked as the wrong kind fails on every column.
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        error_messages={"required": _("Choose what the file holds.")},
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or CP949) or Excel (.xlsx), with a header row."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = sorted(((k, str(imp.label)) for k, imp in REGISTRY.items()), key=lambda c: c[1])
        self.fields["kind"].choices = [("", _("Choose the kind of file")), *choices]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB."),
                params={"mb": settings.IMPORT_MAX_BYTES // 2**20},
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        return upload

    def clean(self):
        cleaned = super().clean()
        upload, kind = cleaned.get("file"), cleaned.get("kind")
        if upload is None or not kind:
            return cleaned
        cleaned["content"] = content = upload.read()
        header = read_header(content)
        other = looks_like(header, chosen=kind) if header else None
        if other is not None:
            # Named on the kind, which is what to change; the file's other problems (if
            # any) are then reported by the import itself.
            self.add_error("kind", wrong_kind_message(other))
        return cleaned


def search_field(label: str, **kwargs) -> forms.CharField:
    """A search box: optional, up to 100 characters, checked by TextRules like any text (a
    control character is told beside the field, never sent to the database)."""
    return forms.CharField(
        label=label,
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
        **kwargs,
    )


class DepartmentSearchForm(TextRules, forms.Form):
    q = search_field(_("Search by name or code"))


class TrackFormBase(TextRules, forms.Form):
    """Following a case a resident filed, by its number and tracking secret (a report at
    /reports/track/, a consultation request at /consultations/track/). Subclasses name the
    number's yearly sequence (`number_prefix`, see kindness.numbering), its label and its
    help; the message for a number not written as one is made from the sequence."""

    number_prefix: str
    number_label: str
    number_help: str

    receipt_no = forms.CharField(
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    secret = forms.CharField(
        label=_("Tracking secret"),
        help_text=_("The 10 letters and digits shown with the number."),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receipt_no"].label = self.number_label
        self.fields["receipt_no"].help_text = self.number_help

    def clean_receipt_no(self) -> str:
        # Accepts every number kindness.numbering issues, also typed without its dashes or
        # zeros.
        number = numbering.number_parse(
            self.cleaned_data["receipt_no"], prefix=self.number_prefix, typed=True
        )
        if number is None:
            prefix = self.number_prefix
            raise forms.ValidationError(
                _("Enter the number as %(pattern)s, for example %(example)s."),
                code="invalid",
                params={
                    "pattern": f"{prefix}-YYYY-{'N' * numbering.DIGITS}",
                    "example": numbering.number_format(prefix, 2025, 123),
                },
            )
        return str(number)


class ActionFormBase(TextRules, forms.Form):
    """Base of the forms on one case's page (a report, a consultation request), one form per
    action. Field ids carry the action's name, since several forms with a `reason` field
    share the page."""

    legend = ""
    submit = ""
    done = ""
    description = ""

    def __init__(self, data=None, *, action: str):
        super().__init__(data, auto_id=f"id_{action}_%s")
        self.action = action


def textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def date_input() -> forms.DateInput:
    """The browser's date picker."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def optional_text_field(label: str) -> forms.CharField:
    """An optional short text on an action's form (a note, a reason)."""
    return forms.CharField(label=label, required=False, max_length=2000, widget=textarea(2))


class HoneypotInput(forms.TextInput):
    """Never shows a value back, so a robot's fill-in is not echoed on a form shown again."""

    def format_value(self, value):
        return None


def honeypot_field() -> forms.CharField:
    """A field people leave empty (its label says so; off screen, out of the tab order) and
    form-filling robots fill in: a public form with one marks the submission as spam."""
    return forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=HoneypotInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
