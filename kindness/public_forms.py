"""What the public forms a resident sends share (a report, a consultation request): the
fields of their contact details and consent, the check of the honeypot that tells
form-filling robots from people (kindness.forms.honeypot_field), and the storing of a
valid form within the submission limit (public_submit)."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_ratelimit.exceptions import Ratelimited

from kindness.phones import phone_normalize
from kindness.ratelimit import rate_take


class PhoneField(forms.CharField):
    """A Korean phone number, cleaned to the form it is stored in (kindness.phones); an
    optional field left empty stays empty."""

    default_error_messages = {
        "invalid": _("Enter a Korean phone number, for example 010-1234-5678 or 052-229-1234."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        normalized = phone_normalize(value)
        if normalized is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return normalized


def name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Your name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )


def phone_field(*, help_text: str, required: bool = True) -> PhoneField:
    return PhoneField(label=_("Your phone number"), required=required, help_text=help_text)


def email_field(*, help_text: str) -> forms.EmailField:
    return forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,  # the column (RFC 5321 path limit); longer is a form error
        required=False,
        help_text=help_text,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def consent_field(*, refused: str) -> forms.BooleanField:
    """The consent to the collection of personal data; `refused` says what is not received
    without it."""
    return forms.BooleanField(
        label=_("I agree to the collection and use of my personal data as described above."),
        error_messages={"required": refused},
    )


class HoneypotCheck:
    """Form mixin for a public form with a honeypot field `website`: filled in, it marks the
    submission as spam (`is_spam`, for the view) and fails the form with `spam_error`,
    deliberately vague: nothing tells a robot which field gave it away."""

    spam_error = ""
    is_spam = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            self.is_spam = True
            raise forms.ValidationError(self.spam_error)
        return cleaned


def public_submit(
    request, form, store: Callable[..., object], *, group: str, refused: type[Exception]
):
    """Store a valid public form by `store(**form.submission())`. Only a valid submission
    counts against REPORT_RATE in `group`, taken atomically just before it is stored, so
    parallel posts cannot slip past the limit (SPEC sections 3 and 8); none left raises
    Ratelimited. A refusal (`refused`; its message is for people) becomes the form's error
    and gives None; else what `store` gave."""
    if not rate_take(request, group=group, rate=settings.REPORT_RATE):
        raise Ratelimited
    try:
        return store(**form.submission())
    except refused as exc:
        form.add_error(None, str(exc))
        return None
