"""Reading an import file into a table: CSV (UTF-8 with or without BOM, or CP949) or XLSX
within the caps of SPEC section 7, its columns matched by header name in any order."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class RowError:
    """One problem: its line in the file (header = 1; 0 for the file as a whole), the
    column it concerns ("" when none) and a translated reason."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.line and self.column:
            return _("line %(line)s, column %(column)s: %(message)s") % self.as_dict()
        if self.line:
            return _("line %(line)s: %(message)s") % self.as_dict()
        return self.message

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, format, header). `header` holds the
    file's column names when the header row was read, so a caller can tell which kind of
    file it looks like."""

    def __init__(self, errors: list[RowError], header: list[str] | None = None):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors
        self.header = header


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line, {column: text})


def _cell_text(value: Any) -> str:
    """An XLSX cell as the text a CSV would have held."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _decode(data: bytes) -> str:
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
        encodings = ("utf-8",)
    else:
        # Korean spreadsheets export CP949 ("ANSI"); text that is valid UTF-8 is taken as
        # UTF-8 first, since CP949 would also accept many UTF-8 byte sequences.
        encodings = ("utf-8", "cp949")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        [
            RowError(
                0,
                "",
                _(
                    "The file is neither UTF-8 nor CP949 (EUC-KR) text. Save it as "
                    '"CSV UTF-8" or as an Excel workbook (.xlsx) and try again.'
                ),
            )
        ]
    )


def _file_error(message: str) -> ImportFileError:
    return ImportFileError([RowError(0, "", message)])


def _xlsx_rows(data: bytes) -> list[list[str]]:
    """The first sheet's rows, read in streaming (read-only) mode within the caps of SPEC
    section 7: a small file may expand hugely (a "zip bomb"), so its declared uncompressed
    size is checked before anything is parsed (zipfile never inflates a member past the
    size it declares), and reading stops at the first row past the row cap."""
    import openpyxl

    # A read-only workbook parses its sheet while the rows are read, so a damaged file
    # (bad XML raises ParseError, a SyntaxError) can fail there as well as on opening.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
        if expanded > settings.IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES:
            raise _file_error(
                _(
                    "The Excel file expands to more than %(mb)s MB; split it into smaller "
                    "files or save it as CSV."
                )
                % {"mb": settings.IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES // 2**20}
            )
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            # The dimension a file declares may be a lie (A1:XFD1048576): rows are read
            # as stored, not padded to it.
            sheet.reset_dimensions()
            rows = []
            for row in sheet.iter_rows(values_only=True):
                if len(rows) >= settings.IMPORT_XLSX_MAX_ROWS:
                    raise _file_error(
                        _(
                            "The Excel file has more than %(rows)s rows; split it into smaller files."
                        )
                        % {"rows": f"{settings.IMPORT_XLSX_MAX_ROWS:,}"}
                    )
                rows.append([_cell_text(v) for v in row])
            return rows
        finally:
            book.close()
    except (zipfile.BadZipFile, KeyError, IndexError, OSError, ValueError, SyntaxError) as exc:
        raise _file_error(_("The Excel file cannot be read: %(error)s") % {"error": exc}) from exc


def _raw_rows(data: bytes) -> Iterable[list[str]]:
    if data.startswith(XLSX_MAGIC):
        return _xlsx_rows(data)
    if b"\x00" in data[:4096]:
        raise ImportFileError(
            [
                RowError(
                    0,
                    "",
                    _(
                        "The file is not a CSV or Excel (.xlsx) file. Save it as "
                        '"CSV UTF-8" or as an Excel workbook and try again.'
                    ),
                )
            ]
        )
    text = _decode(data)
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise ImportFileError(
            [RowError(0, "", _("The CSV file cannot be read: %(error)s") % {"error": exc})]
        ) from exc


def read_table(data: bytes, *, columns: Iterable[str], optional: Iterable[str] = ()) -> Table:
    """Read CSV or XLSX bytes into a table with the given columns, matched by header name;
    an `optional` column missing from the header reads as blank on every row.

    Raises ImportFileError for an unreadable file, a missing or repeated column, or a file
    without data rows. Extra columns are ignored; fully blank rows are skipped but counted,
    so every reported line is the line a spreadsheet shows.
    """
    raw = list(_raw_rows(data))
    # Leading blank lines are not the header, but they still count, so that every line
    # number is the one the file shows.
    header_line = 1
    while header_line <= len(raw) and not any(raw[header_line - 1]):
        header_line += 1
    if header_line > len(raw):
        raise ImportFileError([RowError(0, "", _("The file is empty."))])
    header = [h.strip().lstrip("\ufeff").lower() for h in raw[header_line - 1]]
    errors = []
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            errors.append(RowError(header_line, name, _("This column appears more than once.")))
        seen.add(name)
    missing = [c for c in columns if c not in seen]
    for name in missing:
        errors.append(
            RowError(header_line, name, _("This required column is missing from the header."))
        )
    if errors:
        raise ImportFileError(errors, header=header)
    index = {name: i for i, name in enumerate(header) if name}
    columns = [*columns, *(c for c in optional if c in index)]
    rows = []
    for offset, values in enumerate(raw[header_line:], start=header_line + 1):
        if not any(values):
            continue
        # No NUL anywhere in a file (SPEC section 7), in any column, even one not imported:
        # importers look values up before they clean rows, and PostgreSQL refuses NUL.
        for position, value in enumerate(values):
            if "\x00" in value:
                column = header[position] if position < len(header) else ""
                errors.append(RowError(offset, column, _("The NUL character is not allowed.")))
        if errors:
            continue
        rows.append(
            (
                offset,
                {c: (values[index[c]] if index[c] < len(values) else "") for c in columns},
            )
        )
    if errors:
        raise ImportFileError(errors)
    if not rows:
        raise ImportFileError([RowError(0, "", _("The file has a header but no data rows."))])
    return Table(headers=header, rows=rows)


def read_header(data: bytes) -> list[str] | None:
    """The column names of a file's first non-blank row, or None when the file cannot be
    read (run_import then reports why). Reads no further than the header."""
    try:
        if data.startswith(XLSX_MAGIC):
            import openpyxl

            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            rows: Iterable[Iterable[Any]] = book.worksheets[0].iter_rows(values_only=True)
        elif b"\x00" in data[:4096]:
            return None
        else:
            rows = csv.reader(io.StringIO(_decode(data), newline=""))
        for row in rows:
            values = [_cell_text(v) for v in row]
            if any(values):
                return [h.strip().lstrip("\ufeff").lower() for h in values]
    # The failures _raw_rows reports, with its reasons, when the file is imported.
    except (ImportFileError, csv.Error, zipfile.BadZipFile, KeyError, IndexError, OSError):
        return None
    except (ValueError, SyntaxError):
        return None
    return None
