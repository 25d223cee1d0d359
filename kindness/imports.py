"""The import machinery shared by every import of SPEC section 7.

A file (CSV in UTF-8 with or without BOM or in CP949, or XLSX) is read into a table whose
columns are matched by header name, in any order. Every row is validated before anything is
written; any bad row means nothing is written, and each bad row is reported with its line
(the header is line 1), its column and the reason. Importers describe one kind of file:
how to clean a row, what must hold across rows, and how to write the cleaned rows so that
re-importing the same rows changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kindness.validation import text_problem, whole_number, year_problem

XLSX_MAGIC = b"PK\x03\x04"
UTF8_BOM = b"\xef\xbb\xbf"
SEOUL = ZoneInfo("Asia/Seoul")


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
        return {"line": self.line, "column": self.column, "message": self.message}


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
        value = self.values.get(column, "")
        if not value:
            if required:
                self.error(column, _("A date is required."))
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.error(column, _('"%(value)s" is not a date like 2026-03-31.') % {"value": value})
            return None
        if problem := year_problem(day):
            self.error(column, problem)
            return None
        if day > timezone.localdate():
            self.error(column, _("%(value)s is after today.") % {"value": value})
            return None
        return day

    def datetime(self, column: str, *, required: bool = True) -> dt.datetime | None:
        """An ISO time with an offset, with Z, or without one (= Seoul time)."""
        value = self.values.get(column, "")
        if not value:
            if required:
                self.error(column, _("A time is required."))
            return None
        try:
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            self.error(
                column,
                _('"%(value)s" is not a time like 2026-03-31T09:15:00+09:00.') % {"value": value},
            )
            return None
        # Checked before any conversion: year 1 at +14:00 is year 0 in UTC, which overflows.
        if problem := year_problem(moment):
            self.error(column, problem)
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=SEOUL)
        if moment > timezone.now():
            self.error(column, _("%(value)s is in the future.") % {"value": value})
            return None
        return moment


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


def looks_like(header: Iterable[str], *, chosen: str) -> type[Importer] | None:
    """Another kind of import whose columns the header holds, when it lacks some of the
    chosen kind's: a roster uploaded as petitions is named as a roster. None when the
    chosen kind fits or no other kind does."""
    names = set(header)
    importer = REGISTRY.get(chosen)
    if importer is not None and set(importer.columns) <= names:
        return None
    fits = [
        other for kind, other in REGISTRY.items() if kind != chosen and set(other.columns) <= names
    ]
    # The kind with the most columns is the most specific match.
    return max(fits, key=lambda other: len(other.columns), default=None)


def wrong_kind_message(other: type[Importer]) -> str:
    return _(
        'This looks like a file of another kind: "%(label)s". Its header has every column '
        "of that kind. Choose that kind, or check the file."
    ) % {"label": other.label}


@dataclass(frozen=True)
class Change:
    """One row an import creates or changes, for the preview: its line, what happens to it
    (a key of CHANGE_LABELS), the row's natural key, a name for people, and what changes
    (column names and values as the file spells them, so it reads the same in any language)."""

    line: int
    change: str
    key: str
    name: str = ""
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "change": self.change,
            "key": self.key,
            "name": self.name,
            "detail": self.detail,
        }


# What happens to one row, for people. Importers may add their own keys.
CHANGE_LABELS: dict[str, Any] = {
    "created": gettext_lazy("new"),
    "updated": gettext_lazy("updated"),
    "renamed": gettext_lazy("renamed"),
    "transferred": gettext_lazy("transferred"),
    "completed": gettext_lazy("queued call completed"),
    "bureau_created": gettext_lazy("new bureau"),
    "department_created": gettext_lazy("new department"),
    "department_updated": gettext_lazy("department renamed or moved"),
    "team_created": gettext_lazy("new team"),
}

# The preview lists at most this many changed rows; its counts always cover every row.
CHANGES_KEPT = 20_000


@dataclass
class ImportResult:
    kind: str
    row_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class Importer:
    """One kind of import. Subclasses set the class attributes and implement `clean` and
    `write`; `prepare` loads what validation needs in bulk (never a query per row)."""

    kind: ClassVar[str]
    label: ClassVar[str]
    columns: ClassVar[tuple[str, ...]]
    optional_columns: ClassVar[tuple[str, ...]] = ()  # may be left out of the header
    command: ClassVar[str]

    def __init__(self) -> None:
        self.changes: list[Change] = []
        self._lines: dict[int, int] = {}

    def note(self, item: Any, change: str, key: str, *, name: str = "", detail: str = "") -> None:
        """Record that `write` creates or changes the row of the cleaned `item`."""
        if len(self.changes) < CHANGES_KEPT:
            line = self._lines.get(id(item), 0)
            self.changes.append(Change(line, change, key, name, detail))

    def prepare(self, table: Table) -> None:
        """Load lookups for the whole file at once."""

    def clean(self, row: Row) -> Any:
        """Return the cleaned row, recording errors on `row`."""
        raise NotImplementedError

    def check(self, cleaned: list[tuple[int, Any]], errors: list[RowError]) -> None:
        """Rules across rows (duplicates inside the file, ...)."""

    def write(self, cleaned: list[Any]) -> dict[str, int]:
        """Write the cleaned rows; return counts keyed as in SUMMARY_LABELS."""
        raise NotImplementedError


# What an import's counts mean, for people. Importers may add their own keys.
SUMMARY_LABELS: dict[str, Any] = {
    "created": gettext_lazy("new rows"),
    "updated": gettext_lazy("changed rows"),
    "unchanged": gettext_lazy("unchanged rows"),
    "transferred": gettext_lazy("officials transferred to another department"),
    "bureaus_created": gettext_lazy("new bureaus"),
    "departments_created": gettext_lazy("new departments"),
    "departments_updated": gettext_lazy("departments renamed or moved"),
    "teams_created": gettext_lazy("new teams"),
    "completed": gettext_lazy("queued calls completed"),
    "reports_raised": gettext_lazy("reports opened by a flag"),
}


def describe_summary(summary: dict[str, int]) -> list[tuple[str, int]]:
    """The counts of an import as (label, number) pairs in a stable order."""
    return [(str(SUMMARY_LABELS.get(key, key)), value) for key, value in summary.items()]


REGISTRY: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    REGISTRY[importer.kind] = importer
    return importer


def importer_for(kind: str) -> Importer:
    return REGISTRY[kind]()


def duplicate_keys(
    cleaned: list[tuple[int, Any]],
    errors: list[RowError],
    *,
    column: str,
    key: Callable[[Any], Any],
) -> None:
    """Report each repeat of a natural key inside one file, naming the first line."""
    first: dict[Any, int] = {}
    for line, item in cleaned:
        value = key(item)
        if value in ("", None):
            continue  # already reported as missing by the row itself
        if value in first:
            errors.append(
                RowError(
                    line,
                    column,
                    _("%(value)s already appears on line %(first)s of this file.")
                    % {"value": value, "first": first[value]},
                )
            )
        else:
            first[value] = line


def run_import(kind: str, data: bytes, *, dry_run: bool = False) -> ImportResult:
    """Validate every row, then write all rows in one transaction, or none.

    With `dry_run` the rows are written inside a transaction that is rolled back, so the
    result tells exactly what an import would create, update and leave unchanged.
    Safe to repeat: importers write by natural key, so the same rows change nothing.
    """
    importer = importer_for(kind)
    result = ImportResult(kind=kind, dry_run=dry_run)
    if len(data) > settings.IMPORT_MAX_BYTES:
        result.errors.append(
            RowError(
                0,
                "",
                _("The file is larger than %(mb)s MB.")
                % {"mb": settings.IMPORT_MAX_BYTES // 2**20},
            )
        )
        return result
    try:
        table = read_table(data, columns=importer.columns, optional=importer.optional_columns)
    except ImportFileError as exc:
        result.errors = exc.errors
        other = looks_like(exc.header, chosen=kind) if exc.header else None
        if other is not None:
            result.errors = [RowError(0, "", wrong_kind_message(other)), *exc.errors]
        return result
    result.row_count = len(table.rows)
    with transaction.atomic():
        importer.prepare(table)
        errors: list[RowError] = []
        cleaned: list[tuple[int, Any]] = []
        for line, values in table.rows:
            row = Row(line, values, errors)
            # Rows with errors take part in the checks across rows too, so that a repeated
            # key is reported even on a line that has other problems.
            cleaned.append((line, importer.clean(row)))
        importer.check(cleaned, errors)
        if errors:
            result.errors = sorted(errors, key=lambda e: e.line)
            return result
        # Changes are noted by the cleaned item, so each keeps the line it came from.
        importer._lines = {id(item): line for line, item in cleaned}
        result.summary = importer.write([item for _line, item in cleaned])
        result.changes = sorted(importer.changes, key=lambda c: (c.line, c.change))
        if dry_run:
            transaction.set_rollback(True)
    return result
