"""Yearly number sequences: receipt numbers `R-YYYY-NNNNNN` (SPEC section 3) and
consultation numbers `C-YYYY-NNNNNN` (SPEC section 6), one mechanism for both.

One counter row per prefix and year (`NumberSequence`). `number_next` advances it with a
single `UPDATE ... RETURNING` inside the caller's transaction: the row stays locked until
that transaction ends, so concurrent callers queue on it, and a rolled-back caller gives
its number back. Numbers are therefore sequential with no gap and no repeat, without any
retry loop. Databases without `UPDATE ... RETURNING` take the same row lock with
`select_for_update` first.

Six digits a year: a year whose sequence is used up raises `SequenceExhausted` (a clear
error for the person filing), never a seven-digit number that tracking would refuse
(issue 14 item 10).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.translation import gettext as _

from kindness.models import NumberSequence

RECEIPT = "R"  # reports (complaints)
CONSULTATION = "C"  # expert consultations (programme)

DIGITS = 6
LAST = 10**DIGITS - 1
YEAR_MIN, YEAR_MAX = 1900, 2100

_NUMBER = re.compile(rf"^([A-Z])-(\d{{4}})-(\d{{1,{DIGITS}}})$")
# What people type from a receipt: "r 2026 000123", "R2026000123" (all six digits, as
# every issued number has them).
_TYPED = re.compile(rf"^([A-Z])-?(\d{{4}})-?(\d{{{DIGITS}}})$")


class SequenceExhausted(Exception):
    """The year's sequence has no number left; the message is for people."""


@dataclass(frozen=True)
class Number:
    prefix: str
    year: int
    number: int

    def __str__(self) -> str:
        return number_format(self.prefix, self.year, self.number)


def number_format(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:0{DIGITS}d}"


def number_parse(value: str, *, prefix: str, typed: bool = False) -> Number | None:
    """The number written as `P-YYYY-N` with 1-6 digits (a file's column), or None when
    it is not one: another prefix, a year outside 1900-2100, more than six digits, or zero.
    `typed` reads what a person copies from a receipt (any case, spaces, dashes left out,
    all six digits). Every
    number `number_next` issues parses to itself."""
    if typed:
        match = _TYPED.match(re.sub(r"\s", "", value or "").upper())
    else:
        match = _NUMBER.match(value or "")
    if match is None or match[1] != prefix:
        return None
    year, number = int(match[2]), int(match[3])
    if not (YEAR_MIN <= year <= YEAR_MAX) or number == 0:
        return None
    return Number(prefix, year, number)


def _ensure_row(prefix: str, year: int) -> None:
    # INSERT ... ON CONFLICT DO NOTHING: the year's first callers racing to create the row
    # all succeed (a loser waits for the winner's commit and then does nothing).
    NumberSequence.objects.bulk_create(
        [NumberSequence(prefix=prefix, year=year, last=0)], ignore_conflicts=True
    )


def _update_returning() -> bool:
    if connection.vendor == "postgresql":
        return True
    if connection.vendor == "sqlite":
        # SQLite has RETURNING from 3.35 on, the same versions Django returns columns from
        # an INSERT with.
        return connection.features.can_return_columns_from_insert
    return False  # MySQL and MariaDB have no UPDATE ... RETURNING


def number_next(*, prefix: str, year: int) -> str:
    """The next number of the prefix's `year` sequence, e.g. "R-2026-000042".

    Must run inside the transaction that stores the numbered row (raises
    TransactionManagementError otherwise): the counter row stays locked until it ends.
    Raises SequenceExhausted when the year has used its 999,999 numbers."""
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError(
            "number_next must run inside the transaction that stores the number."
        )
    number = _advance(prefix, year)
    if number is None:
        # No row yet (the year's first number), or the year is used up: create the row if
        # it is missing and try once more. Only the year's first caller pays for this.
        _ensure_row(prefix, year)
        number = _advance(prefix, year)
    if number is None:
        raise SequenceExhausted(
            _("All numbers of %(year)s are used up; please ask the programme office.")
            % {"year": year}
        )
    return number_format(prefix, year, number)


def _advance(prefix: str, year: int) -> int | None:
    """Add one to the year's counter and return it; None when the row is missing or the
    year is used up. One `UPDATE ... RETURNING` where the database has it."""
    if _update_returning():
        q = connection.ops.quote_name
        table, last = q(NumberSequence._meta.db_table), q("last")
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {last} = {last} + 1 "  # noqa: S608 - names, not input
                f"WHERE {q('prefix')} = %s AND {q('year')} = %s AND {last} < %s "
                f"RETURNING {last}",
                [prefix, year, LAST],
            )
            row = cursor.fetchone()
        return row[0] if row else None
    counter = NumberSequence.objects.select_for_update().filter(prefix=prefix, year=year).first()
    if counter is None or counter.last >= LAST:
        return None
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def number_advance(*, prefix: str, year: int, number: int) -> None:
    """Move the year's sequence past `number` (an imported one), never backwards, so the
    next issued number is free. Safe to repeat."""
    _ensure_row(prefix, year)
    NumberSequence.objects.filter(prefix=prefix, year=year, last__lt=number).update(last=number)


def number_last(*, prefix: str, year: int) -> int:
    """The last number issued in the year (0 when none)."""
    row = NumberSequence.objects.filter(prefix=prefix, year=year).values_list("last").first()
    return row[0] if row else 0
