"""Forms of the report centre, by audience: `public` (the resident's report, tracking, the
praise board's search) and `staff` (the inbox filter and the case actions)."""

# Kept importable here for the consultation form until phone normalising moves to the core
# (issue 13 item 3).
from complaints.forms.public import phone_normalize

__all__ = ["phone_normalize"]
