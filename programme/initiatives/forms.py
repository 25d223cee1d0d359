"""Forms of the initiative pages: validation only. Each form's cleaned data are the keyword
arguments of its service in programme.initiatives.services (besides the initiative and `by`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from programme.models import Initiative


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class InitiativeForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the initiative a title.")},
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=_textarea(),
        max_length=4000,
        help_text=_("What the department will do and for whom."),
    )
    strengths = forms.CharField(
        label=_("Self-diagnosed strengths"), required=False, widget=_textarea(3), max_length=4000
    )
    weaknesses = forms.CharField(
        label=_("Self-diagnosed weaknesses"), required=False, widget=_textarea(3), max_length=4000
    )
    actions = forms.CharField(
        label=_("Planned actions"), required=False, widget=_textarea(), max_length=4000
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        widget=_textarea(3),
        max_length=4000,
        help_text=_("Fill in as the year ends: what changed for residents."),
    )

    @classmethod
    def for_initiative(cls, initiative: Initiative) -> InitiativeForm:
        return cls(initial={name: getattr(initiative, name) for name in cls.base_fields})


class NoteForm(forms.Form):
    """A progress update (department) or a comment (manager): one text."""

    text = forms.CharField(
        label=_("Text"),
        widget=_textarea(3),
        max_length=4000,
        error_messages={"required": _("Write something before saving the note.")},
    )

    def __init__(self, *args, prefix: str, label, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.fields["text"].label = label


class AssessmentForm(forms.Form):
    assessment = forms.ChoiceField(
        label=_("Grade"),
        choices=[("", _("Choose a grade")), *Initiative.Assessment.choices],
        error_messages={
            "required": _("Choose one of the assessment grades."),
            "invalid_choice": _("Choose one of the assessment grades."),
        },
    )
    note = forms.CharField(
        label=_("Assessment note"), required=False, widget=_textarea(3), max_length=4000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="assess", **kwargs)
