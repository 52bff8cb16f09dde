"""Stored search documents on PostgreSQL:
now made by the search app (``search/migrations/0001_search_schema.py``).

This migration did it once; it does nothing now, and stays so that the migration graph
and the history of databases that applied it remain valid. The search app's migration
creates the same objects, finding those this one made where it ran.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("showcase", "0004_search_indexes")]

    operations = []
