from django import forms
from django.contrib import admin
from django.utils import timezone

from kindness.admin_site import ReadOnlyAdmin
from kindness.models import (
    AccessLog,
    Bureau,
    Department,
    ImportBatch,
    NumberSequence,
    Official,
    OfficialAssignment,
    OutboxMessage,
    ProgrammeSettings,
    Team,
)
from kindness.services import official_assignment_record
from kindness.validation import department_code_problem


class DepartmentForm(forms.ModelForm):
    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        # A code stored before the rule of SPEC section 7 may stay as it is.
        unchanged = self.instance.pk is not None and code == self.instance.code
        if not unchanged and (problem := department_code_problem(code)):
            raise forms.ValidationError(problem)
        return code


class DepartmentInline(admin.TabularInline):
    model = Department
    form = DepartmentForm
    extra = 0
    fields = ("code", "name", "active")
    show_change_link = True


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    search_fields = ("name",)
    inlines = [DepartmentInline]


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    form = DepartmentForm
    list_display = ("code", "name", "bureau", "active")
    list_filter = ("active", "bureau")
    search_fields = ("code", "name", "bureau__name")
    list_select_related = ("bureau",)
    inlines = [TeamInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "department")
    list_filter = ("department__bureau",)
    search_fields = ("name", "department__name", "department__code")
    autocomplete_fields = ("department",)
    list_select_related = ("department",)


class AssignmentInline(admin.TabularInline):
    model = OfficialAssignment
    extra = 0
    autocomplete_fields = ("department", "team")


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    list_display = (
        "employee_no",
        "name",
        "position",
        "department",
        "team",
        "employment_type",
        "active",
    )
    list_filter = ("active", "employment_type", "department__bureau", "department")
    search_fields = ("employee_no", "name", "department__name", "department__code", "team__name")
    autocomplete_fields = ("department", "team", "user")
    list_select_related = ("department", "team")
    inlines = [AssignmentInline]

    def save_model(self, request, obj, form, change):
        previous = form.initial.get("department") if change else None
        super().save_model(request, obj, form, change)
        # A department changed by hand is a transfer, like one from the roster.
        if not change or {"department", "team"} & set(form.changed_data):
            official_assignment_record(
                official=obj,
                department=obj.department,
                team=obj.team,
                on=timezone.localdate(),
                previous_department_id=previous,
            )


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    """Append-only: visible, never editable."""

    list_display = ("at", "user", "action", "object_type", "object_id", "ip_address")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "user__username")
    date_hierarchy = "at"


@admin.register(NumberSequence)
class NumberSequenceAdmin(ReadOnlyAdmin):
    """Read-only: the counters move only with the rows they number (kindness.numbering)."""

    list_display = ("prefix", "year", "last")
    list_filter = ("prefix",)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "filename", "status", "row_count", "uploaded_by")
    list_filter = ("kind", "status")
    search_fields = ("filename",)
    exclude = ("content",)
    readonly_fields = (
        "kind",
        "filename",
        "status",
        "uploaded_by",
        "applied_at",
        "row_count",
        "errors",
        "summary",
    )

    def has_add_permission(self, request):
        return False


@admin.register(ProgrammeSettings)
class ProgrammeSettingsAdmin(admin.ModelAdmin):
    """One row: the programme's adjustable rules, read through ProgrammeSettings.load(). It
    can be added only while there is none, and never deleted."""

    list_display = (
        "__str__",
        "measure_deadline_days",
        "apology_deadline_days",
        "encouragement_threshold",
        "retention_years",
    )

    def has_add_permission(self, request):
        return not ProgrammeSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Delivery status only: addresses and bodies may hold residents' personal data."""

    list_display = (
        "created_at",
        "channel",
        "subject",
        "related",
        "sent_at",
        "failed_at",
        "attempts",
        "last_error",
    )
    list_filter = (("sent_at", admin.EmptyFieldListFilter),)
    search_fields = ("related", "subject")
    fields = (
        "key",
        "channel",
        "subject",
        "related",
        "created_at",
        "sent_at",
        "attempts",
        "next_attempt_at",
        "failed_at",
        "last_error",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Users: role grants logged, own rights not editable.
from kindness import admin_users  # noqa: E402,F401
