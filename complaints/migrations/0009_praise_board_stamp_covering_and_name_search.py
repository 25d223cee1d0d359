"""The praise board (issue 16 item 4): the stamp's partial index also holds the id, so that
on PostgreSQL the board's one query (count, latest change, highest id) is answered from the
index alone; and a trigram index (pg_trgm, created by 0004) on the upper-cased names of
officials, which the board's search matches with `icontains` (a scan of every official
otherwise). SQLite ignores the included column and gets no trigram index."""

from django.db import migrations, models

TRGM = "official_name_trgm"


def trigram_index_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRGM} ON kindness_official "
        "USING gin (UPPER(name) gin_trgm_ops)"
    )


def trigram_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRGM}")


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0008_report_possible_duplicate"),
        ("kindness", "0012_importbatch_changes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="report", name="report_praise_updated_idx"),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                condition=models.Q(("kind", "praise"), ("status", "shared")),
                fields=["updated_at"],
                include=["id"],
                name="report_praise_updated_idx",
            ),
        ),
        migrations.RunPython(trigram_index_create, trigram_index_drop, elidable=False),
    ]
