"""Ranking files of SPEC section 7: CSV and XLSX with exactly its columns and rounding."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

from scoring.models import RankingRun

COLUMNS = (
    "level",
    "rank",
    "bureau_rank",
    "code",
    "name",
    "bureau",
    "score",
    "v",
    "t",
    "h",
    "bonus",
    "deduction",
    "n_v",
    "n_t",
    "n_h",
    "rank_low",
    "rank_high",
)


def _number(value: Decimal | None) -> str:
    # Stored rounded half-up to 2 decimals; always written with both decimals.
    return "" if value is None else f"{value:.2f}"


def _whole(value: int | None) -> str:
    return "" if value is None else str(value)


def rows(run: RankingRun, *, officials: bool = True) -> Iterator[list[str]]:
    """One list of cells per department (listing order), then per official."""
    for d in run.departments.all().order_by("position"):
        yield [
            "department",
            _whole(d.rank),
            _whole(d.bureau_rank),
            d.code,
            d.name,
            d.bureau_name,
            _number(d.score),
            _number(d.v),
            _number(d.t),
            _number(d.h),
            _number(d.bonus),
            _number(d.deduction),
            str(d.v_n),
            str(d.t_n),
            str(d.h_n),
            _whole(d.rank_low),
            _whole(d.rank_high),
        ]
    if not officials:
        return
    for o in run.officials.all().order_by("position"):
        yield [
            "official",
            _whole(o.rank),
            "",
            o.employee_no,
            o.name,
            o.bureau_name,
            _number(o.score),
            "",
            _number(o.t),
            _number(o.h),
            _number(o.bonus),
            _number(o.deduction),
            "",
            str(o.t_n),
            str(o.h_n),
            _whole(o.rank_low),
            _whole(o.rank_high),
        ]


def to_csv(run: RankingRun, *, officials: bool = True) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(run, officials=officials))
    return out.getvalue()


def to_xlsx(run: RankingRun, *, officials: bool = True) -> bytes:
    """The same table as the CSV; numbers are stored as numbers shown with two decimals."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=run.period.code[:31])
    sheet.append(COLUMNS)
    integer_columns = {"rank", "bureau_rank", "n_v", "n_t", "n_h", "rank_low", "rank_high"}
    for cells in rows(run, officials=officials):
        values = []
        for column, cell in zip(COLUMNS, cells, strict=True):
            if cell == "" or column in ("level", "code", "name", "bureau"):
                values.append(cell if cell != "" else None)
            elif column in integer_columns:
                values.append(int(cell))
            else:
                # Without the format a spreadsheet shows 3.50 as 3.5 and 0.00 as 0.
                number = WriteOnlyCell(sheet, value=Decimal(cell))
                number.number_format = "0.00"
                values.append(number)
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
