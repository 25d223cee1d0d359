"""Forms of the happy-call centre, by page: `desk` (attempts and the survey) and
`dashboard` (the dashboard's filter)."""
