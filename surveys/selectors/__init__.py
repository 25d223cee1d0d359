"""Reads of the happy-call centre's dashboard (SPEC section 4): calls made and reached, the
final dispositions of calls in AAPOR terms and the rates of surveys.rules over them, the
backlog, satisfaction per item, and the telephone survey's 333 compliance and cover rate.

Everything is counted in SQL with grouped queries; Python only merges the few grouped rows
and applies the pure formulas of surveys.rules to them.
"""

from __future__ import annotations

from surveys.selectors.queries import item_means_grouped
from surveys.selectors.rows import CallRow, Dashboard, DashboardFilter
from surveys.selectors.tables import (
    backlog_by_age,
    calls_by_day,
    calls_by_staff,
    calls_by_week,
    dashboard,
    department_table,
    item_means,
    phone_by_department,
    staff_choices,
)

__all__ = [
    "CallRow",
    "Dashboard",
    "DashboardFilter",
    "backlog_by_age",
    "calls_by_day",
    "calls_by_staff",
    "calls_by_week",
    "dashboard",
    "department_table",
    "item_means",
    "item_means_grouped",
    "phone_by_department",
    "staff_choices",
]
