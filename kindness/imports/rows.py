"""Cleaning one row of an import file: typed accessors that record each problem with its
line and column, and the `department` column's lookup."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kindness.imports.files import RowError
from kindness.validation import text_problem, whole_number, year_problem

SEOUL = ZoneInfo("Asia/Seoul")
# A date says which day, not which hour: noon in Seoul is that day in any zone a reader is
# likely to convert it to.
NOON = dt.time(12, 0)


def seoul_noon(day: dt.date) -> dt.datetime:
    """The moment stored for an event known only by its day."""
    return dt.datetime.combine(day, NOON, tzinfo=SEOUL)


class Row:
    """One line of a file being cleaned: typed accessors that record a translated error
    naming the column instead of raising, so every problem of every row is reported."""

    def __init__(self, line: int, values: dict[str, str], errors: list[RowError]):
        self.line = line
        self.values = values
        self._errors = errors
        self.ok = True

    def error(self, column: str, message: str) -> None:
        self.ok = False
        self._errors.append(RowError(self.line, column, message))

    def text(
        self, column: str, *, required: bool = False, max_length: int = 255, multiline: bool = False
    ) -> str:
        """Text without control characters (tabs and line breaks only when `multiline`: a
        report's text, a voice of the customer) and, unless multi-line, without
        text-direction overrides (SPEC section 7)."""
        value = self.values.get(column, "")
        if required and not value:
            self.error(column, _("A value is required."))
        elif len(value) > max_length:
            self.error(
                column,
                _("At most %(max)s characters are allowed (this has %(n)s).")
                % {"max": max_length, "n": len(value)},
            )
        elif problem := text_problem(value, multiline=multiline):
            self.error(column, problem)
        return value

    def choice(self, column: str, allowed: Iterable[str], *, required: bool = True) -> str | None:
        value = self.values.get(column, "")
        allowed = list(allowed)
        if not value and not required:
            return None
        if value not in allowed:
            self.error(
                column,
                _("%(value)s is not allowed here; use one of: %(allowed)s.")
                % {
                    "value": f'"{value}"' if value else _("An empty value"),
                    "allowed": ", ".join(allowed),
                },
            )
            return None
        return value

    def yes_no(self, column: str) -> bool | None:
        value = self.choice(column, ["Y", "N"])
        return None if value is None else value == "Y"

    def integer(
        self,
        column: str,
        *,
        required: bool = True,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        value = self.values.get(column, "")
        if not value:
            if required:
                self.error(column, _("A value is required."))
            return None
        number = whole_number(value)
        if number is None:
            self.error(column, _('"%(value)s" is not a whole number.') % {"value": value})
            return None
        if minimum is not None and number < minimum:
            self.error(
                column,
                _("%(value)s is below the minimum of %(min)s.") % {"value": number, "min": minimum},
            )
            return None
        if maximum is not None and number > maximum:
            self.error(
                column,
                _("%(value)s is above the maximum of %(max)s.") % {"value": number, "max": maximum},
            )
            return None
        return number

    def rating(self, column: str, *, required: bool = False) -> int | None:
        """A 1-5 answer; blank means "no answer"."""
        value = self.values.get(column, "")
        if not value and not required:
            return None
        if value not in {"1", "2", "3", "4", "5"}:
            self.error(
                column,
                _('"%(value)s" is not an answer from 1 to 5%(blank)s.')
                % {"value": value, "blank": "" if required else _(" or blank for no answer")},
            )
            return None
        return int(value)

    def date(self, column: str, *, required: bool = True) -> dt.date | None:
        day = self._iso(
            column,
            dt.date.fromisoformat,
            required=required,
            missing=gettext_lazy("A date is required."),
            unreadable=gettext_lazy('"%(value)s" is not a date like 2026-03-31.'),
        )
        if day is not None and day > timezone.localdate():
            self.error(column, _("%(value)s is after today.") % {"value": self.values[column]})
            return None
        return day

    def datetime(self, column: str, *, required: bool = True) -> dt.datetime | None:
        """An ISO time with an offset, with Z, or without one (= Seoul time)."""
        moment = self._iso(
            column,
            lambda value: dt.datetime.fromisoformat(value.replace("Z", "+00:00")),
            required=required,
            missing=gettext_lazy("A time is required."),
            unreadable=gettext_lazy('"%(value)s" is not a time like 2026-03-31T09:15:00+09:00.'),
        )
        if moment is None:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=SEOUL)
        if moment > timezone.now():
            self.error(column, _("%(value)s is in the future.") % {"value": self.values[column]})
            return None
        return moment

    def _iso(self, column: str, parse, *, required: bool, missing: Promise, unreadable: Promise):
        """The column read by `parse` (an ISO date or time reader), or None with the error
        recorded: blank (an error only when required), unreadable (`unreadable` takes the
        value), or in a year outside SPEC section 7's range. The messages are lazy, so a
        clean row costs no translation."""
        value = self.values.get(column, "")
        if not value:
            if required:
                self.error(column, str(missing))
            return None
        try:
            parsed = parse(value)
        except ValueError:
            self.error(column, unreadable % {"value": value})
            return None
        # Checked before any conversion: year 1 at +14:00 is year 0 in UTC, which overflows.
        if problem := year_problem(parsed):
            self.error(column, problem)
            return None
        return parsed


class DepartmentLookup:
    """The `department` column of SPEC section 7: a department code, else an exact name; a
    name held by two or more departments is a row error. Loads every department once."""

    def __init__(self) -> None:
        from kindness.models import Department

        self.by_code = {d.code: d for d in Department.objects.all()}
        self.by_name: dict[str, list[Any]] = defaultdict(list)
        for department in self.by_code.values():
            self.by_name[department.name].append(department)

    def clean(self, row: Row, column: str = "department") -> Any:
        """The department the row names, or None with the error recorded on the row."""
        value = row.text(column, required=True, max_length=100)
        if not value:
            return None
        if value in self.by_code:
            return self.by_code[value]
        named = self.by_name.get(value, [])
        if len(named) == 1:
            return named[0]
        if named:
            row.error(
                column,
                _('Two or more departments are named "%(name)s" (%(codes)s); give the code.')
                % {"name": value, "codes": ", ".join(sorted(d.code for d in named))},
            )
        else:
            row.error(
                column,
                _('"%(value)s" is neither a department code nor a department name.')
                % {"value": value},
            )
        return None
