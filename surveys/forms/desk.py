"""Forms of the call desk: validation only. The survey form is built from the questionnaire
in use (items, order and scale are data); its `service_kwargs()` are exactly the keyword
arguments of `happy_call_complete` besides `call` and `by`."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from surveys.models import CallAttempt, QuestionItem, Questionnaire

NO_ANSWER = "0"  # the value (and the number key) of "no answer"

# The words of the default 5-point scale (SPEC section 4: very satisfied ... very dissatisfied).
FIVE_POINT = {
    5: _("Very satisfied"),
    4: _("Satisfied"),
    3: _("Neither satisfied nor dissatisfied"),
    2: _("Dissatisfied"),
    1: _("Very dissatisfied"),
}


def item_label(item: QuestionItem) -> str:
    return item.label_ko if (get_language() or "").startswith("ko") else item.label_en


def item_choices(item: QuestionItem) -> list[tuple[str, str]]:
    """From the best answer down, then "no answer": the order the question is read out."""
    words = FIVE_POINT if item.scale == 5 else {}
    choices = [
        (str(v), f"{v} · {words[v]}" if v in words else str(v)) for v in range(item.scale, 0, -1)
    ]
    return [*choices, (NO_ANSWER, f"{NO_ANSWER} · {_('No answer')}")]


class HappyCallForm(forms.Form):
    """One radio group per item (1..scale or "no answer", every item required), the voice
    of the customer and the two flags."""

    use_required_attribute = False  # the server's message beside the item, not the browser's

    voc = forms.CharField(
        label=_("Voice of the customer"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the petitioner said, in their words. Optional."),
    )
    kind_case = forms.BooleanField(
        label=_("Kindness case: report the official for praise"), required=False
    )
    unkind_case = forms.BooleanField(
        label=_("Unkindness case: report to the report centre"), required=False
    )

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.items = list(questionnaire.items.all())
        # Questions first, in the questionnaire's order: the tab order of the page.
        questions = {
            f"item_{item.key}": forms.ChoiceField(
                label=item_label(item),
                choices=item_choices(item),
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer, or “no answer”."),
                    "invalid_choice": _("Choose an answer, or “no answer”."),
                },
            )
            for item in self.items
        }
        self.fields = {**questions, **self.fields}

    def questions(self) -> list[forms.BoundField]:
        return [self[f"item_{item.key}"] for item in self.items]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "answers": {
                item.key: None
                if data[f"item_{item.key}"] == NO_ANSWER
                else int(data[f"item_{item.key}"])
                for item in self.items
            },
            "voc": data["voc"],
            "kind_case": data["kind_case"],
            "unkind_case": data["unkind_case"],
        }


class AttemptForm(forms.Form):
    """An attempt that did not reach the survey (an answered one is saved with the survey)."""

    OUTCOMES = [c for c in CallAttempt.Outcome.choices if c[0] != CallAttempt.Outcome.ANSWERED]

    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES)
