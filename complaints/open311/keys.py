"""API keys of the Open311 door (SPEC section 9): issued and revoked in admin, stored hashed.

A key reads `<prefix>.<secret>`. The prefix finds the row; the whole key is compared with
the stored hash. A key carries 256 random bits, so a plain SHA-256 is enough to keep it
from being read off a copy of the database, and stays fast enough to check on every
request (a password hasher's deliberate slowness protects guessable secrets, which a key
is not).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from complaints.models import ApiKey

PREFIX_BYTES = 4  # 8 hex characters: enough to find the row, nothing about the secret
_PREFIX = re.compile(r"^[0-9a-f]{8}$")


def key_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def _key_new() -> tuple[str, str]:
    prefix = secrets.token_hex(PREFIX_BYTES)
    return prefix, f"{prefix}.{secrets.token_urlsafe(32)}"


def api_key_issue(*, api_key: ApiKey, by) -> str:
    """Give the unsaved `api_key` (name and owner filled in) a new key, store it with the
    key's hash and return the key itself, which is stored nowhere: show it once."""
    for _attempt in range(5):
        prefix, raw_key = _key_new()
        api_key.prefix = prefix
        api_key.key_hash = key_hash(raw_key)
        api_key.created_by = by
        try:
            # A savepoint, so that a clash of prefixes (one in four billion) leaves the
            # surrounding transaction usable for the next attempt.
            with transaction.atomic():
                api_key.save()
        except IntegrityError:
            continue
        return raw_key
    raise RuntimeError("no free API key prefix after 5 attempts")


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    """Revoke the key from now on. Safe to repeat: a revoked key keeps its first date."""
    ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    api_key.refresh_from_db(fields=["revoked_at"])
    return api_key


def api_key_find(raw_key: str) -> ApiKey | None:
    """The key's row, revoked or not, or None when no issued key matches."""
    prefix, dot, _secret = raw_key.strip().partition(".")
    # Only a well-formed prefix reaches the database (a NUL character would not even be
    # a valid query on PostgreSQL).
    if not dot or not _PREFIX.match(prefix):
        return None
    api_key = ApiKey.objects.filter(prefix=prefix).first()
    if api_key is None:
        return None
    if not hmac.compare_digest(api_key.key_hash, key_hash(raw_key.strip())):
        return None
    return api_key


def api_key_used(*, api_key: ApiKey) -> None:
    """Note the key's last use (shown in admin, so unused keys can be revoked)."""
    now = timezone.now()
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    api_key.last_used_at = now
