"""Create the Editors group: full rights on content, read-only import history, no users."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_APPS = ("profiles", "publications", "media_items", "showcase")
READ_ONLY_MODELS = {("publications", "importrun"), ("core", "slughistory")}


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create them now so
    # the group can be filled on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    permissions = []
    for permission in Permission.objects.select_related("content_type").filter(
        content_type__app_label__in=(*CONTENT_APPS, "core")
    ):
        key = (permission.content_type.app_label, permission.content_type.model)
        if key in READ_ONLY_MODELS and not permission.codename.startswith("view_"):
            continue
        permissions.append(permission)
    editors.permissions.set(permissions)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("profiles", "0001_initial"),
        ("publications", "0001_initial"),
        ("media_items", "0001_initial"),
        ("showcase", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
