"""Full-text indexes on SQLite (FTS5):
now made by the search app (``search/migrations/0001_search_schema.py``).

This migration did it once; it does nothing now, and stays so that the migration graph
and the history of databases that applied it remain valid. The search app's migration
creates the same objects, finding those this one made where it ran.
"""

from django.db import migrations


class Migration(migrations.Migration):
    # As they were when this migration did the work.
    dependencies = [
        ("showcase", "0007_merge_20261123_1617"),
        ("profiles", "0003_photo_validation"),
        ("publications", "0004_authors_behind_et_al"),
        ("media_items", "0002_publish_window"),
    ]

    operations = []
