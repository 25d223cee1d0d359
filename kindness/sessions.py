"""Staff sessions last a working day from sign-in (SPEC section 8, STAFF_SESSION_SECONDS)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def session_expiry_set(sender, request, user, **kwargs) -> None:
    """On sign-in, an absolute end: the session is not extended by later activity (Django
    would otherwise count SESSION_COOKIE_AGE again from each change of the session)."""
    request.session.set_expiry(
        timezone.now() + dt.timedelta(seconds=settings.STAFF_SESSION_SECONDS)
    )
