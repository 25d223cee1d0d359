from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kindness.imports import REGISTRY
from kindness.validation import TextRules


class ImportUploadForm(TextRules, forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or CP949) or Excel (.xlsx), with a header row."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, imp.label) for k, imp in sorted(REGISTRY.items())]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB."),
                params={"mb": settings.IMPORT_MAX_BYTES // 2**20},
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        return upload
