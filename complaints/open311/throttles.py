"""Rate limits of the Open311 door (SPEC section 9): reports filed per API key, and reading
per client address."""

from __future__ import annotations

import logging

from django.conf import settings
from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle

from kindness.clientaddr import client_address

logger = logging.getLogger(__name__)


class ApiKeyRateThrottle(SimpleRateThrottle):
    """OPEN311_KEY_RATE requests per key (e.g. "60/h"), counted in the cache. Only requests
    that carry a valid key are counted; reading the API needs no key and is not limited
    here."""

    scope = "open311_key"

    def get_rate(self) -> str:
        # Read at each request rather than from DRF's settings, captured at import.
        return settings.OPEN311_KEY_RATE

    def get_cache_key(self, request, view) -> str | None:
        api_key = getattr(request, "auth", None)
        if api_key is None:
            return None
        # The prefix, not the row id: ids of deleted test rows come back, prefixes do not.
        return self.cache_format % {"scope": self.scope, "ident": api_key.prefix}

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 - any cache failure: fail open
            # A report matters more than the limit (SPEC section 8), as on the web form.
            logger.warning("Open311 rate limit not checked: cache unavailable")
            return True


class ReadThrottled(Throttled):
    """Too many GET requests from one address (told apart from the API key's limit)."""


class AddressReadThrottle(SimpleRateThrottle):
    """OPEN311_READ_RATE GET requests per client address (the address the rate limits and
    the access log use), counted in the cache. Filing is limited per key instead."""

    scope = "open311_read"

    def get_rate(self) -> str:
        return settings.OPEN311_READ_RATE

    def get_cache_key(self, request, view) -> str | None:
        if request.method != "GET" or not settings.RATELIMIT_ENABLE:
            return None
        address = client_address(request)
        if address is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": address}

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 - any cache failure: fail open, as for filing
            logger.warning("Open311 read limit not checked: cache unavailable")
            return True
