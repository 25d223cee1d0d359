from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kindness.validation import TextRules


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record kept as it was written (history, counters, computed results): visible in
    admin, never added, changed or deleted there."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _with_text_rules(form: type) -> type:
    if issubclass(form, TextRules):
        return form
    return type(form.__name__, (TextRules, form), {"__module__": form.__module__})


def admin_site_setup(site) -> None:
    site.site_header = _("Kindness administration")
    site.site_title = _("Kindness administration")
    site.index_title = _("Organisation and reference data")
    # Every admin form follows the text rules of SPEC section 7, as the imports and the
    # public forms do, whichever app registered it.
    for model_admin in site._registry.values():
        model_admin.form = _with_text_rules(model_admin.form)
        for inline in model_admin.inlines:
            inline.form = _with_text_rules(inline.form)
