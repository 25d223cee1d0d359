"""Staff pages of the happy-call centre, by concept: `desk` (the caller's queue, attempts
and the survey) and `dashboard` (the figures for managers and auditors)."""
