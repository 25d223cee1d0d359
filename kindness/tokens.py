"""Keyed hashes of system-made secrets (SPEC section 8): tracking secrets, consultation
secrets and survey link tokens are random, so a fast keyed hash (HMAC-SHA256 with
`TOKEN_KEY`) protects them as well as a slow password hash would, at a fraction of the
cost. Every comparison is constant-time. Rotating `TOKEN_KEY` voids every outstanding one.

Each use names its `purpose`, so a digest made for one thing never verifies as another.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

NONCE_BYTES = 16  # 128 bits (SPEC section 4, "Tokens")


def _key() -> bytes:
    return settings.TOKEN_KEY.encode()


def _bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode()


def keyed_digest_bytes(purpose: str, value: str | bytes) -> bytes:
    """HMAC-SHA256 under TOKEN_KEY of `purpose` and `value` (kept apart by a NUL)."""
    return hmac.new(_key(), _bytes(purpose) + b"\0" + _bytes(value), hashlib.sha256).digest()


def keyed_digest(purpose: str, value: str | bytes) -> str:
    """The keyed hash of `value` for `purpose`, as 64 hex digits: what is stored."""
    return keyed_digest_bytes(purpose, value).hex()


def digest_matches(purpose: str, value: str | bytes, stored: str) -> bool:
    """Whether `value` hashes to `stored` for `purpose`, compared in constant time."""
    return hmac.compare_digest(keyed_digest(purpose, value), stored or "")


def b64url(data: bytes) -> str:
    """base64url without padding: `[A-Za-z0-9_-]` only, safe in a URL path."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def new_nonce() -> str:
    """A random 128-bit nonce, as 32 hex digits, to store and to derive a token from."""
    return secrets.token_hex(NONCE_BYTES)


def token_for(purpose: str, nonce: str) -> str:
    """The token shown to a person for a stored nonce: base64url of the first 128 bits of
    its keyed hash, 22 characters. The same nonce always gives the same token (a reminder or
    a reprint repeats the link); the token itself is never stored."""
    return b64url(keyed_digest_bytes(purpose, nonce)[:NONCE_BYTES])
