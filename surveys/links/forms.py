"""The resident's survey form (SPEC section 4, "Survey by link"): the call desk's
questionnaire, voice of the customer and flags, in words for residents rather than keys
for staff. Validation only; `service_kwargs()` fits `survey_link_answer`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from surveys.forms.desk import FIVE_POINT, NO_ANSWER, HappyCallForm, item_label
from surveys.models import QuestionItem, Questionnaire


def resident_choices(item: QuestionItem) -> list[tuple[str, str]]:
    words = FIVE_POINT if item.scale == 5 else {}
    choices = [(str(v), str(words.get(v, v))) for v in range(item.scale, 0, -1)]
    return [*choices, (NO_ANSWER, _("I would rather not say"))]


class LinkSurveyForm(HappyCallForm):
    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, questionnaire=questionnaire, **kwargs)
        for item in self.items:
            field = self.fields[f"item_{item.key}"]
            field.label = item_label(item)
            field.choices = resident_choices(item)
        self.fields["voc"].label = _("Anything else you would like to tell us?")
        self.fields["voc"].help_text = _("Optional. Please do not write other people's names.")
        self.fields["kind_case"].label = _(
            "The official was especially kind: I would like to praise them"
        )
        self.fields["unkind_case"].label = _(
            "The official was unkind: I would like to report it to the report centre"
        )
