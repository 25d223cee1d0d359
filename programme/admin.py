"""Admin of the programme records (SPEC section 6): worked on in the staff pages; admin is
for IT's fixes."""

from django.contrib import admin

from programme.models import ConsultationSlot, Expert, Initiative, TrainingSession


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["year", "department", "title", "assessment"]
    list_filter = ["year", "assessment"]
    search_fields = ["title", "department__name", "department__code"]
    raw_id_fields = ["department", "assessed_by", "created_by"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["starts_on", "ends_on", "kind", "title", "department"]
    list_filter = ["kind"]
    search_fields = ["title", "instructor"]
    raw_id_fields = ["department", "created_by"]


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["name", "field", "active"]
    list_filter = ["active"]
    search_fields = ["name", "field"]


@admin.register(ConsultationSlot)
class ConsultationSlotAdmin(admin.ModelAdmin):
    list_display = ["starts_at", "ends_at", "expert", "place"]
    list_filter = ["expert"]
    date_hierarchy = "starts_at"
