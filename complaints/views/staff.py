"""Staff pages of the report centre."""
