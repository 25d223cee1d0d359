"""Admin for the surveys' reference data (questionnaires, the telephone scorecard, the
call-centre agents) and read-only lists of the outside surveys. No admin page shows
petitions or happy-calls (SPEC section 1): they hold petitioners' data and are worked on in
the staff pages by the roles acting on them."""

from django.contrib import admin

from kindness.admin_site import ReadOnlyAdmin
from surveys.models import (
    CallCentreAgent,
    HappyCallAnswer,
    PhoneScorecard,
    PhoneSurvey,
    QuestionItem,
    Questionnaire,
    VisitSurvey,
)


class FrozenOnceUsedAdmin(admin.ModelAdmin):
    """A version that other records were made under is frozen: neither changed nor deleted,
    so those records keep meaning what they meant. A change is made as a new version."""

    def in_use(self, obj) -> bool:
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        if obj is not None and self.in_use(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


class QuestionItemInline(admin.TabularInline):
    model = QuestionItem
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(FrozenOnceUsedAdmin):
    """A version that has answers is frozen: answers keep the version they were given
    under, so a change is made as a new version."""

    list_display = ("code", "version", "title", "active")
    list_filter = ("code", "active")
    inlines = [QuestionItemInline]

    def in_use(self, obj) -> bool:
        return HappyCallAnswer.objects.filter(item__questionnaire=obj).exists()


@admin.register(PhoneScorecard)
class PhoneScorecardAdmin(FrozenOnceUsedAdmin):
    """A scorecard that scored calls is frozen; add a new version to change the points."""

    list_display = (
        "version",
        "active",
        "rings_points",
        "greeting_points",
        "tone_points",
        "accuracy_points",
        "duration_points",
        "closing_points",
        "hangup_points",
    )

    def in_use(self, obj) -> bool:
        return PhoneSurvey.objects.filter(scorecard=obj).exists()


@admin.register(CallCentreAgent)
class CallCentreAgentAdmin(admin.ModelAdmin):
    list_display = ("user", "on_duty")
    list_filter = ("on_duty",)
    list_editable = ("on_duty",)
    search_fields = ("user__username", "user__first_name")
    autocomplete_fields = ("user",)


@admin.register(VisitSurvey)
class VisitSurveyAdmin(ReadOnlyAdmin):
    list_display = ("survey_id", "department", "surveyed_on", "response_score")
    list_filter = ("department__bureau",)
    search_fields = ("survey_id", "department__name", "department__code")
    date_hierarchy = "surveyed_on"
    list_select_related = ("department",)


@admin.register(PhoneSurvey)
class PhoneSurveyAdmin(ReadOnlyAdmin):
    list_display = (
        "call_id",
        "target",
        "answered_by",
        "department",
        "called_at",
        "score",
        "covered",
        "compliant_333",
    )
    list_filter = ("answered", "covered", "compliant_333", "department__bureau")
    search_fields = ("call_id", "target__name", "target__employee_no")
    date_hierarchy = "called_on"
    list_select_related = ("target", "answered_by", "department")
