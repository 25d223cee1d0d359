"""System checks: stored data that the rules of SPEC section 7 now refuse (kindness.W001), and
the core's configuration for `manage.py check --deploy` (kindness.W002)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
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


@checks.register(checks.Tags.security, deploy=True)
def sms_configured(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """SPEC section 4: without SMS_URL and with DEBUG off, no survey link goes by SMS."""
    if settings.DEBUG or settings.SMS_URL:
        return []
    return [
        checks.Warning(
            "SMS_URL is not set: survey links go by e-mail or letter only, never by SMS.",
            hint="Set SMS_URL to the SMS gateway (http(s)://user:pass@host/path), see .env.example.",
            id="kindness.W002",
        )
    ]
