"""Forms of the expert consultation room: validation only. The public request form and each
staff form clean to exactly the keyword arguments of their service."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kindness import numbering
from kindness.forms import (
    ActionFormBase,
    TrackFormBase,
    date_input,
    honeypot_field,
    optional_text_field,
    textarea,
)
from kindness.params import pk_parse
from kindness.public_forms import (
    HoneypotCheck,
    consent_field,
    email_field,
    name_field,
    phone_field,
)
from kindness.validation import TextRules
from programme.consultations.selectors import expert_fields, slot_choices, slots_open
from programme.models import ConsultationRequest, ConsultationSlot

Status = ConsultationRequest.Status


class ConsultationRequestForm(HoneypotCheck, TextRules, forms.Form):
    """The public request form (SPEC section 6)."""

    topic = forms.CharField(
        label=_("Topic of the consultation"),
        max_length=200,
        help_text=_("In a few words, for example “deposit not returned after a lease”."),
    )
    field = forms.ChoiceField(
        label=_("Field of the consultation"),
        required=False,
        help_text=_("Optional. The field of the expert closest to your question."),
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=4000,
        help_text=_("Optional. What the expert should know beforehand."),
        widget=textarea(5),
    )
    preferred_on = forms.DateField(
        label=_("Preferred date"),
        help_text=_("Today or later. We confirm the nearest time an expert is free."),
        widget=date_input(),
    )
    preferred_time = forms.ChoiceField(
        label=_("Preferred time of day"),
        choices=ConsultationRequest.TimeOfDay.choices,
        initial=ConsultationRequest.TimeOfDay.ANY,
        widget=forms.RadioSelect,
    )
    preferred_note = forms.CharField(
        label=_("Other times that suit you"),
        required=False,
        max_length=200,
        help_text=_("Optional, for example “weekdays after 3 pm”."),
    )
    priority_group = forms.ChoiceField(
        label=_("Priority group"),
        required=False,
        choices=ConsultationRequest.PriorityGroup.choices,
        help_text=_(
            "Optional. If you belong to one of these groups, the city offers you a "
            "consultation first. You will not be asked for proof."
        ),
    )
    name = name_field()
    phone = phone_field(help_text=_("We phone you to agree the time. For example 010-1234-5678."))
    email = email_field(help_text=_("Optional. We send the confirmed time there."))
    consent = consent_field(refused=_("Your request can be received only with your consent."))
    website = honeypot_field()

    spam_error = _("Your request could not be sent. Check the form and try again.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_on"].widget.attrs["min"] = timezone.localdate().isoformat()
        self.fields["field"].choices = [("", _("Not sure: let the staff choose"))] + [
            (name, name) for name in expert_fields()
        ]

    def clean_preferred_on(self) -> dt.date:
        day = self.cleaned_data["preferred_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The preferred date cannot be in the past."))
        if day > timezone.localdate() + dt.timedelta(days=365):
            raise forms.ValidationError(_("Choose a date within the next year."))
        return day

    def submission(self) -> dict:
        """The cleaned form as the keyword arguments of consultation_request_submit."""
        data = dict(self.cleaned_data)
        for key in ("consent", "website"):
            data.pop(key, None)
        return data


class TrackForm(TrackFormBase):
    """Following a request at /consultations/track/ (SPEC section 6)."""

    number_prefix = numbering.CONSULTATION
    number_label = _("Request number")
    number_help = _("As shown when you sent the request, for example C-2025-000123.")


# ---------------------------------------------------------------------------- staff


class FilterForm(TextRules, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any"))] + Status.choices
    )
    priority_only = forms.BooleanField(label=_("Priority groups only"), required=False)
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("priority", _("Priority groups first")), ("newest", _("Newest first"))],
    )


class ExpertForm(TextRules, forms.Form):
    done = _("The expert was added.")

    name = forms.CharField(label=_("Expert's name"), max_length=100)
    field = forms.CharField(
        label=_("Field"), max_length=200, help_text=_("For example “tax” or “labour law”.")
    )


class SlotForm(TextRules, forms.Form):
    done = _("The slot was added.")

    day = forms.DateField(label=_("Date"), widget=date_input())
    starts = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=200)

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts"), cleaned.get("ends")
        if starts and ends and ends <= starts:
            self.add_error("ends", _("The slot must end after it starts."))
        return cleaned

    def submission(self) -> dict:
        """The cleaned form as the keyword arguments of slot_create (besides the expert)."""
        data = self.cleaned_data

        def at(time: dt.time) -> dt.datetime:
            return timezone.make_aware(dt.datetime.combine(data["day"], time))

        return {
            "starts_at": at(data["starts"]),
            "ends_at": at(data["ends"]),
            "place": data["place"],
        }


class ActionForm(ActionFormBase):
    """Base of the forms on a request's page."""

    def __init__(self, data=None, *, consultation: ConsultationRequest, action: str):
        super().__init__(data, action=action)
        self.consultation = consultation


