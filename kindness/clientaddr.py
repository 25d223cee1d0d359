"""The client's address: one function for rate limits, login throttling (django-axes, via
AXES_CLIENT_IP_CALLABLE) and the access log (SPEC section 8).

Behind PROXY_COUNT trusted reverse proxies the client is the address the outermost of
them saw, read from X-Forwarded-For counting from the right: the rightmost entries are the
proxies' own, so a client cannot choose its address by sending the header itself (what it
sends stands further left and is never read). Without proxies it is REMOTE_ADDR.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The client's IP address, or None when there is no usable one."""
    count = getattr(settings, "PROXY_COUNT", 0)
    address = request.META.get("REMOTE_ADDR") or ""
    if count:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        # Fewer entries than proxies: the request did not come through all of them (a
        # health check, a misconfiguration); the nearest peer is all we know.
        if len(forwarded) >= count:
            address = forwarded[-count]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None  # nothing, or garbage a proxy passed on: never stored or keyed on
