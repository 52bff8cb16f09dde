"""The search schema: what lets each database answer a search from an index.

It used to be created by showcase's migrations 0004, 0005, 0006_title_documents_and_author_names
and 0008, now no-ops (kept so the graph and every database's applied history stay
valid). This migration creates the same objects, *idempotently*: on a database those
showcase migrations built, it finds them and keeps their data (an FTS index is rebuilt
from its table, which gives the same index); on a new one it creates them.

PostgreSQL (``search.backends.postgres``):

* ``search_document``: a generated column per searchable table, the weighted tsvector of
  its document (``GENERATED ALWAYS AS ... STORED``: PostgreSQL computes it on write), with
  a GIN index (``<kind>_search_gin``); ``search.backends.postgres.document`` must build the
  same expression (a test checks it).
* ``search_title``: the same for the title-weight (A) columns alone, with its GIN index
  (``<kind>_title_search_gin``): the title tier of the bounded search.
* ``authorship_name_search_gin``: author names as words (``simple``: no stemming), a GIN
  expression index, so "papers by Denison" is an index lookup.

SQLite (``search.backends.sqlite``), only where SQLite was built with FTS5 (elsewhere
nothing, and search falls back to containment matching): an *external-content* FTS5 table
``<table>_fts`` per searchable table over the columns of its document, in the same order,
and one over author names, kept in step with the base tables by triggers whatever writes
the rows (``save()``, ``bulk_create``, ``update()``, the importer's multi-row INSERTs,
restores, deletes). An update re-indexes a row only when an indexed column changed.
Tokenizers: ``porter unicode61 remove_diacritics 2`` for documents (English stems, like
PostgreSQL's ``english``, accents folded); names without porter (like ``simple``).

Why raw SQL and not model state: every object here is on another app's table (a person's,
a paper's, ...), and none can be said portably. A ``GeneratedField`` holding a tsvector
would be a field of ``profiles.Person`` (and the others) in *their* apps' state, on both
databases, while SQLite has no tsvector nor ``to_tsvector`` (its counterpart is a separate
FTS5 table with triggers, which Django cannot express at all); and as a concrete field
Django would read the column with every row, changing every query on those tables. The
GIN indexes are on those columns or on an expression of another app's table, and a
``GinIndex`` cannot be declared for one database only. So the models' state knows none of
this, and ``makemigrations`` never tries to recreate it.

Dependencies: the latest migration of each app whose tables are indexed, because the
tables (and their indexed columns) must exist, and because on SQLite a migration that
rebuilds a table (``AlterField`` and the like: copy, drop, rename) drops its triggers: a
later one must re-create them (``create_triggers``) and rebuild the index.
``tests/search/test_schema.py`` checks every trigger is there after all migrations.
Keep the columns here in step with each app's ``search_kinds`` module.
"""

from django.db import migrations

CONFIG = "english"
DOCUMENT_TOKENIZER = "porter unicode61 remove_diacritics 2"
NAME_TOKENIZER = "unicode61 remove_diacritics 2"

# (table, [(column, weight), ...], document index, title index): each kind's document.
DOCUMENTS = [
    (
        "profiles_person",
        [("name", "A"), ("name_variants", "A"), ("headline", "B"), ("bio", "C")],
        "person_search_gin",
        "person_title_search_gin",
    ),
    (
        "publications_publication",
        [("title", "A"), ("abstract", "B")],
        "publication_search_gin",
        "publication_title_search_gin",
    ),
    (
        "media_items_mediaitem",
        [("title", "A"), ("description", "B"), ("summary", "B"), ("cached_content", "D")],
        "mediaitem_search_gin",
        "mediaitem_title_search_gin",
    ),
    (
        "publications_topic",
        [("name", "A"), ("summary", "B")],
        "topic_search_gin",
        "topic_title_search_gin",
    ),
]
# (table, column) of author names, matched as words.
NAMES = ("publications_authorship", "name")
NAME_INDEX = "authorship_name_search_gin"


# -- PostgreSQL ------------------------------------------------------------------------------
def weighted_sql(columns):
    return " || ".join(
        f"setweight(to_tsvector('{CONFIG}'::regconfig, COALESCE(\"{column}\", '')), '{weight}')"
        for column, weight in columns
    )


def has_column(schema_editor, table, column):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s AND column_name = %s",
            [table, column],
        )
        return cursor.fetchone() is not None


