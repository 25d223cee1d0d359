"""The rule sets: every version with its settings, and a new version saved by a manager."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kindness.views import staff_permission
from scoring import rulesets, services
from scoring.forms import RuleSetForm
from scoring.models import RuleSet
from scoring.views.staff.common import ADD_RULE_SET, VIEW_RULE_SET


def _rule_set_page(request: HttpRequest, form: RuleSetForm | None, *, status: int = 200):
    # Newest first, as the page says; explicit, since a grouped query (the count) drops the
    # model's default ordering.
    rule_sets = list(
        RuleSet.objects.annotate(run_count=Count("runs"))
        .order_by("-version")
        .prefetch_related("periods")
    )
    for rule_set in rule_sets:
        values = rule_set.as_dict()
        rule_set.settings = rulesets.settings_labelled(values)
        rule_set.groups = rulesets.settings_grouped(values)
    admin_url = None
    if request.user.has_perm("scoring.change_ruleset") and request.user.is_staff:
        try:
            admin_url = reverse("admin:scoring_ruleset_changelist")
        except NoReverseMatch:  # not registered in the admin
            admin_url = None
    context = {
        "rule_sets": rule_sets,
        "form": form,
        "admin_url": admin_url,
        "may_change": request.user.has_perm("scoring.change_ruleset"),
    }
    return render(request, "scoring/staff/rule_sets.html", context, status=status)


@staff_permission(VIEW_RULE_SET)
@require_http_methods(["GET", "POST"])
def rule_set_list(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        can_add = request.user.has_perm(ADD_RULE_SET)
        return _rule_set_page(
            request, RuleSetForm.filled_from(RuleSet.current()) if can_add else None
        )
    if not request.user.has_perm(ADD_RULE_SET):
        raise PermissionDenied
    form = RuleSetForm(request.POST)
    if form.is_valid():
        based_on = form.cleaned_data["based_on"]
        try:
            rule_set = rulesets.rule_set_version_create(based_on=based_on, changes=form.changes())
        except services.ScoringError as exc:
            form.add_error(None, str(exc))
        else:
            _rule_set_saved(request, rule_set, based_on)
            return redirect(reverse("scoring:rule-sets") + f"#rule-set-{rule_set.version}")
    return _rule_set_page(request, form, status=400)


def _rule_set_saved(request: HttpRequest, rule_set: RuleSet, based_on: RuleSet) -> None:
    messages.success(
        request,
        _(
            "Version %(version)s was saved. It applies to periods created from now on; choose "
            "it on a period's page for a period whose ranking is not published yet."
        )
        % {"version": rule_set.version},
    )
    if rule_set.version != based_on.version + 1:
        # The form was filled from an older version: someone saved one meanwhile.
        messages.warning(
            request,
            _(
                "Your version is based on version %(based_on)s, but version %(newer)s was "
                "saved while you were editing: check that version %(version)s has every "
                "setting you want."
            )
            % {
                "based_on": based_on.version,
                "newer": rule_set.version - 1,
                "version": rule_set.version,
            },
        )
