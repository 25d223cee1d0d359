from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kindness.imports import REGISTRY, looks_like, read_header, wrong_kind_message
from kindness.validation import TextRules


class ImportUploadForm(TextRules, forms.Form):
    # No kind is preselected: a file checked as the wrong kind fails on every column.
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        error_messages={"required": _("Choose what the file holds.")},
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or CP949) or Excel (.xlsx), with a header row."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = sorted(((k, str(imp.label)) for k, imp in REGISTRY.items()), key=lambda c: c[1])
        self.fields["kind"].choices = [("", _("Choose the kind of file")), *choices]

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

    def clean(self):
        cleaned = super().clean()
        upload, kind = cleaned.get("file"), cleaned.get("kind")
        if upload is None or not kind:
            return cleaned
        cleaned["content"] = content = upload.read()
        header = read_header(content)
        other = looks_like(header, chosen=kind) if header else None
        if other is not None:
            # Named on the kind, which is what to change; the file's other problems (if
            # any) are then reported by the import itself.
            self.add_error("kind", wrong_kind_message(other))
        return cleaned
