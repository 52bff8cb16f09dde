"""Full-text indexes on SQLite (FTS5), so a search there is an index lookup, not a scan.

For each searchable table, an FTS5 table ``<table>_fts`` over the columns that make up
its search document (the columns of 0005's documents, in the same order: keep in step
with ``showcase.search.KINDS``), plus one over author names (``publications_authorship``,
like 0006's name index on PostgreSQL). They are *external-content* tables: the text stays
in the base table, the FTS table holds only the index, keyed by the base row's id.

Triggers keep each index in step with its table, whatever writes the rows: ``save()``,
``bulk_create``, ``QuerySet.update()``, the importer's multi-row INSERTs, restores,
deletes (cascades included). An update re-indexes a row only when an indexed column
changed. Existing rows are indexed once here (``'rebuild'``).

Tokenizers: ``porter unicode61 remove_diacritics 2`` for documents (English stems, like
PostgreSQL's ``english`` configuration, accents folded); author names without the porter
stemmer (PostgreSQL's ``simple``: words as written).

SQLite-only, and only where SQLite was built with FTS5 (``PRAGMA compile_options``);
elsewhere this does nothing and ``showcase.search`` falls back to containment matching.
The models' state knows nothing of these tables. Caution: a later migration that makes
Django rebuild one of these tables on SQLite (e.g. ``AlterField``: copy, drop, rename)
drops its triggers; it must re-create them (``create_triggers``) and rebuild the index.
``tests/site/test_search.py`` checks every trigger is there after all migrations.
"""

from django.db import migrations

DOCUMENT_TOKENIZER = "porter unicode61 remove_diacritics 2"
NAME_TOKENIZER = "unicode61 remove_diacritics 2"

# (table, indexed columns, tokenizer)
INDEXES = [
    (
        "profiles_person",
        ["name", "name_variants", "headline", "bio"],
        DOCUMENT_TOKENIZER,
    ),
    ("publications_publication", ["title", "abstract"], DOCUMENT_TOKENIZER),
    (
        "media_items_mediaitem",
        ["title", "description", "summary", "cached_content"],
        DOCUMENT_TOKENIZER,
    ),
    ("publications_topic", ["name", "summary"], DOCUMENT_TOKENIZER),
    ("publications_authorship", ["name"], NAME_TOKENIZER),
]


def has_fts5(connection):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA compile_options")
        return any(option == "ENABLE_FTS5" for (option,) in cursor.fetchall())


def create_triggers(schema_editor, table, columns):
    """The triggers that keep ``<table>_fts`` in step with ``table``."""
    fts = f"{table}_fts"
    names = ", ".join(f'"{column}"' for column in columns)
    new = ", ".join(f'new."{column}"' for column in columns)
    old = ", ".join(f'old."{column}"' for column in columns)
    changed = " OR ".join(f'old."{column}" IS NOT new."{column}"' for column in ["id", *columns])
    insert = f'INSERT INTO "{fts}"(rowid, {names}) VALUES (new."id", {new});'
    # External content: the index forgets a row given exactly the values it indexed.
    delete = f"INSERT INTO \"{fts}\"(\"{fts}\", rowid, {names}) VALUES ('delete', old.\"id\", {old});"
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


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite" or not has_fts5(schema_editor.connection):
        return
    for table, columns, tokenizer in INDEXES:
        fts = f"{table}_fts"
        names = ", ".join(f'"{column}"' for column in columns)
        schema_editor.execute(
            f'CREATE VIRTUAL TABLE "{fts}" USING fts5({names}, '
            f"content='{table}', content_rowid='id', tokenize='{tokenizer}')"
        )
        create_triggers(schema_editor, table, columns)
        schema_editor.execute(f"INSERT INTO \"{fts}\"(\"{fts}\") VALUES ('rebuild')")


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table, _columns, _tokenizer in INDEXES:
        fts = f"{table}_fts"
        for trigger in ("insert", "delete", "update"):
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{fts}_{trigger}"')
        schema_editor.execute(f'DROP TABLE IF EXISTS "{fts}"')


class Migration(migrations.Migration):
    # After every migration of the indexed tables so far: one that rebuilt a table after
    # this would drop its triggers.
    dependencies = [
        ("showcase", "0007_merge_20261123_1617"),
        ("profiles", "0003_photo_validation"),
        ("publications", "0004_authors_behind_et_al"),
        ("media_items", "0002_publish_window"),
    ]

    operations = [migrations.RunPython(add, remove, elidable=False)]
