"""Forms of the report centre's staff pages: validation only. Each case-action form's
cleaned data are exactly the keyword arguments of its service (besides `report` and `by`),
so the view passes them through unchanged."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints import selectors
from complaints.models import Report
from kindness.forms import (
    ActionFormBase,
    date_input,
    optional_text_field,
    search_field,
    textarea,
)
from kindness.models import Department, Official
from kindness.validation import TextRules


def _note_field() -> forms.CharField:
    return optional_text_field(_("Note (optional)"))


def _reason_field(label=None) -> forms.CharField:
    return forms.CharField(label=label or _("Reason"), max_length=2000, widget=textarea(3))


class DateNotInFutureField(forms.DateField):
    def validate(self, value):
        super().validate(value)
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")


class OfficialFindForm(TextRules, forms.Form):
    """The search above the official picker of a case, across the whole city."""

    official_q = search_field(_("Find an official anywhere in the city by employee number or name"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="%s", **kwargs)


class InboxFilterForm(TextRules, forms.Form):
    q = forms.CharField(label=_("Receipt number"), required=False, max_length=30)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any"))] + Report.Kind.choices
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any"))] + Report.Status.choices
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        required=False,
        queryset=Department.objects.none(),
        empty_label=_("Any"),
    )
    source = forms.ChoiceField(
        label=pgettext_lazy("report", "Source"),
        required=False,
        choices=[("", _("Any"))] + Report.Source.choices,
    )
    overdue = forms.BooleanField(label=_("Overdue follow-up only"), required=False)
    # The views of the inbox (issue 15 item 4); chosen by the links above the filters.
    show = forms.ChoiceField(
        label=_("Show"), required=False, choices=selectors.INBOX_VIEWS, widget=forms.HiddenInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.visible_to(user).order_by(
            "name", "code"
        )

    def clean_show(self) -> str:
        # Open cases by default; a chosen status is looked for among all cases.
        show = self.cleaned_data.get("show")
        if show:
            return show
        return "all" if self.data.get("status") else "open"


# ---------------------------------------------------------------------------- case actions


class CaseActionForm(ActionFormBase):
    """Base of the forms on a case page."""

    # The final button of the confirmation step, for the decisions confirmed on a second
    # step (complaints.case_actions.CONFIRMED).
    confirm = ""

    def __init__(self, data=None, *, report: Report, action: str, official_q: str = "", user=None):
        super().__init__(data, action=action)
        self.report = report
        # The search typed in the official picker, and the user the page is for.
        self.official_q = official_q
        self.user = user


class TakeForm(CaseActionForm):
    legend = _("Take this case")
    description = _(
        "You become the handling officer and see the reporter's contact details. "
        "Each view of them is written to the access log."
    )
    submit = _("Take this case")
    done = _("You are now handling this case.")

    reason = forms.CharField(
        label=_("Reason for taking over"),
        help_text=_("Another officer handles this case: say why you take it over."),
        max_length=2000,
        widget=textarea(2),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a takeover needs a reason; the first officer to take a case gives none.
        if self.report.handler_id is None:
            del self.fields["reason"]


class MatchForm(CaseActionForm):
    legend = _("Match the official")
    description = _(
        "Choose the official the report is about. The list holds the officials of "
        "the department the resident named and those found by the search."
    )
    submit = _("Match this official")
    done = _("The official was matched.")

    official = forms.ModelChoiceField(label=_("Official"), queryset=Official.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        report = self.report
        posted = self.data.get("official")
        field = self.fields["official"]
        field.queryset = selectors.officials_for_match(
            report=report, search=self.official_q, include_pk=posted or report.official_id
        )
        field.label_from_instance = lambda o: " · ".join(
            filter(None, [f"{o.name} ({o.employee_no})", o.position, o.department.name])
        )
        field.initial = report.official_id


class StartReviewForm(CaseActionForm):
    legend = _("Start the review")
    description = _(
        "For an unkindness report the official concerned is told now and may give their "
        "account before any decision."
    )
    submit = _("Start the review")
    done = _("The review has started.")

    note = _note_field()


class ReplyForm(CaseActionForm):
    legend = _("Record the official's account")
    submit = _("Record the account")
    done = _("The official's account was recorded.")

    text = forms.CharField(label=_("The official's account"), max_length=4000, widget=textarea(5))


class VerifyForm(CaseActionForm):
    legend = _("Verify the praise")
    description = _("The praise then counts for the official and the department from today.")
    submit = _("Verify")
    done = _("The praise was verified.")

    note = _note_field()


class ShareForm(CaseActionForm):
    legend = _("Share on the praise board")
    submit = _("Share")
    done = _("The praise is on the praise board.")

    public_text = forms.CharField(
        label=_("Text to show on the praise board"),
        help_text=_(
            "Shown publicly with the matched official's name and department (or the approved "
            "name, else the department alone). Remove anything that could identify the "
            "reporter."
        ),
        min_length=10,
        max_length=4000,
        widget=textarea(6),
    )

    board_name = forms.CharField(
        label=_("Name to show (approved)"),
        required=False,
        max_length=100,
        help_text=_(
            "Only when no official is matched: the name the card shows, once you have "
            "checked it. Leave it empty and the card names the department alone."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        report = self.report
        self.fields["public_text"].initial = report.public_text or report.text
        if report.official_id:
            # The card names the matched official and their department.
            del self.fields["board_name"]
        else:
            self.fields["board_name"].initial = report.board_name


class RejectForm(CaseActionForm):
    legend = _("Reject the praise")
    submit = _("Reject")
    confirm = _("Reject the praise")
    done = _("The praise was rejected.")

    reason = _reason_field()


class SubstantiateForm(CaseActionForm):
    legend = _("Substantiate the report")
    description = _(
        "The official gets a penalty record, the case is published internally and the "
        "department head must record a measure against recurrence."
    )
    submit = _("Substantiate")
    confirm = _("Substantiate and record the penalty")
    done = _("The report was substantiated.")

    reason = _reason_field(_("Reason for the decision"))
    summary = forms.CharField(
        label=_("Anonymised summary"),
        help_text=_("Published to staff for training: no names of the reporter or the official."),
        min_length=10,
        max_length=4000,
        widget=textarea(4),
    )


class NotSubstantiateForm(CaseActionForm):
    legend = _("Not substantiated")
    submit = _("Decide: not substantiated")
    done = _("The report was decided as not substantiated.")

    reason = _reason_field(_("Reason for the decision"))


class WithdrawForm(CaseActionForm):
    legend = _("Withdraw the report")
    description = _("When the reporter has withdrawn the report.")
    submit = _("Withdraw")
    confirm = _("Withdraw the report")
    done = _("The report was withdrawn.")

    reason = _reason_field()


class MeasureForm(CaseActionForm):
    legend = _("Recurrence-prevention measure")
    description = _("After the measure, phone the reporter to apologise.")
    submit = _("Record the measure")
    done = _("The measure was recorded. The apology call is now due.")

    text = forms.CharField(
        label=_("Measure taken"), min_length=10, max_length=4000, widget=textarea(5)
    )


class ApologyForm(CaseActionForm):
    legend = _("Apology call")
    description = _("Recording the call closes the case.")
    submit = _("Record the call")
    done = _("The apology call was recorded and the case is closed.")

    called_on = DateNotInFutureField(label=_("Date of the call"), widget=date_input())
    caller = forms.CharField(label=_("Who called"), max_length=100)
    outcome = forms.CharField(label=_("Outcome of the call"), max_length=2000, widget=textarea(3))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Usually the head records the call they just made (issue 15 item 10): today, by
        # them, as their official record names them.
        self.fields["called_on"].initial = timezone.localdate()
        user = self.user
        if user is not None:
            official = getattr(user, "official", None)
            self.fields["caller"].initial = (
                official.name if official else user.get_full_name() or user.get_username()
            )


ACTION_FORMS: dict[str, type[CaseActionForm]] = {
    "take": TakeForm,
    "match": MatchForm,
    "start_review": StartReviewForm,
    "reply": ReplyForm,
    "verify": VerifyForm,
    "share": ShareForm,
    "reject": RejectForm,
    "substantiate": SubstantiateForm,
    "not_substantiate": NotSubstantiateForm,
    "withdraw": WithdrawForm,
    "measure": MeasureForm,
    "apology": ApologyForm,
}


def case_forms(
    *,
    report: Report,
    actions: tuple[str, ...],
    official_q: str = "",
    bound: CaseActionForm | None = None,
    user=None,
) -> list[CaseActionForm]:
    """The forms of the actions offered, in page order; a submitted form that failed is shown
    in place of its blank one (or after them when the state no longer offers it), so what
    was typed is kept."""
    forms_ = [
        bound
        if bound is not None and bound.action == action
        else ACTION_FORMS[action](report=report, action=action, official_q=official_q, user=user)
        for action in actions
    ]
    if bound is not None and bound.action not in actions:
        forms_.append(bound)
    return forms_


# ---------------------------------------------------------------------------- encouragement


class EncouragementForm(TextRules, forms.Form):
    """Record one official's encouragement; `candidates` (the user's list for the year) is
    what a submitted official is checked against."""

    official = forms.ModelChoiceField(queryset=Official.objects.none(), widget=forms.HiddenInput)
    on = DateNotInFutureField(label=_("Date of the encouragement"), widget=date_input())
    note = _note_field()

    def __init__(self, data=None, *, official_pk: int, candidates=None):
        super().__init__(
            data,
            auto_id=f"id_enc{official_pk}_%s",
            initial={"official": official_pk, "on": timezone.localdate()},
        )
        self.official_pk = official_pk
        if candidates is not None:
            self.fields["official"].queryset = candidates
