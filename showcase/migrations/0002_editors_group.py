"""Once created the Editors group; now a no-op.

The group is maintained in one place: ``showcase.editors.ensure_editors_group``, a
post_migrate receiver that creates it (with ``editor_permissions()``) whenever it is
missing, after this and every later migration. The migration stays, empty, so that
databases that applied it keep a valid history.
"""

from django.db import migrations


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

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
