"""Forms of the training pages: validation only; the rules on dates and workshops live in
programme.training.services, whose TrainingError the views show on the form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kindness.forms import date_input, search_field
from kindness.models import Department, Official
from kindness.validation import TextRules
from programme.models import TrainingSession
from programme.training import selectors, services


class SessionFilterForm(TextRules, forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any"))] + TrainingSession.Kind.choices
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Any"))] + [(y, y) for y in years]


class OfficialSearchForm(TextRules, forms.Form):
    """Finding the officials to record on a session's page: by department, by name or
    employee number, or both."""

    department = forms.ChoiceField(label=_("Department"), required=False)
    q = search_field(_("Name or employee number"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="find-%s", **kwargs)
        departments = Department.objects.filter(active=True).order_by("name", "code")
        self.fields["department"].choices = [
            ("", _("Any")),
            *((d.code, f"{d.name} ({d.code})") for d in departments),
        ]


class SessionForm(TextRules, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingSession.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(label=_("First day"), widget=date_input())
    ends_on = forms.DateField(
        label=_("Last day"),
        widget=date_input(),
        help_text=_(
            "The same as the first day for a one-day session. A departmental workshop lasts one or two days."
        ),
    )
    department = forms.ModelChoiceField(
        label=_("Department (for a departmental workshop)"),
        queryset=Department.objects.filter(active=True).order_by("name", "code"),
        required=False,
        empty_label=_("None"),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    instructor = forms.CharField(label=_("Instructor"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    handout_intro = forms.CharField(
        label=_("Handout introduction (case-based training)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @classmethod
    def for_session(cls, session: TrainingSession) -> SessionForm:
        return cls(
            initial={
                name: getattr(session, name) for name in cls.base_fields if name != "department"
            }
            | {"department": session.department_id}
        )


class AttendanceForm(TextRules, forms.Form):
    employee_nos = forms.CharField(
        label=_("Employee numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text=_("One or more, separated by new lines, commas or spaces."),
    )
    officials = forms.ModelMultipleChoiceField(
        label=_("Officials found"),
        queryset=Official.objects.all(),
        to_field_name="employee_no",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        cleaned = super().clean()
        numbers = services.employee_numbers_parse(cleaned.get("employee_nos", ""))
        numbers += [o.employee_no for o in cleaned.get("officials") or []]
        if not numbers and not self.errors:
            raise forms.ValidationError(
                _("Choose at least one official, or type their employee numbers.")
            )
        cleaned["numbers"] = list(dict.fromkeys(numbers))
        return cleaned


class HandoutAddForm(TextRules, forms.Form):
    report = forms.ModelChoiceField(
        queryset=selectors.handout_report_candidates(), required=False, widget=forms.HiddenInput
    )
    happy_call = forms.ModelChoiceField(
        queryset=selectors.handout_call_candidates(), required=False, widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Trainer's note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and (cleaned.get("report") is None) == (
            cleaned.get("happy_call") is None
        ):
            raise forms.ValidationError(_("Choose one case."))
        return cleaned


class HandoutNoteForm(TextRules, forms.Form):
    note = forms.CharField(
        label=_("Trainer's note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
