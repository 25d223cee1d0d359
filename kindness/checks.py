"""System checks of stored data that the rules of SPEC section 7 now refuse."""

from __future__ import annotations

from django.core.checks import Warning, register
from django.db import DatabaseError


@register()
def legacy_department_codes_check(app_configs=None, **kwargs) -> list[Warning]:
    """Department codes stored before the code rule keep working everywhere, but are listed
    here so that an administrator can rename them."""
    from kindness.validation import legacy_department_codes

    try:
        codes = legacy_department_codes()
    except DatabaseError:  # no database yet (before the first migrate)
        return []
    if not codes:
        return []
    return [
        Warning(
            "Stored department codes break the code rule [A-Za-z0-9][A-Za-z0-9_-]{0,31}: "
            + ", ".join(repr(code) for code in codes),
            hint="They keep working; rename them in the admin and re-import with the new codes.",
            id="kindness.W001",
        )
    ]
