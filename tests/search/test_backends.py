"""The backends: PostgreSQL's index use, full-text matching on whichever database the
suite runs on (what both databases do), SQLite's FTS5 queries and index use."""

import pytest
from django.db import connection

from media_items.models import MediaItem
from publications.models import Publication
from search.backends.sqlite import fts_query
from search.engine import KINDS, ranked_page, search_queryset
from search.query import Term, parse_query
from tests.factories import AuthorshipFactory, MediaItemFactory, PublicationFactory

from .helpers import found_titles, postgres_only, sqlite_only

pytestmark = pytest.mark.django_db


@postgres_only
@pytest.mark.parametrize(
    ("model", "index"),
    [
        (Publication, "publication_search_gin"),
        (MediaItem, "mediaitem_search_gin"),
    ],
)
def test_postgres_search_uses_the_gin_index(db, model, index):
    kind = next(k for k in KINDS.values() if k.model is model)
    queryset = search_queryset(model.objects.all(), kind, "alignment")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan


@postgres_only
def test_postgres_search_page_queries_use_the_title_and_author_indexes(db):
    # Every row, not the visible ones: on empty tables the planner would rather use the
    # is_published index, whatever it does on large ones.
    queryset = ranked_page(Publication.objects.all(), "papers", "Denison", 0, 20)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Nor a plain B-tree walk in the page's order, which statistics left by other
        # tests (in a parallel run) can make look cheaper: the matches must be found
        # through the GIN indexes (bitmap scans).
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for index in ("publication_search_gin", "publication_title_search_gin"):
        assert index in plan, plan
    assert "authorship_name_search_gin" in plan, plan


def copy_paper_with_raw_sql(paper, **values):
    """A new paper row written by plain SQL (as an importer or a restore may), copied
    from ``paper`` with ``values`` changed."""
    table = Publication._meta.db_table
    columns = [f.column for f in Publication._meta.concrete_fields if not f.primary_key]
    chosen = [("%s" if column in values else f'"{column}"') for column in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{table}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in columns)}) '
            f'SELECT {", ".join(chosen)} FROM "{table}" WHERE "id" = %s',
            [*(values[column] for column in columns if column in values), paper.pk],
        )


def test_rows_written_by_plain_sql_are_found(db):
    paper = PublicationFactory(title="Quiet title", abstract="Nothing here.")
    copy_paper_with_raw_sql(
        paper, title="Zymurgy by plain SQL", slug="raw-sql-paper", stable_id="rawsqlpaper"
    )
    assert found_titles("zymurgy") == ["Zymurgy by plain SQL"]


def test_bulk_created_rows_are_found(db):
    Publication.objects.bulk_create(
        [
            Publication(title=f"Zymurgy in bulk {n}", slug=f"bulk-{n}", is_published=True)
            for n in range(3)
        ]
    )
    assert sorted(found_titles("zymurgy")) == [f"Zymurgy in bulk {n}" for n in range(3)]


def test_updates_move_rows_in_and_out_of_results(db):
    paper = PublicationFactory(title="Brewing", abstract="Zymurgy, the study of fermentation.")
    other = PublicationFactory(title="Unrelated", abstract="Nothing here.")
    Publication.objects.filter(pk=paper.pk).update(abstract="Fermentation only.")
    Publication.objects.filter(pk=other.pk).update(title="Zymurgy after all")
    assert found_titles("zymurgy") == ["Zymurgy after all"]
    other.refresh_from_db()
    other.citation_count = 7  # a save that changes no searched text
    other.save()
    assert found_titles("zymurgy") == ["Zymurgy after all"]


def test_deleted_rows_are_no_longer_found(db):
    kept = PublicationFactory(title="Zymurgy kept", abstract="")
    gone = PublicationFactory(title="Zymurgy gone", abstract="")
    AuthorshipFactory(publication=gone, position=1, name="Quillon Xerxes")
    gone.delete()
    assert found_titles("zymurgy") == [kept.title]
    assert found_titles("Xerxes") == []


def test_words_are_matched_by_their_stems(db):
    PublicationFactory(title="Training model organisms", abstract="")
    assert found_titles("organism") == ["Training model organisms"]
    assert found_titles("trained") == ["Training model organisms"]


