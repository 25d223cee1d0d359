"""Forms of the report centre, by audience: `public` (the resident's report, tracking, the
praise board's search) and `staff` (the inbox filter and the case actions)."""
