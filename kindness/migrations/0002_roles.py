"""The roles of SPEC section 1 as groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    # Permissions are normally created after `migrate` finishes; create them now so that
    # the groups get theirs on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    from kindness.roles import sync_role_groups

    sync_role_groups(apps)


def remove_roles(apps, schema_editor):
    from kindness.roles import Role

    apps.get_model("auth", "Group").objects.filter(name__in=Role.values).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kindness", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "__latest__"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
