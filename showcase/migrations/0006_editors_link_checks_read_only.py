"""Link health is read-only for editors (``showcase.editors.READ_ONLY_MODELS``).

0002 gave the Editors group every ``core`` permission that existed when it ran; when
``core``'s link-check migration had run first, that included adding, changing and
deleting link checks, which ``manage.py check_links`` alone writes."""

from django.db import migrations

CODENAMES = ("add_linkcheck", "change_linkcheck", "delete_linkcheck")


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    writes = Permission.objects.filter(content_type__app_label="core", codename__in=CODENAMES)
    for editors in Group.objects.filter(name="Editors"):
        editors.permissions.remove(*writes)


class Migration(migrations.Migration):
    dependencies = [("showcase", "0005_stored_search_documents")]

    operations = [migrations.RunPython(revoke, migrations.RunPython.noop)]