def add_stored_column(schema_editor, table, column, expression, index):
    """``column`` generated from ``expression``, GIN-indexed by ``index``. Where the column
    is missing, an index of that name is an older one on the expression (showcase 0004):
    it is replaced."""
    if not has_column(schema_editor, table, column):
        schema_editor.execute(f'DROP INDEX IF EXISTS "{index}"')
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD COLUMN "{column}" tsvector '
            f"GENERATED ALWAYS AS ({expression}) STORED"
        )
    schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" USING GIN ("{column}")')


def add_postgres(schema_editor):
    for table, columns, document_index, title_index in DOCUMENTS:
        add_stored_column(
            schema_editor, table, "search_document", weighted_sql(columns), document_index
        )
        titles = [(column, weight) for column, weight in columns if weight == "A"]
        add_stored_column(schema_editor, table, "search_title", weighted_sql(titles), title_index)
    table, column = NAMES
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{NAME_INDEX}" ON "{table}" '
        f"USING GIN ((to_tsvector('simple'::regconfig, COALESCE(\"{column}\", ''))))"
    )


def remove_postgres(schema_editor):
    schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME_INDEX}"')
    for table, _columns, _document_index, _title_index in DOCUMENTS:
        # Dropping a column drops its index.
        schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS "search_title"')
        schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS "search_document"')


# -- SQLite ----------------------------------------------------------------------------------
def fts_indexes():
    """(table, indexed columns, tokenizer) of every FTS5 table."""
    documents = [
        (table, [column for column, _weight in columns], DOCUMENT_TOKENIZER)
        for table, columns, _document_index, _title_index in DOCUMENTS
    ]
    return [*documents, (NAMES[0], [NAMES[1]], NAME_TOKENIZER)]


def has_fts5(connection):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA compile_options")
        return any(option == "ENABLE_FTS5" for (option,) in cursor.fetchall())


def create_triggers(schema_editor, table, columns):
    """The triggers that keep ``<table>_fts`` in step with ``table`` (any old ones
    replaced)."""
    fts = f"{table}_fts"
    names = ", ".join(f'"{column}"' for column in columns)
    new = ", ".join(f'new."{column}"' for column in columns)
    old = ", ".join(f'old."{column}"' for column in columns)
    changed = " OR ".join(f'old."{column}" IS NOT new."{column}"' for column in ["id", *columns])
    insert = f'INSERT INTO "{fts}"(rowid, {names}) VALUES (new."id", {new});'
    # External content: the index forgets a row given exactly the values it indexed.
    delete = f"INSERT INTO \"{fts}\"(\"{fts}\", rowid, {names}) VALUES ('delete', old.\"id\", {old});"
    for trigger in ("insert", "delete", "update"):
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{fts}_{trigger}"')
    schema_editor.execute(
        f'CREATE TRIGGER "{fts}_insert" AFTER INSERT ON "{table}" BEGIN {insert} END'
    )
    schema_editor.execute(
        f'CREATE TRIGGER "{fts}_delete" AFTER DELETE ON "{table}" BEGIN {delete} END'
    )
    schema_editor.execute(
        f'CREATE TRIGGER "{fts}_update" AFTER UPDATE OF "id", {names} ON "{table}" '
        f"WHEN {changed} BEGIN {delete} {insert} END"
    )


def add_sqlite(schema_editor):
    if not has_fts5(schema_editor.connection):
        return
    for table, columns, tokenizer in fts_indexes():
        fts = f"{table}_fts"
        names = ", ".join(f'"{column}"' for column in columns)
        schema_editor.execute(
            f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" USING fts5({names}, '
            f"content='{table}', content_rowid='id', tokenize='{tokenizer}')"
        )
        create_triggers(schema_editor, table, columns)
        # Every row indexed from its table, whether the index is new or was kept.
        schema_editor.execute(f"INSERT INTO \"{fts}\"(\"{fts}\") VALUES ('rebuild')")


def remove_sqlite(schema_editor):
    for table, _columns, _tokenizer in fts_indexes():
        fts = f"{table}_fts"
        for trigger in ("insert", "delete", "update"):
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{fts}_{trigger}"')
        schema_editor.execute(f'DROP TABLE IF EXISTS "{fts}"')


def add(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        add_postgres(schema_editor)
    elif vendor == "sqlite":
        add_sqlite(schema_editor)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        remove_postgres(schema_editor)
    elif vendor == "sqlite":
        remove_sqlite(schema_editor)


class Migration(migrations.Migration):
    initial = True

    # The indexed tables' apps, each at its latest migration (see above).
    dependencies = [
        ("profiles", "0003_photo_validation"),
        ("publications", "0009_edited_authors_name"),
        ("media_items", "0003_visibility_window_index"),
    ]

    operations = [migrations.RunPython(add, remove, elidable=False)]
