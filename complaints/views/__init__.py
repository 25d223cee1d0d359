"""Pages of the report centre: `public` for residents (no login), `staff` for the roles
that handle, follow up and oversee cases."""
