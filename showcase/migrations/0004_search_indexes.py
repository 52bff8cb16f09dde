"""GIN indexes for site search on PostgreSQL (``showcase/search.py``).

Each index is on the same weighted tsvector expression the search queries use,
so PostgreSQL can answer ``document @@ query`` from the index. The expressions
must match ``showcase.search.document`` exactly (a test checks the query plan).

These are PostgreSQL-only: on SQLite, search uses containment matching and no
index is created. The models' state does not know about them (they live only
in this migration), so ``makemigrations`` never tries to recreate them.
"""

from django.db import migrations

CONFIG = "english"

# (index name, table, [(column, weight), ...]) — keep in step with showcase.search.KINDS.
INDEXES = [
    (
        "person_search_gin",
        "profiles_person",
        [("name", "A"), ("name_variants", "A"), ("headline", "B"), ("bio", "C")],
    ),
    (
        "publication_search_gin",
        "publications_publication",
        [("title", "A"), ("abstract", "B")],
    ),
    (
        "mediaitem_search_gin",
        "media_items_mediaitem",
        [("title", "A"), ("description", "B"), ("summary", "B"), ("cached_content", "D")],
    ),
    (
        "topic_search_gin",
        "publications_topic",
        [("name", "A"), ("summary", "B")],
    ),
]


def document_sql(columns):
    parts = [
        f"setweight(to_tsvector('{CONFIG}'::regconfig, COALESCE(\"{column}\", '')), '{weight}')"
        for column, weight in columns
    ]
    return " || ".join(parts)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, columns in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING GIN (({document_sql(columns)}))'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _columns in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("showcase", "0003_editors_view_link_checks"),
        ("profiles", "0001_initial"),
        ("publications", "0001_initial"),
        ("media_items", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
