"""What the survey imports share: comparing a known id's stored values with the file's,
and finding the officials a file names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from kindness.imports import SEOUL, Row, Table
from kindness.models import Department, Official


def _plain(value: Any) -> Any:
    """A value as the file spells it: a department by its code, an official by number."""
    if isinstance(value, Department):
        return value.code
    if isinstance(value, Official):
        return value.employee_no
    return value


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, dt.datetime):
        return value.astimezone(SEOUL).isoformat()
    return str(value)


def compare_stored(row: Row, key: str, stored: dict[str, Any], given: dict[str, Any]) -> None:
    """A known survey id must come with the values stored under it (SPEC section 7). Both
    dicts are keyed by file column; times compare as instants, whatever their offset."""
    for column, value in stored.items():
        value = _plain(value)
        if _plain(given[column]) != value:
            row.error(
                column,
                _(
                    '%(no)s is already stored with %(column)s "%(stored)s"; corrections '
                    "are made in the web interface, where they are audited."
                )
                % {"no": key, "column": column, "stored": _shown(value)},
            )


class OfficialsByNumber:
    """Officials named in the file's employee-number columns, loaded at once."""

    def __init__(self, table: Table, *columns: str) -> None:
        numbers = {values[c] for _line, values in table.rows for c in columns if values[c]}
        self.by_no = {o.employee_no: o for o in Official.objects.filter(employee_no__in=numbers)}

    def clean(self, row: Row, column: str, *, required: bool = False) -> Official | None:
        number = row.text(column, required=required, max_length=30)
        if not number:
            return None
        official = self.by_no.get(number)
        if official is None:
            row.error(
                column,
                _("No official has employee number %(no)s; import the roster first.")
                % {"no": number},
            )
        return official
