"""Admin of the scoring reference data (rule sets, periods) and read-only views of the runs.

A ranking, once computed, must never move (SPEC section 5): a rule set used by a run is
changed only by saving it as a new version, the dates and rules of a period with a
published ranking are frozen, and runs and their rows are never edited here."""

import re

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kindness.admin_site import ReadOnlyAdmin
from scoring import services
from scoring.models import DepartmentScore, OfficialScore, Period, RankingRun, RuleSet
from scoring.package_verify import SCORE_COLUMNS

PUBLISHED_ONCE = (RankingRun.Status.PUBLISHED, RankingRun.Status.SUPERSEDED)


# --- rule sets ---------------------------------------------------------------------------


class RuleSetForm(forms.ModelForm):
    def clean(self):
        # Saving as a new version posts the same form as an addition (no instance yet).
        if self.instance.pk and self.instance.in_use:
            raise ValidationError(
                _(
                    "This rule set has been used by ranking runs, so it cannot be changed: "
                    "use “Save as new” to make a new version with these settings."
                )
            )
        return super().clean()


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    """The weights are checked by `RuleSet.clean` (they must sum to 1). The version number is
    given on saving: one more than the highest."""

    form = RuleSetForm
    save_as = True
    list_display = (
        "version",
        "name",
        "weight_v",
        "weight_t",
        "weight_h",
        "prior_k",
        "in_use",
        "created_at",
    )
    search_fields = ("name",)
    readonly_fields = ("version", "created_at")
    fieldsets = (
        (None, {"fields": ("version", "name", "created_at")}),
        (
            _("Department score"),
            {
                "fields": (
                    ("weight_v", "weight_t", "weight_h"),
                    "prior_k",
                    ("praise_bonus", "praise_cap"),
                    "unkind_deduction",
                    "award_count",
                ),
                "description": _(
                    "The weights of V, T and H must sum to 1. Each mean is shrunk toward the "
                    "city mean with the prior weight k, which the individual score uses too."
                ),
            },
        ),
        (
            _("Individual score"),
            {
                "fields": (
                    ("official_weight_t", "official_weight_h"),
                    ("official_praise_bonus", "official_praise_cap"),
                    "official_unkind_deduction",
                    "minimum_responses",
                    "encourage_count",
                ),
                "description": _("The weights of T and H must sum to 1."),
            },
        ),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(used=Exists(RankingRun.objects.filter(rule_set=OuterRef("pk"))))
        )

    @admin.display(boolean=True, description=_("used by runs"), ordering="used")
    def in_use(self, obj):
        return obj.used

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.in_use:
            first = dict(fieldsets[0][1])
            first["description"] = _(
                "Ranking runs were computed with this rule set, so it is frozen: a published "
                "ranking never changes. Edit the settings and press “Save as new” to make "
                "version %(version)s, then choose it for the periods that should use it."
            ) % {"version": self.next_version()}
            fieldsets = ((fieldsets[0][0], first), *fieldsets[1:])
        return fieldsets

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and obj.in_use:
            # Only "Save as new" remains; the form refuses an in-place save anyway.
            context.update(show_save=False, show_save_and_continue=False)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.in_use or obj.periods.exists()):
            return False
        return super().has_delete_permission(request, obj)

    @staticmethod
    def next_version() -> int:
        return (RuleSet.objects.aggregate(m=Max("version"))["m"] or 0) + 1

    def save_model(self, request, obj, form, change):
        if not change:
            obj.version = self.next_version()
        super().save_model(request, obj, form, change)


# --- periods -----------------------------------------------------------------------------


