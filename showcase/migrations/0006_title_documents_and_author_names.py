"""What lets a PostgreSQL search stop early without losing its best results.

``showcase.search`` ranks at most ``MATCH_CAP`` + 1 candidates per tier instead of every
match, so a word found in most papers costs what a rarer word costs. The tiers must each
be answered from an index:

* ``search_title``: a generated column per searchable table holding the title-weight (A)
  part of ``search_document`` only (a paper's title, a person's names, ...), with its own
  GIN index, so the rows whose *title* matches are candidates even when thousands of
  abstracts match too.
* ``authorship_name_search_gin``: author names as words (``simple`` configuration: no
  stemming, no stopwords), so "papers by Denison" is an index lookup instead of a
  ``LIKE '%denison%'`` scan of every authorship.

PostgreSQL-only, like 0004 and 0005; the models' state knows nothing of either.
"""

from django.db import migrations

CONFIG = "english"

# (index name, table, [title-weight columns]) — the "A" columns of 0005's documents; keep
# in step with showcase.search.KINDS.
TITLES = [
    ("person_title_search_gin", "profiles_person", ["name", "name_variants"]),
    ("publication_title_search_gin", "publications_publication", ["title"]),
    ("mediaitem_title_search_gin", "media_items_mediaitem", ["title"]),
    ("topic_title_search_gin", "publications_topic", ["name"]),
]
AUTHOR_NAMES = (
    'CREATE INDEX "authorship_name_search_gin" ON "publications_authorship" '
    "USING GIN ((to_tsvector('simple'::regconfig, COALESCE(\"name\", ''))))"
)


def title_sql(columns):
    return " || ".join(
        f"setweight(to_tsvector('{CONFIG}'::regconfig, COALESCE(\"{column}\", '')), 'A')"
        for column in columns
    )


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, columns in TITLES:
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD COLUMN "search_title" tsvector '
            f"GENERATED ALWAYS AS ({title_sql(columns)}) STORED"
        )
        schema_editor.execute(f'CREATE INDEX "{name}" ON "{table}" USING GIN ("search_title")')
    schema_editor.execute(AUTHOR_NAMES)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('DROP INDEX IF EXISTS "authorship_name_search_gin"')
    for _name, table, _columns in TITLES:
        schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS "search_title"')


class Migration(migrations.Migration):
    dependencies = [("showcase", "0005_stored_search_documents")]

    operations = [migrations.RunPython(add, remove, elidable=False)]
