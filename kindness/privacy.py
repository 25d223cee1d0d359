"""Masking of personal data (SPEC section 8) and the access log of unmasked views."""

from __future__ import annotations

import re

from kindness.models import AccessLog


def mask_name(name: str) -> str:
    """홍길동 → 홍*동, 김철 → 김*, 남궁민수 → 남**수; Latin names keep their first letter."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    """010-1234-5678 → 010-****-5678; any other form keeps only its last four digits."""
    phone = (phone or "").strip()
    digits = re.sub(r"\D", "", phone)
    if not digits:
        return ""
    match = re.fullmatch(r"(\d{2,3})-?(\d{3,4})-?(\d{4})", phone)
    if match:
        return f"{match[1]}-{'*' * len(match[2])}-{match[3]}"
    return "*" * max(len(digits) - 4, 0) + digits[-4:]


def mask_email(email: str) -> str:
    """hong@example.com → h***@example.com."""
    email = (email or "").strip()
    if "@" not in email:
        return mask_name(email)
    local, domain = email.split("@", 1)
    return f"{local[:1]}{'*' * max(len(local) - 1, 1)}@{domain}"


def client_ip(request) -> str | None:
    """The client's address. Behind PROXY_COUNT trusted proxies it is the address that the
    outermost of them saw, read from X-Forwarded-For (rightmost entries are the proxies'
    own, so a client cannot forge it by sending the header itself)."""
    from django.conf import settings

    count = getattr(settings, "PROXY_COUNT", 0)
    if count:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR") or None


def access_log_record(*, request, action: str, obj) -> AccessLog:
    """Write who saw which object's personal data, when, and from where. Never the data."""
    return AccessLog.objects.create(
        user=request.user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        ip_address=client_ip(request),
    )
