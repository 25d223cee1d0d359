"""The one CSV and XLSX writer every export uses (SPEC section 8; issue 14 item 5).

Cells are typed: text (`str`) is written as text, numbers (`int`, `Decimal`, `float`) as
numbers, `None` as an empty cell.

- CSV: a text cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`,
  `@`, a tab or a carriage return) gets a leading `'`; numbers are never altered (a
  negative number is a number, not a formula). A `Decimal` keeps its places ("3.50").
- XLSX: text cells are string cells, never formulas, whatever they start with; control
  characters a workbook cannot hold are replaced by U+FFFD instead of failing the export;
  a `Decimal` is a number shown with its places ("0.00" for 3.50).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

Cell = str | int | float | Decimal | None

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What an XLSX file cannot hold (openpyxl refuses it): C0 controls but tab, LF and CR.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_TITLE_ILLEGAL = re.compile(r"[\[\]:*?/\\]")


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def csv_cell(value: Cell) -> str:
    """One CSV cell as text: numbers as they are, text made formula-safe."""
    if value is None:
        return ""
    if _is_number(value):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(
    rows: Iterable[Sequence[Cell]],
    *,
    header: Sequence[str] | None = None,
    lineterminator: str = "\r\n",
    bom: bool = False,
) -> str:
    """A whole CSV file. `bom` puts a UTF-8 byte-order mark first, so that Excel reads
    Korean; the ranking files of SPEC section 7 have none and end lines with "\\n"."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator)
    if header is not None:
        writer.writerow([csv_cell(str(h)) for h in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return ("\ufeff" if bom else "") + out.getvalue()


def _number_format(value: Decimal) -> str | None:
    places = -value.as_tuple().exponent if isinstance(value.as_tuple().exponent, int) else 0
    return "0." + "0" * places if places > 0 else None


def sheet_title(title: str) -> str:
    """A title a workbook accepts: at most 31 characters, none of []:*?/\\."""
    return _SHEET_TITLE_ILLEGAL.sub("_", _XLSX_ILLEGAL.sub("", title or ""))[:31] or "Sheet"


def xlsx_bytes(
    rows: Iterable[Sequence[Cell]], *, header: Sequence[str] | None = None, title: str = "Sheet"
) -> bytes:
    """A whole XLSX workbook of one sheet."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=sheet_title(title))

    def cell(value: Cell):
        if value is None or value == "":
            return None
        if _is_number(value):
            number = WriteOnlyCell(sheet, value=value)
            if isinstance(value, Decimal) and (fmt := _number_format(value)):
                # Without the format a spreadsheet shows 3.50 as 3.5 and 0.00 as 0.
                number.number_format = fmt
            return number
        text = WriteOnlyCell(sheet, value=_XLSX_ILLEGAL.sub("\ufffd", str(value)))
        text.data_type = "s"  # openpyxl would make "=..." a formula
        return text

    if header is not None:
        sheet.append([cell(str(h)) for h in header])
    for row in rows:
        sheet.append([cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
