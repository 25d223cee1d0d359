"""Reads of the report centre that join or aggregate, shared by the staff pages: the inbox,
who may do what on a case, the follow-up list, the encouragement list and the published
cases. Writes are in complaints.services.

The reads are kept by concern in this package's modules, and every name callers use is
reachable here (`selectors.inbox_counts`, `from complaints.selectors import ...`):

- inbox.py: follow-up deadlines, the inbox's views and counts, a department's follow-up list
- cases.py: one case: the reporter's contact, who may do what, history, matching officials
- published.py: the encouragement list, the published cases and the praise board
"""

from complaints.selectors.cases import (
    HEAD_ACTIONS,
    OFFICER_ACTIONS,
    CaseAccess,
    _state_allows,
    case_access,
    case_history,
    officials_for_match,
    reporter_contact,
)
from complaints.selectors.inbox import (
    DECIDED_RECENTLY_DAYS,
    FOLLOW_UP,
    HANDLE,
    INBOX_VIEWS,
    Kind,
    Status,
    follow_up_cases,
    inbox_counts,
    inbox_reports,
    inbox_view_q,
    overdue_q,
    with_deadlines,
)
from complaints.selectors.published import (
    encouragement_candidates,
    encouragement_list,
    praise_board_stamp,
    published_cases,
    shared_praise,
)

__all__ = [
    "DECIDED_RECENTLY_DAYS",
    "FOLLOW_UP",
    "HANDLE",
    "HEAD_ACTIONS",
    "INBOX_VIEWS",
    "OFFICER_ACTIONS",
    "CaseAccess",
    "Kind",
    "Status",
    "_state_allows",
    "case_access",
    "case_history",
    "encouragement_candidates",
    "encouragement_list",
    "follow_up_cases",
    "inbox_counts",
    "inbox_reports",
    "inbox_view_q",
    "officials_for_match",
    "overdue_q",
    "praise_board_stamp",
    "published_cases",
    "reporter_contact",
    "shared_praise",
    "with_deadlines",
]
