"""The import machinery shared by every import of SPEC section 7.

A file (CSV in UTF-8 with or without BOM or in CP949, or XLSX) is read into a table whose
columns are matched by header name, in any order. Every row is validated before anything is
written; any bad row means nothing is written, and each bad row is reported with its line
(the header is line 1), its column and the reason. Importers describe one kind of file:
how to clean a row, what must hold across rows, and how to write the cleaned rows so that
re-importing the same rows changes nothing.

Reading a file is in `files`, cleaning a row in `rows`; the registry of importers and
`run_import` are here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from operator import attrgetter
from typing import Any, ClassVar

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The pieces importers use, importable from here as before the split.
from kindness.imports.files import (
    ImportFileError,
    RowError,
    Table,
    read_header,
    read_table,
)
from kindness.imports.rows import SEOUL, DepartmentLookup, Row, seoul_noon

__all__ = [
    "CHANGE_LABELS",
    "CHANGES_KEPT",
    "REGISTRY",
    "SEOUL",
    "SUMMARY_LABELS",
    "Change",
    "DepartmentLookup",
    "ImportFileError",
    "ImportResult",
    "Importer",
    "Row",
    "RowError",
    "Table",
    "describe_summary",
    "duplicate_keys",
    "importer_for",
    "looks_like",
    "read_header",
    "read_table",
    "register",
    "run_import",
    "seoul_noon",
    "wrong_kind_message",
]


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
        return asdict(self)


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
    # Natural keys: each value may appear once in a file; the cleaned row has an attribute
    # of the column's name. `check` reports every repeat.
    unique_columns: ClassVar[tuple[str, ...]] = ()
    # The management command running it: `import_<kind>` (set for each subclass).
    command: ClassVar[str]

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.command = f"import_{cls.kind}"

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
        """Rules across rows: a repeated natural key inside the file. Importers with more
        rules extend it."""
        for column in self.unique_columns:
            duplicate_keys(cleaned, errors, column=column, key=attrgetter(column))

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
