"""Once made link health read-only for editors; now a no-op.

The Editors group and its permissions are maintained by the post_migrate function
``showcase.editors.ensure_editors_group`` (``READ_ONLY_MODELS`` holds link checks).
The migration stays, empty, so that applied histories stay valid.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("showcase", "0005_stored_search_documents")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
