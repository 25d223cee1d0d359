"""The praise board (issue: speed where people wait): a partial index on the shared praise's
latest change, for the board's one-query stamp; on PostgreSQL, a trigram index (pg_trgm) on
the upper-cased public words of reports (shared praise, published summaries), which Django's case-insensitive `icontains` search
(UPPER(...) LIKE UPPER(...)) can use. pg_trgm is a trusted extension: the database's owner
may create it."""

from django.db import migrations, models

TRGM = "report_praise_words_trgm"


def trigram_index_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRGM} ON complaints_report "
        "USING gin (UPPER(public_text) gin_trgm_ops)"
    )


def trigram_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRGM}")


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0003_praise_board_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                condition=models.Q(("kind", "praise"), ("status", "shared")),
                fields=["updated_at"],
                name="report_praise_updated_idx",
            ),
        ),
        migrations.RunPython(trigram_index_create, trigram_index_drop, elidable=False),
    ]
