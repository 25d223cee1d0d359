"""Evaluation periods, rule sets, ranking runs and their rows (SPEC section 5), in three
modules: rule_sets.py (RuleSet), runs.py (Period, RankingRun) and scores.py (the score
rows, RunTallies, RunPackage). Their tables keep their names; everything is re-exported
here for `scoring.models.<name>`."""

from scoring.models.rule_sets import (
    MAX_REPLICATES,
    MIN_REPLICATES,
    SETTING,
    RuleSet,
    rule_set_default_ensure,
)
from scoring.models.runs import Period, RankingRun
from scoring.models.scores import (
    SCORE,
    DepartmentScore,
    OfficialScore,
    RunPackage,
    RunTallies,
    ScoreRow,
)

__all__ = [
    "MAX_REPLICATES",
    "MIN_REPLICATES",
    "SCORE",
    "SETTING",
    "DepartmentScore",
    "OfficialScore",
    "Period",
    "RankingRun",
    "RuleSet",
    "RunPackage",
    "RunTallies",
    "ScoreRow",
    "rule_set_default_ensure",
]
