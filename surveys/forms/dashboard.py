"""The happy-call dashboard's filters: validation only."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from kindness.models import Department
from surveys import selectors

DEFAULT_DAYS = 30
# A year and a day, so that any calendar year fits; longer spans make the daily table unusable.
MAX_DAYS = 366


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class DashboardFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=_date_input())
    end = forms.DateField(label=_("To"), required=False, widget=_date_input())
    department = forms.ModelChoiceField(
        label=_("Department"),
        required=False,
        queryset=Department.objects.none(),
        empty_label=_("All departments"),
    )
    staff = StaffChoiceField(
        label=_("Staff member"),
        required=False,
        queryset=selectors.staff_choices(),
        empty_label=_("All staff"),
        help_text=_("Calls the staff member was assigned, attempted or entered."),
    )

    def __init__(self, data=None, *, user, today: dt.date, **kwargs):
        if data is not None and not data.get("start") and not data.get("end"):
            # Show the default period in the form, not only apply it.
            data = data.copy()
            data["start"] = (today - dt.timedelta(days=DEFAULT_DAYS - 1)).isoformat()
            data["end"] = today.isoformat()
        super().__init__(data, **kwargs)
        self.today = today
        self.fields["department"].queryset = Department.objects.visible_to(user).order_by(
            "name", "code"
        )
        self.fields["staff"].queryset = selectors.staff_choices()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        # Without dates: the last 30 days up to today, or up to the given end.
        end = data.get("end") or self.today
        start = data.get("start")
        if start is None:
            try:
                start = end - dt.timedelta(days=DEFAULT_DAYS - 1)
            except OverflowError:
                self.add_error("end", _("Enter a later date."))
                return data
        if start > end:
            self.add_error("end", _("The end of the period cannot be before its start."))
        elif (end - start).days + 1 > MAX_DAYS:
            self.add_error(
                "start",
                _("The period can be at most %(days)d days long.") % {"days": MAX_DAYS},
            )
        data["start"], data["end"] = start, end
        return data

    def dashboard_filter(self) -> selectors.DashboardFilter:
        data = self.cleaned_data
        return selectors.DashboardFilter(
            start=data["start"],
            end=data["end"],
            department=data.get("department"),
            staff=data.get("staff"),
        )
