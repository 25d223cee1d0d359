"""Public pages of the report centre."""