class PeriodAddForm(forms.ModelForm):
    """A standard code (2026-H1, 2026-H2, 2026) takes its kind, dates and deduction window
    from SPEC section 5 unless given; any other code is a custom period and needs dates."""

    class Meta:
        model = Period
        fields = (
            "code",
            "starts_on",
            "ends_on",
            "deduction_starts_on",
            "deduction_ends_on",
            "rule_set",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_on", "ends_on"):
            self.fields[name].required = False
            self.fields[name].help_text = _(
                "Leave empty for a standard code (2026-H1, 2026-H2, 2026)."
            )
        self.fields["rule_set"].required = False
        self.fields["rule_set"].help_text = _("Leave empty for the newest rule set.")

    def clean(self):
        data = super().clean()
        code = data.get("code")
        if not code:
            return data
        if not re.fullmatch(r"[\w.-]+", code):
            self.add_error(
                "code", _("A period code is 1-20 letters, digits, dots, dashes or underscores.")
            )
            return data
        if services.PERIOD_CODE.match(code):
            try:
                defaults = services.period_defaults(code)
            except services.ScoringError as error:
                self.add_error("code", str(error))
                return data
            self.instance.kind = defaults["kind"]
            data["starts_on"] = data.get("starts_on") or defaults["starts_on"]
            data["ends_on"] = data.get("ends_on") or defaults["ends_on"]
            no_window = not (data.get("deduction_starts_on") or data.get("deduction_ends_on"))
            if no_window and defaults["deduction"]:
                data["deduction_starts_on"], data["deduction_ends_on"] = defaults["deduction"]
        else:
            self.instance.kind = Period.Kind.CUSTOM
            for name in ("starts_on", "ends_on"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("A custom period needs its first and last day."))
        data["rule_set"] = data.get("rule_set") or RuleSet.current()
        try:
            services.rule_set_check(data["rule_set"])
        except services.ScoringError as error:
            self.add_error("rule_set", str(error))
        return data


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    """The code is given once (it is in the rankings' addresses and files). Once a ranking
    of the period has been published, its dates, deduction window and rule set are frozen
    too: the published ranking was computed with them and keeps citing them. Before that
    they may be corrected; runs computed meanwhile keep the dates they used in their inputs
    fingerprint, and should be recomputed. `closed` can always change: it only stops the
    nightly recomputation."""

    list_display = (
        "code",
        "kind",
        "starts_on",
        "ends_on",
        "deduction_starts_on",
        "deduction_ends_on",
        "rule_set",
        "closed",
        "published",
    )
    list_filter = ("kind", "closed", "rule_set")
    search_fields = ("code",)
    list_select_related = ("rule_set",)
    date_hierarchy = "starts_on"
    fields = (
        "code",
        "kind",
        ("starts_on", "ends_on"),
        ("deduction_starts_on", "deduction_ends_on"),
        "rule_set",
        "closed",
        "runs_link",
        "created_at",
    )
    FROZEN = ("starts_on", "ends_on", "deduction_starts_on", "deduction_ends_on", "rule_set")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                has_published=Exists(
                    RankingRun.objects.filter(period=OuterRef("pk"), status__in=PUBLISHED_ONCE)
                )
            )
        )

    @admin.display(boolean=True, description=_("published"), ordering="has_published")
    def published(self, obj):
        return obj.has_published

    @admin.display(description=_("ranking runs"))
    def runs_link(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        url = reverse("admin:scoring_rankingrun_changelist") + f"?period__id__exact={obj.pk}"
        n = obj.runs.count()
        return format_html(
            '<a href="{}">{}</a>', url, ngettext("%(n)s run", "%(n)s runs", n) % {"n": n}
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = PeriodAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return PeriodAddForm.Meta.fields
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # The code names the period in addresses and files: a period keeps it for life.
        readonly = ("code", "kind", "runs_link", "created_at")
        if self.was_published(obj):
            readonly += self.FROZEN
        return readonly

    @staticmethod
    def was_published(period: Period) -> bool:
        return period.runs.filter(status__in=PUBLISHED_ONCE).exists()

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and self.was_published(obj):
            first = dict(fieldsets[0][1])
            first["description"] = _(
                "A ranking of this period has been published, so its dates, deduction window "
                "and rule set can no longer change: the published ranking was computed with "
                "them. Create a new period (a custom one if need be) to rank other dates or "
                "with other rules."
            )
            fieldsets = ((fieldsets[0][0], first), *fieldsets[1:])
        return fieldsets

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.runs.exists():
            return False
        return super().has_delete_permission(request, obj)


# --- runs and their rows -----------------------------------------------------------------


@admin.register(RankingRun)
class RankingRunAdmin(ReadOnlyAdmin):
    """Runs are made by the compute task and published by managers in the staff pages."""

    list_display = (
        "__str__",
        "status",
        "trigger",
        "rule_set",
        "requested_at",
        "finished_at",
        "published_at",
    )
    list_filter = ("status", "trigger", "period")
    search_fields = ("period__code",)
    list_select_related = ("period", "rule_set")
    date_hierarchy = "requested_at"
    readonly_fields = ("rows",)

    @admin.display(description=_("rows"))
    def rows(self, obj):
        departments = (
            reverse("admin:scoring_departmentscore_changelist") + f"?run__id__exact={obj.pk}"
        )
        officials = reverse("admin:scoring_officialscore_changelist") + f"?run__id__exact={obj.pk}"
        n_departments, n_officials = obj.departments.count(), obj.officials.count()
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            departments,
            ngettext("%(n)s department row", "%(n)s department rows", n_departments)
            % {"n": n_departments},
            officials,
            ngettext("%(n)s individual row", "%(n)s individual rows", n_officials)
            % {"n": n_officials},
        )


class ScoreRowAdmin(ReadOnlyAdmin):
    """Runs have hundreds of rows: listed here, filtered by run, rather than inline."""

    list_select_related = ("run__period",)
    list_per_page = 100

    def lookup_allowed(self, lookup, value, request=None):
        # The run's page links here with ?run__id__exact=<id>.
        return lookup == "run__id__exact" or super().lookup_allowed(lookup, value, request)

    def get_ordering(self, request):
        return ("-run_id", "position")


@admin.register(DepartmentScore)
class DepartmentScoreAdmin(ScoreRowAdmin):
    list_display = (
        "run",
        "rank",
        "code",
        "name",
        "bureau_name",
        *SCORE_COLUMNS,
        "award",
    )
    list_filter = ("run__period", "award", "bureau")
    search_fields = ("code", "name")


@admin.register(OfficialScore)
class OfficialScoreAdmin(ScoreRowAdmin):
    list_display = (
        "run",
        "rank",
        "employee_no",
        "name",
        "department_name",
        "score",
        "t",
        "h",
        "bonus",
        "deduction",
        "insufficient",
        "encourage",
    )
    list_filter = ("run__period", "insufficient", "encourage")
    search_fields = ("employee_no", "name", "department_name")
