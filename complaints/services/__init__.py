"""Every write of the report centre: intake and each transition of SPEC section 3.

The writes are kept by concern in this package's modules, and every name callers use is
reachable here (`from complaints.services import report_submit`, `services.report_take`):

- receipts.py: receipt numbers and tracking secrets (their keyed digest, tracking lookup)
- notify.py: who is told of a change (a role's users, a department's heads) and the outbox
  messages to them
- intake.py: filing a report (report_submit, report_new, the ORM store, duplicates)
- workflow.py: TransitionError, what every transition shares, take, match, start review
- praise.py: verify, share, reject, and the bureau head's encouragement
- unkindness.py: the official's account, the decisions, the measure and the apology call

Transitions lock the report row, check the state, write the change, its history entry and
its notifications (outbox) in one transaction. Repeating a transition that has already
happened changes nothing; a transition the state does not allow raises TransitionError
with a message for the person who asked.
"""

from complaints.services.intake import (
    Submission,
    duplicate_earlier,
    duplicate_warning,
    report_new,
    report_submit,
)
from complaints.services.notify import (
    department_heads_of,
    users_with_role,
)
from complaints.services.praise import (
    encouragement_record,
    report_reject,
    report_share,
    report_verify,
)
from complaints.services.receipts import (
    TRACKING,
    receipt_no_next,
    report_find_for_tracking,
    tracking_secret_digest,
    tracking_secret_new,
)
from complaints.services.unkindness import (
    report_not_substantiate,
    report_record_apology,
    report_record_measure,
    report_record_reply,
    report_substantiate,
    report_withdraw,
)
from complaints.services.workflow import (
    Action,
    Status,
    TransitionError,
    report_match_official,
    report_start_review,
    report_take,
)

__all__ = [
    "TRACKING",
    "Action",
    "Status",
    "Submission",
    "TransitionError",
    "department_heads_of",
    "duplicate_earlier",
    "duplicate_warning",
    "encouragement_record",
    "receipt_no_next",
    "report_find_for_tracking",
    "report_match_official",
    "report_new",
    "report_not_substantiate",
    "report_record_apology",
    "report_record_measure",
    "report_record_reply",
    "report_reject",
    "report_share",
    "report_start_review",
    "report_submit",
    "report_substantiate",
    "report_take",
    "report_verify",
    "report_withdraw",
    "tracking_secret_digest",
    "tracking_secret_new",
    "users_with_role",
]
