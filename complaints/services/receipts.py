"""Receipt numbers and tracking secrets of reports: the next number of a year, a new
secret for a resident, its keyed digest, and finding a report by number and secret."""

from __future__ import annotations

import secrets

from django.contrib.auth.hashers import check_password

from complaints.models import Report
from kindness import numbering, tokens


def receipt_no_next(*, year: int) -> str:
    """The next receipt number of `year` (kindness.numbering: inside the transaction that
    stores the report; raises numbering.SequenceExhausted when the year is used up)."""
    return numbering.number_next(prefix=numbering.RECEIPT, year=year)


def tracking_secret_new() -> str:
    # 10 characters from an alphabet without look-alikes (0/O, 1/l/I): typed from paper.
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(10))


# Tracking secrets are system-made and random (50 bits), so they are kept as a keyed hash
# (HMAC-SHA256 with TOKEN_KEY), checked in constant time, not as a slow password hash
# (SPEC section 8). Secrets stored before that are Django password hashes
# ("algorithm$..."; a keyed digest is 64 hex digits and never has a "$"): they still verify
# the slow way and are replaced by the keyed digest on their first successful lookup.
TRACKING = "report-tracking"


def tracking_secret_digest(secret: str) -> str:
    """What is stored of a tracking secret: its keyed hash, as typed from the receipt."""
    return tokens.keyed_digest(TRACKING, _typed(secret))


def _typed(secret: str) -> str:
    return secret.strip().upper()


def _is_password_hash(stored: str) -> bool:
    return "$" in stored


# Compared with when there is no digest (an unknown number, a report without a secret): as
# long as a digest, so the comparison takes the same time, and never equal to one (not hex).
_NO_DIGEST = "-" * 64


def report_find_for_tracking(*, receipt_no: str, secret: str) -> Report | None:
    """The report for a receipt number and its secret, or None for either mistake: the same
    answer, in the same time, for both (one query and one keyed comparison either way), so
    numbers cannot be probed. A secret kept as a password hash from before the keyed hash
    is checked the slow way once, then stored as the keyed digest (safe to repeat)."""
    report = (
        Report.objects.select_related("department")
        .filter(receipt_no=receipt_no.strip().upper())
        .first()
    )
    stored = (report.secret_hash if report is not None else "") or _NO_DIGEST
    if not _is_password_hash(stored):
        # An unknown number and a report without a secret (Open311, a happy-call flag)
        # take the same HMAC and comparison as a wrong secret, and never match.
        if not tokens.digest_matches(TRACKING, _typed(secret), stored):
            return None
        return report
    if not check_password(_typed(secret), stored):
        return None
    # A conditional update: a lookup racing this one finds the keyed digest or writes the
    # same one; updated_at is left alone (update() does not touch it), a lookup is no change.
    digest = tracking_secret_digest(secret)
    Report.objects.filter(pk=report.pk, secret_hash=stored).update(secret_hash=digest)
    report.secret_hash = digest
    return report
