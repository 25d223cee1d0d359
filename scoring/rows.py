"""Writing a run's score rows: thousands at once, inside the run's transaction.

On PostgreSQL the rows go in with COPY (psycopg 3 `cursor.copy`), several times faster than
INSERTs for the ~6,000 official rows of a city, each with its JSON breakdown; elsewhere
(SQLite) with `bulk_create`. Rows are dicts keyed by field attname (`run_id`, `score`);
a field left out takes its default.
"""

from __future__ import annotations

import json

from django.db import connection, models

NOT_GIVEN = object()


def rows_insert(model: type[models.Model], rows: list[dict]) -> None:
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=500)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    plan = [
        (
            f.attname,
            isinstance(f, models.JSONField),
            f.get_default() if f.has_default() else NOT_GIVEN,
        )
        for f in fields
    ]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            values = []
            for name, is_json, default in plan:
                value = row.get(name, default)
                if value is NOT_GIVEN:
                    value = None  # nullable without a default; NOT NULL fails loudly
                values.append(json.dumps(value, ensure_ascii=False) if is_json else value)
            copy.write_row(values)