class TakeForm(ActionForm):
    legend = _("Handle this request")
    description = _(
        "You become the staff member handling it and see the resident's contact details. "
        "Each view of them is written to the access log."
    )
    submit = _("Handle this request")
    done = _("You are now handling this request.")


class _SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, slot: ConsultationSlot) -> str:
        starts = timezone.localtime(slot.starts_at)
        ends = timezone.localtime(slot.ends_at)
        parts = [
            f"{starts:%Y-%m-%d %H:%M}–{ends:%H:%M}",
            f"{slot.expert.name} ({slot.expert.field})",
        ]
        return " · ".join([*parts, slot.place] if slot.place else parts)


class ConfirmForm(ActionForm):
    legend = _("Confirm a slot")
    description = _(
        "Choose a free slot of an expert. You become the staff member handling the "
        "request; the resident is sent the time by e-mail if they gave an address."
    )
    submit = _("Confirm this slot")
    done = _("The consultation is confirmed.")

    slot = _SlotChoiceField(
        label=_("Slot"), queryset=ConsultationSlot.objects.none(), empty_label=_("Choose a slot")
    )

    def __init__(self, data=None, *, show_all: bool = False, **kwargs):
        super().__init__(data, **kwargs)
        field = self.fields["slot"]
        # Any open slot may be confirmed: the picker only orders them (below). A slot booked
        # meanwhile stays choosable, so that the service's clear refusal is shown rather
        # than the field's generic "not one of the choices".
        posted = pk_parse(data.get("slot")) if data is not None else None
        choosable = Q(pk__in=slots_open().values("pk"))
        if posted is not None:
            choosable |= Q(pk=posted)
        field.queryset = (
            ConsultationSlot.objects.select_related("expert")
            .filter(choosable)
            .order_by("starts_at", "expert__name")
        )
        # Offered first: the slots matching the request's field, dates and times, nearest
        # first; the others only on asking, or when none matches (issue 15 item 7).
        if data is not None:
            show_all = data.get("show_all") == "1"
        self.picker = slot_choices(consultation=self.consultation)
        self.show_all = show_all or not self.picker.matching
        label = field.label_from_instance
        choices = [("", field.empty_label)]
        if not self.show_all:
            choices += [(s.pk, label(s)) for s in self.picker.matching]
        else:
            groups = [
                (_("Matching the request"), self.picker.matching),
                (_("Same field, other dates or times"), self.picker.same_field),
                (_("Other experts"), self.picker.others),
            ]
            choices += [
                (name, [(s.pk, label(s)) for s in slots]) for name, slots in groups if slots
            ]
        field.choices = choices


class CancelForm(ActionForm):
    legend = _("Cancel the request")
    submit = _("Cancel the request")
    done = _("The request is cancelled.")

    reason = optional_text_field(_("Reason (optional)"))


class OutcomeForm(ActionForm):
    legend = _("Record the outcome")
    submit = _("Record the outcome")
    done = _("The outcome is recorded.")

    result = forms.ChoiceField(
        label=_("Was the consultation held?"),
        choices=[(Status.DONE, _("Held")), (Status.NO_SHOW, _("The resident did not come"))],
        widget=forms.RadioSelect,
    )
    outcome = forms.CharField(
        label=_("What was discussed and advised"),
        required=False,
        max_length=4000,
        help_text=_("Required when the consultation was held. No personal data, please."),
        widget=textarea(4),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("result") == Status.DONE and not cleaned.get("outcome", "").strip():
            self.add_error("outcome", _("Write down what was discussed and advised."))
        return cleaned


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "take": TakeForm,
    "confirm": ConfirmForm,
    "cancel": CancelForm,
    "outcome": OutcomeForm,
}
