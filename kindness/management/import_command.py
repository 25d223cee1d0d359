"""Base of every `manage.py import_*` command of SPEC section 7."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kindness.imports import describe_summary, importer_for, run_import


class ImportCommand(BaseCommand):
    """Validate every row of FILE, then import all rows or none. Exits non-zero with each
    bad row's line, column and reason on standard error."""

    kind: str

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="CSV (UTF-8 or CP949) or XLSX file")
        parser.add_argument("--dry-run", action="store_true", help="validate only; write nothing")

    @property
    def help(self) -> str:  # type: ignore[override]
        importer = importer_for(self.kind)
        return f"{importer.label}. Columns: {', '.join(importer.columns)}"

    def handle(self, *args, file: str, dry_run: bool, **options) -> None:
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc.strerror}
            ) from exc
        result = run_import(self.kind, data, dry_run=dry_run)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("%(n)s problem(s) found in %(file)s; nothing was imported.")
                % {"n": len(result.errors), "file": path.name}
            )
        counts = ", ".join(f"{label} {n}" for label, n in describe_summary(result.summary))
        if dry_run:
            self.stdout.write(
                _(
                    "%(file)s is valid (%(rows)s rows); dry run, nothing written. Would do: %(counts)s"
                )
                % {"file": path.name, "rows": result.row_count, "counts": counts}
            )
        else:
            self.stdout.write(
                _("Imported %(file)s (%(rows)s rows): %(counts)s")
                % {"file": path.name, "rows": result.row_count, "counts": counts}
            )
