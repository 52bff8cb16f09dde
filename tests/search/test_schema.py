"""The search schema (``search/migrations/0001_search_schema.py``): there after every
migration, and the same when its migration runs again over it (as on a database that
showcase's old migrations had built)."""

import importlib

import pytest
from django.db import connection

from search.backends.sqlite import fts_table
from search.engine import KINDS
from tests.factories import AuthorshipFactory, PublicationFactory

from .helpers import found_titles, postgres_only, sqlite_only

pytestmark = pytest.mark.django_db


@postgres_only
def test_every_search_document_has_its_index(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_search_gin'")
        names = {row[0] for row in cursor.fetchall()}
    assert names == {
        "person_search_gin",
        "publication_search_gin",
        "mediaitem_search_gin",
        "topic_search_gin",
        "person_title_search_gin",
        "publication_title_search_gin",
        "mediaitem_title_search_gin",
        "topic_title_search_gin",
        "authorship_name_search_gin",
    }


@sqlite_only
def test_sqlite_fts_tables_index_each_kind_and_have_their_triggers(db):
    with connection.cursor() as cursor:
        for kind in KINDS.values():
            cursor.execute(f'PRAGMA table_info("{fts_table(kind.model)}")')
            assert [row[1] for row in cursor.fetchall()] == [name for name, _ in kind.fields]
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        triggers = {row[0] for row in cursor.fetchall()}
    models = [*(kind.model for kind in KINDS.values()), KINDS["papers"].related.model]
    for model in models:
        for event in ("insert", "update", "delete"):
            assert f"{fts_table(model)}_{event}" in triggers


class _Editor:
    """What the migration's functions use of a schema editor: SQLite's own refuses to
    work inside the test's transaction."""

    connection = connection

    def execute(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_the_schema_migration_runs_again_over_its_own_schema(db):
    """Run over a database that has the schema already (as one built by showcase's old
    migrations has), the migration keeps what was indexed, and writes after it are
    indexed as before."""
    kept = PublicationFactory(title="Zymurgy kept", abstract="")
    AuthorshipFactory(publication=kept, position=1, name="Quillon Xerxes")
    schema = importlib.import_module("search.migrations.0001_search_schema")
    if connection.vendor == "postgresql":
        # As in a migration's own transaction: no foreign key checks pending on the tables.
        _Editor().execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema.add(None, _Editor())
    assert found_titles("zymurgy") == ["Zymurgy kept"]
    assert found_titles("Xerxes") == ["Zymurgy kept"]
    PublicationFactory(title="Zymurgy written after", abstract="")
    assert sorted(found_titles("zymurgy")) == ["Zymurgy kept", "Zymurgy written after"]
