"""Admin of the report centre: for IT to look cases up, never to change them.

Cases, their history and the records that follow from decisions are written only by the
services (complaints.services), which check each transition and record who did it; so
everything here is read-only. The administrator has no role on any case, so the reporter's
name, phone and e-mail, the tracking secret and the attachments are not shown at all
(SPEC section 8).
"""

from django.contrib import admin

from complaints.models import Encouragement, MeritRecord, ReceiptCounter, Report, ReportEvent

PERSONAL_DATA = ("reporter_name", "reporter_phone", "reporter_email", "secret_hash")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    fields = ("at", "action", "from_status", "to_status", "by", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = (
        "receipt_no",
        "kind",
        "status",
        "source",
        "department",
        "official",
        "decided_on",
        "created_at",
    )
    list_filter = ("kind", "status", "source", ("department", admin.RelatedOnlyFieldListFilter))
    search_fields = ("receipt_no",)
    list_select_related = ("department", "official")
    date_hierarchy = "created_at"
    exclude = PERSONAL_DATA
    inlines = [ReportEventInline]


@admin.register(ReportEvent)
class ReportEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "report", "action", "from_status", "to_status", "by")
    list_filter = ("action",)
    search_fields = ("report__receipt_no",)
    list_select_related = ("report", "by")
    date_hierarchy = "at"


@admin.register(MeritRecord)
class MeritRecordAdmin(ReadOnlyAdmin):
    list_display = ("on", "kind", "official", "department", "report")
    list_filter = ("kind", ("department", admin.RelatedOnlyFieldListFilter))
    search_fields = ("official__name", "official__employee_no", "report__receipt_no")
    list_select_related = ("official", "department", "report")
    date_hierarchy = "on"


@admin.register(Encouragement)
class EncouragementAdmin(ReadOnlyAdmin):
    list_display = ("year", "on", "official", "recorded_by")
    list_filter = ("year",)
    search_fields = ("official__name", "official__employee_no")
    list_select_related = ("official", "recorded_by")


@admin.register(ReceiptCounter)
class ReceiptCounterAdmin(ReadOnlyAdmin):
    list_display = ("year", "last")
