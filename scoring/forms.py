"""Forms of the managers' rankings pages: validation only; the services decide the rest."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kindness.validation import TextRules
from scoring import rulesets
from scoring.models import RuleSet

# Paths under /staff/rankings/ that are pages, not periods: a period by that code could
# never be opened.
RESERVED_CODES = {"rule-sets"}


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodCreateForm(TextRules, forms.Form):
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


class PublishForm(TextRules, forms.Form):
    """The confirmation a manager gives before a run becomes public."""

    confirm = forms.BooleanField(
        label=_("I have reviewed this run and want residents to see it now."),
        required=True,
        error_messages={"required": _("Tick the box to confirm the publication.")},
    )


# What each setting does (SPEC section 5); the form adds its default, read from the model.
SETTING_HELP = {
    "name": _("A name people recognise in the lists, such as “2026 rules”."),
    "weight_v": _(
        "Share of the visitor-reception survey mean (V) in a department's weighted score. "
        "The weights of V, T and H must sum to 1."
    ),
    "weight_t": _(
        "Share of the telephone-call mean (T; unanswered calls count as 0) in a "
        "department's weighted score."
    ),
    "weight_h": _("Share of the happy-call mean (H) in a department's weighted score."),
    "prior_k": _(
        "How strongly a mean of few responses is pulled toward the city mean: "
        "(n·mean + k·city mean) / (n + k). Applies to departments and individuals; 0 turns "
        "it off."
    ),
    "praise_bonus": _("Points a department gains per praise counted in the period."),
    "praise_cap": _("The largest praise bonus a department can have."),
    "unkind_deduction": _(
        "Points a department loses per unkindness report counted in the period's deduction window."
    ),
    "award_count": _("Departments ranked this high or higher are marked for award."),
    "official_weight_t": _(
        "Share of the mean score of the calls an official answered (T). The individual "
        "weights of T and H must sum to 1."
    ),
    "official_weight_h": _(
        "Share of the mean “kindness of the official” answer in happy-calls of petitions "
        "the official handled (H)."
    ),
    "official_praise_bonus": _("Points an official gains per praise counted in the period."),
    "official_praise_cap": _("The largest praise bonus an official can have."),
    "official_unkind_deduction": _(
        "Points an official loses per unkindness report counted in the period (the period, "
        "not the deduction window)."
    ),
    "minimum_responses": _(
        "Officials with fewer scored responses (answered calls plus happy-calls with a "
        "kindness answer) keep a score but get no rank."
    ),
    "encourage_count": _("Officials ranked this high or higher are marked for encouragement."),
    "bootstrap_replicates": _(
        "How many times each department's and official's own responses are resampled to "
        "find the range of ranks they plausibly hold (the 5th to 95th percentile)."
    ),
}


def _plain(value) -> str:
    """A setting as a person writes it: 0.3, 5 (never 0.300 or 5E+0)."""
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


class RuleSetForm(TextRules, forms.ModelForm):
    """A new rule set version: a name and every setting. The ModelForm runs RuleSet.clean()
    (weights summing to 1, no negatives), whose messages show on the fields; the service
    numbers the version. `based_on` is the version the form was filled from."""

    based_on = forms.ModelChoiceField(
        queryset=RuleSet.objects.all(),
        to_field_name="version",
        widget=forms.HiddenInput,
        error_messages={
            "required": _("The form does not say which version it was based on; reload the page."),
            "invalid_choice": _(
                "The version this form was based on no longer exists; reload the page."
            ),
        },
    )

    class Meta:
        model = RuleSet
        fields = ("name", *rulesets.SETTINGS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name not in SETTING_HELP:
                continue
            help_text = str(SETTING_HELP[name])
            if name in rulesets.SETTINGS:
                default = _plain(RuleSet._meta.get_field(name).default)
                help_text += " " + gettext("Default: %(value)s.") % {"value": default}
            field.help_text = help_text

    @classmethod
    def filled_from(cls, rule_set: RuleSet) -> RuleSetForm:
        initial = {name: _plain(getattr(rule_set, name)) for name in rulesets.SETTINGS}
        return cls(initial={**initial, "name": rule_set.name, "based_on": rule_set.version})

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in rulesets.GROUPS]

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class PeriodRuleSetForm(TextRules, forms.Form):
    """The rule set version a period is scored with from its next run on."""

    rule_set = forms.ModelChoiceField(
        queryset=RuleSet.objects.order_by("-version"),
        to_field_name="version",
        empty_label=None,
        label=_("Rule set version"),
        help_text=_(
            "The next run uses this version. Runs already computed keep the rules they "
            "used. Once a ranking of the period is published, its rules no longer change."
        ),
        error_messages={"invalid_choice": _("There is no such rule set version.")},
    )
