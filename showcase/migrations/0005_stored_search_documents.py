"""Stored search documents on PostgreSQL, so ranking never re-parses the text.

0004 indexed the weighted tsvector *expression*: matching used the GIN index, but
every matching row's document was rebuilt from its text to rank it (and to re-check
lossy index pages), so a common word over media items with 50–100 KB transcripts cost
seconds. Here each searchable table gets a generated column, ``search_document``,
computed by PostgreSQL when a row is written (``GENERATED ALWAYS AS ... STORED``), and
the GIN index moves onto that column (same index names). ``showcase.search`` matches
and ranks on the column. The expressions are the ones 0004 used; keep them in step
with ``showcase.search.KINDS``.

PostgreSQL-only, like 0004; the models' state does not know about the column (Django
never writes it: the database computes it), so ``makemigrations`` never sees it.
"""

from django.db import migrations

CONFIG = "english"

# (index name, table, [(column, weight), ...]) — as in 0004.
DOCUMENTS = [
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
    return " || ".join(
        f"setweight(to_tsvector('{CONFIG}'::regconfig, COALESCE(\"{column}\", '')), '{weight}')"
        for column, weight in columns
    )


def store_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, columns in DOCUMENTS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD COLUMN "search_document" tsvector '
            f"GENERATED ALWAYS AS ({document_sql(columns)}) STORED"
        )
        schema_editor.execute(f'CREATE INDEX "{name}" ON "{table}" USING GIN ("search_document")')


def index_expressions(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, columns in DOCUMENTS:
        schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS "search_document"')
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING GIN (({document_sql(columns)}))'
        )


class Migration(migrations.Migration):
    dependencies = [("showcase", "0004_search_indexes")]

    operations = [migrations.RunPython(store_documents, index_expressions, elidable=False)]
