from django.db import migrations


def create_default(apps, schema_editor):
    RuleSet = apps.get_model("scoring", "RuleSet")
    if not RuleSet.objects.exists():
        # The field defaults are the defaults of SPEC section 5.
        RuleSet.objects.create(version=1, name="기본 평가 기준")


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_initial")]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
