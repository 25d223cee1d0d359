"""The kindness / unkindness report centre (SPEC section 3)."""

from __future__ import annotations

from complaints.models.api_keys import ApiKey
from complaints.models.reports import (
    Attachment,
    Encouragement,
    MeritRecord,
    Report,
    ReportEvent,
    ReportQuerySet,
    attachment_path,
)

__all__ = [
    "ApiKey",
    "Attachment",
    "Encouragement",
    "MeritRecord",
    "Report",
    "ReportEvent",
    "ReportQuerySet",
    "attachment_path",
]
