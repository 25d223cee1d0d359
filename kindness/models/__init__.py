"""The organisation core (SPEC section 2) shared by every app: bureaus, departments, teams,
officials and their department history, the access log of SPEC section 8, and the import
batches of SPEC section 7."""

from __future__ import annotations

from kindness.models.organisation import (
    Bureau,
    Department,
    DepartmentAtEvent,
    DepartmentQuerySet,
    EmploymentType,
    Official,
    OfficialAssignment,
    OfficialQuerySet,
    Team,
)
from kindness.models.records import (
    AccessLog,
    ImportBatch,
    NumberSequence,
    OutboxMessage,
    ProgrammeSettings,
)

__all__ = [
    "AccessLog",
    "Bureau",
    "Department",
    "DepartmentAtEvent",
    "DepartmentQuerySet",
    "EmploymentType",
    "ImportBatch",
    "NumberSequence",
    "Official",
    "OfficialAssignment",
    "OfficialQuerySet",
    "OutboxMessage",
    "ProgrammeSettings",
    "Team",
]

# The signed-in user as the site sees it (permissions from roles only).
from kindness.staff_user import StaffUser  # noqa: E402,F401
