"""What the managers' scoring pages share: their permissions, and the period (and run) of
the URL turned into objects, or a 404 page that says which is unknown."""

from __future__ import annotations

import functools
import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.models import Period, RankingRun
from scoring.services.runs import MAX_RUN_NUMBER

VIEW_PERIOD = "scoring.view_period"
VIEW_RUN = "scoring.view_rankingrun"
ADD_PERIOD = "scoring.add_period"
CHANGE_PERIOD = "scoring.change_period"
COMPUTE = "scoring.compute_ranking"
PUBLISH = "scoring.publish_ranking"
VIEW_RULE_SET = "scoring.view_ruleset"
ADD_RULE_SET = "scoring.add_ruleset"

STAGES = {
    "reading": gettext_lazy("reading the inputs"),
    "computing": gettext_lazy("computing the scores"),
    "writing": gettext_lazy("writing the rows"),
    "done": gettext_lazy("done"),
}
# What period_create accepts as a code.
PERIOD_CODE = re.compile(r"[\w.-]{1,20}")


def not_found(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "scoring/staff/not_found.html", {"message": message}, status=404)


def with_period(view):
    """Turn the URL's period code, and run number if any, into objects; an unknown one gets
    a 404 page that says which. Applied inside the permission check, so that users without
    the permission do not learn which periods exist."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, code: str, number: int | None = None, **kwargs):
        # Only a possible code reaches the database (PostgreSQL refuses a NUL character).
        period = None
        if PERIOD_CODE.fullmatch(code):
            period = Period.objects.select_related("rule_set").filter(code=code).first()
        if period is None:
            return not_found(request, _("There is no period %(code)s.") % {"code": code})
        if number is None:
            return view(request, period, **kwargs)
        run = None
        if number <= MAX_RUN_NUMBER:
            run = (
                period.runs.select_related("rule_set", "requested_by", "published_by", "rerun_of")
                .filter(number=number)
                .first()
            )
        if run is None:
            return not_found(
                request,
                _("Period %(code)s has no run #%(number)s.") % {"code": code, "number": number},
            )
        run.period = period
        return view(request, period, run, **kwargs)

    return wrapper


def stage_label(run: RankingRun) -> str:
    return str(STAGES.get(run.stage, run.stage))