def test_phrases_match_words_in_that_order(db):
    PublicationFactory(title="Sleeper agents in language models", abstract="")
    PublicationFactory(title="Models of language", abstract="")
    assert found_titles('"language models"') == ["Sleeper agents in language models"]
    assert sorted(found_titles("language models")) == [
        "Models of language",
        "Sleeper agents in language models",
    ]


def test_excluded_phrases_leave_results_out(db):
    PublicationFactory(title="Reward hacking in practice", abstract="")
    PublicationFactory(title="Reward models", abstract="Not about hacking rewards.")
    assert found_titles('reward -"reward hacking"') == ["Reward models"]
    assert found_titles("reward -the") == found_titles("reward")  # an excluded stopword


def test_media_rank_title_then_description_then_transcript(db):
    MediaItemFactory(title="Episode one", description="", cached_content="zymurgy " * 3)
    MediaItemFactory(title="Episode two", description="On zymurgy.", cached_content="")
    MediaItemFactory(title="Zymurgy explained", description="", cached_content="")
    assert found_titles("zymurgy", "media") == [
        "Zymurgy explained",
        "Episode two",
        "Episode one",
    ]


@sqlite_only
def test_sqlite_folds_accents_both_ways(db):
    PublicationFactory(title="Café culture and naïve models", abstract="")
    PublicationFactory(title="A cafe", abstract="")
    assert sorted(found_titles("naive")) == ["Café culture and naïve models"]
    assert sorted(found_titles("café")) == ["A cafe", "Café culture and naïve models"]


@sqlite_only
def test_sqlite_the_last_word_also_finds_longer_words_it_begins(db):
    PublicationFactory(title="Deceptive misalignment", abstract="")
    PublicationFactory(title="Sycophancy", abstract="")
    paper = PublicationFactory(title="Quiet", abstract="")
    AuthorshipFactory(publication=paper, position=1, name="Carson Denison")
    assert found_titles("misalign") == ["Deceptive misalignment"]
    assert found_titles("syco") == ["Sycophancy"]
    assert found_titles("Denis") == ["Quiet"]
    assert found_titles("sy") == []  # two letters: only the word itself


@sqlite_only
def test_sqlite_excluded_words_hold_for_papers_found_by_author(db):
    paper = PublicationFactory(title="On reward models", abstract="")
    AuthorshipFactory(publication=paper, position=1, name="Ada Denison")
    assert found_titles("Denison") == ["On reward models"]
    assert found_titles("Denison -reward") == []


@sqlite_only
def test_sqlite_overlong_terms_that_bypass_parsing_never_fail(db):
    """A ``ParsedQuery`` built directly (not through ``parse_query``) with a 1,000-character
    term and quotes in it still gives a valid query."""
    PublicationFactory(title="Zymurgy", abstract="")
    query = parse_query("zymurgy")
    query.terms.append(Term('"' + "x" * 1000 + '" NEAR "y"'))
    assert list(search_queryset(Publication.objects.all(), "papers", query)) == []
    query.terms[-1] = Term("zym")
    assert [p.title for p in search_queryset(Publication.objects.all(), "papers", query)] == [
        "Zymurgy"
    ]


@sqlite_only
def test_sqlite_fts_queries_are_quoted_phrases():
    assert fts_query(parse_query('misalign "model organisms" -toy')) == (
        '("misalign" * AND "model organisms" *) NOT ("toy")'
    )
    assert fts_query(parse_query("ai sy"), columns=("title",)) == '{title} : ("ai" AND "sy")'
    assert fts_query(parse_query('zy"murgy NEAR')) == '"zy""murgy" * AND "NEAR" *'
    assert fts_query(parse_query("— ***")) == '""'  # no word: matches nothing


@sqlite_only
def test_sqlite_search_uses_the_fts_index(db):
    for queryset in (
        search_queryset(Publication.objects.all(), "papers", "alignment"),
        ranked_page(Publication.objects.all(), "papers", "Denison", 0, 20),
    ):
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
        assert "SCAN publications_publication_fts VIRTUAL TABLE" in plan, plan
        assert "SCAN publications_publication " not in plan + " ", plan  # no table scan
    assert "SCAN publications_authorship_fts VIRTUAL TABLE" in plan, plan
