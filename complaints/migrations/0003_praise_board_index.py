"""The praise board's order (complaints.views.public._shared_praise): shared praise newest
first, so that a page reads its 20 rows in order from the index instead of joining and
sorting every praise ever shared. A partial index written per database: PostgreSQL needs
NULLS LAST spelt out to match the ORDER BY; SQLite has no NULLS LAST in an index, and its
DESC already puts NULLs last."""

from django.db import migrations

NAME = "report_praise_board_idx"
WHERE = "WHERE kind = 'praise' AND status = 'shared'"
COLUMNS = {
    "postgresql": "ended_at DESC NULLS LAST, id DESC",
    "sqlite": "ended_at DESC, id DESC",
}


def create(apps, schema_editor):
    columns = COLUMNS.get(schema_editor.connection.vendor)
    if columns:
        schema_editor.execute(f"CREATE INDEX {NAME} ON complaints_report ({columns}) {WHERE}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0002_open311_keys_and_location")]

    operations = [migrations.RunPython(create, drop)]
