"""GIN indexes for site search on PostgreSQL:
now made by the search app (``search/migrations/0001_search_schema.py``).

This migration did it once; it does nothing now, and stays so that the migration graph
and the history of databases that applied it remain valid. The search app's migration
creates the same objects, finding those this one made where it ran.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("showcase", "0003_editors_view_link_checks"),
        ("profiles", "0001_initial"),
        ("publications", "0001_initial"),
        ("media_items", "0001_initial"),
    ]

    operations = []
