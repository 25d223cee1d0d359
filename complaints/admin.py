"""Admin of the report centre: API keys for IT, and read-only lists of the records that
follow from decisions.

No admin page shows reports or their history (SPEC section 1): cases are read and written
only in the staff pages, by the roles acting on them, through the services that check each
transition and record who did it.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import (
    ApiKey,
    Encouragement,
    MeritRecord,
)
from complaints.open311 import keys
from kindness.admin_site import ReadOnlyAdmin


@admin.register(MeritRecord)
class MeritRecordAdmin(ReadOnlyAdmin):
    list_display = ("on", "kind", "official", "department")
    list_filter = ("kind", ("department", admin.RelatedOnlyFieldListFilter))
    search_fields = ("official__name", "official__employee_no")
    list_select_related = ("official", "department")
    exclude = ("report",)
    date_hierarchy = "on"


@admin.register(Encouragement)
class EncouragementAdmin(ReadOnlyAdmin):
    list_display = ("year", "on", "official", "recorded_by")
    list_filter = ("year",)
    search_fields = ("official__name", "official__employee_no")
    list_select_related = ("official", "recorded_by")


class ApiKeyForm(forms.ModelForm):
    revoke = forms.BooleanField(
        label=gettext_lazy("Revoke this key"),
        required=False,
        help_text=gettext_lazy(
            "From now on the key is refused. A revoked key cannot be restored: issue a new one."
        ),
    )

    class Meta:
        model = ApiKey
        fields = ("name", "owner")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Open311 API keys (SPEC section 9). Issuing shows the key once, in a message after the
    save; only its hash is stored, and the hash is never shown."""

    form = ApiKeyForm
    list_display = (
        "name",
        "owner",
        "prefix",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
    )
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "owner", "prefix")
    list_select_related = ("created_by",)
    readonly_fields = ("prefix", "created_at", "created_by", "last_used_at", "revoked_at")
    actions = ["revoke_keys"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("name", "owner")
        fields = ["name", "owner", *self.readonly_fields]
        if obj.revoked_at is None:
            fields.append("revoke")
        return fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        # Revoked, never deleted: the row says who was given access, and when.
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            raw_key = keys.api_key_issue(api_key=obj, by=request.user)
            messages.warning(
                request,
                _(
                    "The new API key is %(key)s — copy it now and give it to the owner: it "
                    "is shown only this once and cannot be read again."
                )
                % {"key": raw_key},
            )
            return
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("revoke"):
            keys.api_key_revoke(api_key=obj)

    @admin.action(description=gettext_lazy("Revoke the selected keys"), permissions=["change"])
    def revoke_keys(self, request, queryset):
        revoked = 0
        for api_key in queryset.filter(revoked_at__isnull=True):
            keys.api_key_revoke(api_key=api_key)
            revoked += 1
        self.message_user(request, _("Keys revoked: %(n)s.") % {"n": revoked}, messages.SUCCESS)
