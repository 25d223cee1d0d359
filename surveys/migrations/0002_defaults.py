"""The default happy-call questionnaire and telephone scorecard of SPEC section 4."""

from django.db import migrations


def create_defaults(apps, schema_editor):
    from surveys.defaults import survey_defaults_ensure

    survey_defaults_ensure(apps)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
