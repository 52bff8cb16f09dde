"""Once let editors see link health; now a no-op.

The Editors group and its permissions are maintained by the post_migrate function
``showcase.editors.ensure_editors_group`` (``READ_ONLY_MODELS`` holds link checks).
The migration stays, empty, so that applied histories stay valid.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0002_link_checks"), ("showcase", "0002_editors_group")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
