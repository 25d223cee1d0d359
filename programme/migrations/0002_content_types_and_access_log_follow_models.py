"""The moved models' content types change app label from `kindness` to `programme` (issue 13),
so their permissions (and the role groups holding them) and the admin history of their rows
follow without a change of id; the access log's entries about them take the new label.

On a new database there is nothing to rename (the content types are made after `migrate`,
under the new label); on a database made before the move, the old rows are renamed. If both
exist (the new label was made by a partial upgrade), the old permissions' grants and the
old admin history move onto the new ones and the old rows go."""

from django.conf import settings
from django.db import migrations

MODELS = [
    "initiative",
    "initiativenote",
    "trainingsession",
    "trainingattendance",
    "handoutcase",
    "expert",
    "consultationslot",
    "consultationrequest",
]


def _merge(apps, alias, old, new):
    Permission = apps.get_model("auth", "Permission")
    LogEntry = apps.get_model("admin", "LogEntry")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    for perm in Permission.objects.using(alias).filter(content_type=old):
        twin = Permission.objects.using(alias).filter(content_type=new, codename=perm.codename).first()
        if twin is None:
            perm.content_type = new
            perm.save(update_fields=["content_type"])
            continue
        for group in Group.objects.using(alias).filter(permissions=perm):
            group.permissions.add(twin)
        for user in User.objects.using(alias).filter(user_permissions=perm):
            user.user_permissions.add(twin)
        perm.delete()
    LogEntry.objects.using(alias).filter(content_type=old).update(content_type=new)
    old.delete()


def _move(apps, schema_editor, *, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    alias = schema_editor.connection.alias
    for model in MODELS:
        old = ContentType.objects.using(alias).filter(app_label=source, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.using(alias).filter(app_label=target, model=model).first()
        if new is None:
            old.app_label = target
            old.save(update_fields=["app_label"])
        else:
            _merge(apps, alias, old, new)
    ContentType.objects.clear_cache()
    # The access log names the object it records by label (SPEC section 8): old entries
    # take the new label too, so one object's history reads under one name.
    AccessLog = apps.get_model("kindness", "AccessLog")
    for model in MODELS:
        AccessLog.objects.using(alias).filter(object_type=f"{source}.{model}").update(
            object_type=f"{target}.{model}"
        )


def forwards(apps, schema_editor):
    _move(apps, schema_editor, source="kindness", target="programme")


def backwards(apps, schema_editor):
    _move(apps, schema_editor, source="programme", target="kindness")


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
