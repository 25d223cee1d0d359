"""Ranking files of SPEC section 7: CSV and XLSX with exactly its columns and rounding,
written by the core's formula-safe writer (kindness.exports)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _

from kindness.exports import Cell, csv_text, xlsx_bytes
from scoring.models import RankingRun
from scoring.package_verify import DEPARTMENT_COLUMNS

# The columns verify.py reads from the package's departments.csv, then the rank interval.
COLUMNS = (*DEPARTMENT_COLUMNS, "rank_low", "rank_high")


CENT = Decimal("0.01")


def _number(value: Decimal | None) -> Decimal | None:
    # Stored rounded half-up to 2 decimals; always written with both decimals.
    return None if value is None else value.quantize(CENT)


def rows(run: RankingRun, *, officials: bool = True) -> Iterator[list[Cell]]:
    """One list of cells per department (listing order), then per official."""
    for d in run.departments.all().order_by("position"):
        yield [
            "department",
            d.rank,
            d.bureau_rank,
            d.code,
            d.name,
            d.bureau_name,
            _number(d.score),
            _number(d.v),
            _number(d.t),
            _number(d.h),
            _number(d.bonus),
            _number(d.deduction),
            d.v_n,
            d.t_n,
            d.h_n,
            d.rank_low,
            d.rank_high,
        ]
    if not officials:
        return
    for o in run.officials.all().order_by("position"):
        yield [
            "official",
            o.rank,
            None,
            o.employee_no,
            o.name,
            o.bureau_name,
            _number(o.score),
            None,
            _number(o.t),
            _number(o.h),
            _number(o.bonus),
            _number(o.deduction),
            None,
            o.t_n,
            o.h_n,
            o.rank_low,
            o.rank_high,
        ]


def to_csv(run: RankingRun, *, officials: bool = True) -> str:
    return csv_text(rows(run, officials=officials), header=COLUMNS, lineterminator="\n")


def to_xlsx(run: RankingRun, *, officials: bool = True) -> bytes:
    """The same table as the CSV; numbers are stored as numbers shown with two decimals."""
    return xlsx_bytes(rows(run, officials=officials), header=COLUMNS, title=run.period.code)


def readable_header() -> list[str]:
    """The department columns with titles in the active language (for people, not scripts)."""
    return [
        _("Rank"),
        _("Rank in bureau"),
        _("Department code"),
        _("Department"),
        _("Bureau"),
        _("Score"),
        _("Visitor reception (V)"),
        _("Telephone survey (T)"),
        _("Happy-call survey (H)"),
        _("Praise bonus"),
        _("Unkindness deduction"),
        _("Responses V (n)"),
        _("Responses T (n)"),
        _("Responses H (n)"),
        _("Rank range, best"),
        _("Rank range, worst"),
    ]


def to_readable_csv(run: RankingRun) -> str:
    """The public download (SPEC section 5): department rows only, UTF-8 with a byte-order
    mark so that Korean Excel opens it, column titles in the active language. The cells are
    those of the section 7 file without its `level` column."""
    return csv_text(
        (row[1:] for row in rows(run, officials=False)), header=readable_header(), bom=True
    )


def to_readable_xlsx(run: RankingRun) -> bytes:
    """The public workbook (SPEC section 5): the readable CSV's table, department rows only
    with column titles in the active language, numbers stored as numbers."""
    return xlsx_bytes(
        (row[1:] for row in rows(run, officials=False)),
        header=readable_header(),
        title=run.period.code,
    )
