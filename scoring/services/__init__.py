"""Periods, ranking runs and publication (the writes of SPEC section 5), by concern:

- periods.py: period codes and dates, creating and finding a period, the rule-set check;
- runs.py: a run's life: requested, executed (safe to repeat), failed, recovered;
- computing.py: computing one run and writing its rows in one transaction;
- publication.py: publishing a computed run and building its package;
- errors.py: `ScoringError`, the refusal every service raises.

Management commands, tasks, views and admin use `scoring.services.<name>`, re-exported
here; `fingerprint` and `inputs_collect` (reads of `scoring.inputs`) are re-exported for
the nightly task and the benchmarks.
"""

from scoring.inputs import fingerprint, fingerprint_of, inputs_collect
from scoring.services.errors import ScoringError
from scoring.services.periods import (
    PERIOD_CODE,
    period_create,
    period_defaults,
    period_get,
    rule_set_check,
)
from scoring.services.publication import run_publish
from scoring.services.runs import (
    run_execute,
    run_fail,
    run_get,
    run_latest_completed,
    run_request,
    runs_recover,
)

__all__ = [
    "PERIOD_CODE",
    "ScoringError",
    "fingerprint",
    "fingerprint_of",
    "inputs_collect",
    "period_create",
    "period_defaults",
    "period_get",
    "rule_set_check",
    "run_execute",
    "run_fail",
    "run_get",
    "run_latest_completed",
    "run_publish",
    "run_request",
    "runs_recover",
]
