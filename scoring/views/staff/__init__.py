"""Managers' pages for evaluation periods and ranking runs (SPEC section 5, "Computing and
publishing"): the periods, a period's runs with its compute button, the review of one run
against the period's current publication with the publish button and the downloads, and
the rule sets, of which managers save new versions, and the rule set of a period. Auditors
read every page and change nothing; other roles get 403."""

from scoring.views.staff.periods import (
    period_close,
    period_compute,
    period_detail,
    period_list,
    period_rule_set,
)
from scoring.views.staff.rule_sets import rule_set_list
from scoring.views.staff.runs import run_detail, run_export, run_progress, run_publish

__all__ = [
    "period_close",
    "period_compute",
    "period_detail",
    "period_list",
    "period_rule_set",
    "rule_set_list",
    "run_detail",
    "run_export",
    "run_progress",
    "run_publish",
]
