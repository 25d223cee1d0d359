"""Reads of the rankings (SPEC section 5, "Computing and publishing"), by page:

- runs.py: which run a visitor may see, who may see individual rows, the periods and runs
  of the public pages and of the staff's review list;
- tables.py: a run's rows in order and by bureau, one row, the trend across periods;
- explanations.py: the plain-words explanation of one score ("why this score") and
  `breakdown_of`.

The views read them as `selectors.<name>`, re-exported here.
"""

from scoring.selectors.explanations import (
    ComponentExplanation,
    Explanation,
    Receipt,
    breakdown_of,
    explain,
)
from scoring.selectors.runs import (
    COMPUTED_STATUSES,
    PUBLIC_STATUSES,
    RUN_NUMBER,
    TREND_FAMILIES,
    NotFound,
    latest_published_period,
    may_see_all_officials,
    may_see_officials,
    may_see_unpublished,
    official_rows_visible_to,
    open_periods,
    period_for,
    publication_history,
    publication_stamp,
    published_periods,
    report_links_for,
    run_for,
    runs_awaiting_review,
)
from scoring.selectors.tables import (
    BureauTable,
    Trend,
    TrendLine,
    by_bureau,
    department_row,
    department_rows,
    official_row,
    trend,
)

__all__ = [
    "COMPUTED_STATUSES",
    "PUBLIC_STATUSES",
    "RUN_NUMBER",
    "TREND_FAMILIES",
    "BureauTable",
    "ComponentExplanation",
    "Explanation",
    "NotFound",
    "Receipt",
    "Trend",
    "TrendLine",
    "breakdown_of",
    "by_bureau",
    "department_row",
    "department_rows",
    "explain",
    "latest_published_period",
    "may_see_all_officials",
    "may_see_officials",
    "may_see_unpublished",
    "official_row",
    "official_rows_visible_to",
    "open_periods",
    "period_for",
    "publication_history",
    "publication_stamp",
    "published_periods",
    "report_links_for",
    "run_for",
    "runs_awaiting_review",
    "trend",
]
