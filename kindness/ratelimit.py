"""Per-address limits (SPEC sections 3 and 8): public submissions, tracking attempts and
failed logins, all keyed by kindness.clientaddr.client_address.

Counting is atomic in the shared cache (CACHE_URL; Redis in a deployment): the first
request of a fixed window `cache.add`s the counter, every later one `cache.incr`s it, and
each gets its own count back. A submission is therefore counted at the moment it is let through
(`rate_take`, called after validation and just before storing), so 20 parallel valid posts
under a 5/h limit store 5, and a resident's typos never use up the limit (issue 14 item 7).

If the cache is down the request goes through: a resident's report matters more than the
limit (SPEC section 8). RATELIMIT_ENABLE off turns the limits on forms off (benchmarks);
the login limit stays on, as django-axes does.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from kindness.clientaddr import client_address

logger = logging.getLogger(__name__)

LOGIN_GROUP = "login:address"


_RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_parse(rate: str) -> tuple[int, int]:
    """(limit, seconds) of a rate in django-ratelimit's syntax: 5/h, 20/900s."""
    match = _RATE.match(rate.strip())
    if match is None:
        raise ImproperlyConfigured(f"Not a rate like 5/h: {rate!r}")
    return int(match[1]), int(match[2] or 1) * _SECONDS[match[3]]


def _key(request, group: str, period: int) -> str:
    # One bucket for requests without a usable address rather than none at all; hashed,
    # so that any cache backend takes the key (IPv6 colons) and no address is stored.
    address = client_address(request) or "unknown"
    window = int(time.time()) // period
    digest = hashlib.sha256(f"{group}|{address}".encode()).hexdigest()[:32]
    return f"kindness:limit:{period}:{window}:{digest}"


def _count(request, *, group: str, rate: str, increment: bool) -> tuple[int, int] | None:
    """(count, limit) in the current window, after adding one when `increment`; None
    when the cache cannot be reached."""
    limit, period = rate_parse(rate)
    key = _key(request, group, period)
    try:
        if not increment:
            return int(cache.get(key, 0)), limit
        if cache.add(key, 1, timeout=period + 60):
            return 1, limit
        try:
            return cache.incr(key), limit
        except ValueError:  # expired between add and incr: this is the window's first
            cache.add(key, 1, timeout=period + 60)
            return 1, limit
    except Exception:  # noqa: BLE001 - any cache failure: fail open
        logger.warning("rate limit of %s not checked: cache unavailable", group)
        return None


def rate_used_up(request, *, group: str, rate: str) -> bool:
    """Whether this address has used up `rate` in `group` already. Only looks: lets a view
    refuse early without counting anything."""
    if not settings.RATELIMIT_ENABLE:
        return False
    usage = _count(request, group=group, rate=rate, increment=False)
    return usage is not None and usage[0] >= usage[1]


def rate_take(request, *, group: str, rate: str) -> bool:
    """Use one of this address's `rate` in `group`; False when none is left (the caller
    answers 429 and stores nothing). Atomic across processes sharing the cache."""
    if not settings.RATELIMIT_ENABLE:
        return True
    usage = _count(request, group=group, rate=rate, increment=True)
    return usage is None or usage[0] <= usage[1]


# ---------------------------------------------------------------------------- logins
# django-axes locks an account per address after AXES_FAILURE_LIMIT failures. Password
# spraying tries few passwords on many accounts from one address, so failures are also
# counted per address alone: LOGIN_ADDRESS_FAILURE_LIMIT of them within the cool-off time
# lock that address out of every account (issue 14 item 2). A client behind the proxy is
# told apart by client_address, so it locks only itself.


def _login_rate() -> str:
    seconds = max(int(float(settings.AXES_COOLOFF_TIME) * 3600), 1)
    return f"{settings.LOGIN_ADDRESS_FAILURE_LIMIT}/{seconds}s"


def login_failure_record(sender, request=None, **kwargs) -> None:
    """Receiver of django.contrib.auth's user_login_failed: one more failure here."""
    if request is not None:
        _count(request, group=LOGIN_GROUP, rate=_login_rate(), increment=True)


def login_address_locked(request) -> bool:
    usage = _count(request, group=LOGIN_GROUP, rate=_login_rate(), increment=False)
    return usage is not None and usage[0] >= usage[1]


class AddressLoginLimitBackend:
    """First of AUTHENTICATION_BACKENDS: refuses any login from an address over its limit,
    before a password is checked; django-axes' middleware answers with its lockout page."""

    def authenticate(self, request, **credentials):
        if request is not None and login_address_locked(request):
            request.axes_locked_out = True
            raise PermissionDenied
        return None  # the next backends decide

    # No get_user: this backend never signs anyone in, so no session names it.
