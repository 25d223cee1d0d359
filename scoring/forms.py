"""Forms of the managers' rankings pages: validation only; the services decide the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# Paths under /staff/rankings/ that are pages, not periods: a period by that code could
# never be opened.
RESERVED_CODES = {"rule-sets"}


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodCreateForm(forms.Form):
    """The arguments of `scoring.services.period_create`; the service checks the rest (a
    custom code without dates, a duplicate, dates out of order) and its message is shown
    as a form error."""

    code = forms.CharField(
        label=_("Period code"),
        max_length=20,
        help_text=_(
            "2026-H1 (first half), 2026-H2 (second half) or 2026 (the year) take their dates "
            "by themselves; any other code is a custom period and needs its first and last day."
        ),
    )
    starts_on = forms.DateField(label=_("First day"), required=False, widget=_date_input())
    ends_on = forms.DateField(label=_("Last day"), required=False, widget=_date_input())
    deduction_starts_on = forms.DateField(
        label=_("Deduction window from"),
        required=False,
        widget=_date_input(),
        help_text=_(
            "Leave both ends empty for the programme's window: the whole year for a "
            "second-half or year period, none for a first-half or custom period."
        ),
    )
    deduction_ends_on = forms.DateField(
        label=_("Deduction window to"), required=False, widget=_date_input()
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if code in RESERVED_CODES:
            raise forms.ValidationError(
                _("“%(code)s” is the address of another page; choose another code."),
                params={"code": code},
            )
        return code


class PublishForm(forms.Form):
    """The confirmation a manager gives before a run becomes public."""

    confirm = forms.BooleanField(
        label=_("I have reviewed this run and want residents to see it now."),
        required=True,
        error_messages={"required": _("Tick the box to confirm the publication.")},
    )
