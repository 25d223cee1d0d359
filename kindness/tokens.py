"""Keyed digests (SPEC section 8): HMAC-SHA256 with `TOKEN_KEY` (section 10), so a value
kept only as its digest can be recognised again but not read back or guessed from a list
without the key. Rotating the key makes the digests kept so far unrecognisable."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def token_key() -> bytes:
    key = getattr(settings, "TOKEN_KEY", "") or ""
    if key:
        return key.encode()
    # Default: derived from SECRET_KEY, so that it is never the secret key itself.
    return hashlib.sha256(f"kindness.tokens:{settings.SECRET_KEY}".encode()).digest()


def keyed_digest(purpose: str, value: str) -> str:
    """HMAC-SHA256 (hex) of `value` for one `purpose` (digests of one purpose never match
    another's)."""
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(token_key(), message, hashlib.sha256).hexdigest()
