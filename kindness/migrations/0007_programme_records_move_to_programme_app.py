"""The programme records of SPEC section 6 move to the `programme` app (issue 13).

State only: the tables stay where they are (the `programme` models keep their `kindness_...`
names with `db_table`), so no row is copied. `programme.0001_initial` takes the models over
and `programme.0002_content_types_and_access_log_follow_models` renames their content types, so permissions
and admin history follow."""

from django.db import migrations

# Models holding a foreign key to another of them are removed first.
MOVED = [
    "InitiativeNote",
    "Initiative",
    "HandoutCase",
    "TrainingAttendance",
    "TrainingSession",
    "ConsultationRequest",
    "ConsultationSlot",
    "Expert",
]


class Migration(migrations.Migration):
    dependencies = [
        ("kindness", "0006_programme_records"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name) for name in MOVED],
            database_operations=[],
        )
    ]
