"""PostgreSQL: full-text search on stored, GIN-indexed documents.

Each kind has a weighted document (a paper's title A, its abstract B; a media item's
title A, description and summary B, cached transcript D; ...), stored in a generated
``search_document`` column with a GIN index (``search/migrations/0001_search_schema.py``),
matched with ``websearch_to_tsquery`` (quotes, ``or`` and ``-word`` work as on web search
engines) and ranked with ``ts_rank`` on the stored document, so no row's text is parsed
again at query time. ``document()`` here must build the same expression as that column (a
test checks it, and that the plan uses the index). The title part has its own stored
column, ``search_title``, and GIN index (the title tier). A paper's author names are
matched as words too (``simple`` configuration, a GIN expression index).
"""

from functools import reduce

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db.models import BooleanField, Case, Expression, F, FloatField, Func, Q, Value, When

from search import limits

from .base import FullText

CONFIG = "english"
NAME_CONFIG = "simple"  # author names: words as written, no stemming, no stopwords


def document(kind, weights="ABCD"):
    """The weighted tsvector expression for ``kind`` (identical to its stored column):
    the whole document, or with ``weights="A"`` the title part alone."""
    return reduce(
        lambda left, right: left + right,
        (
            SearchVector(name, weight=weight, config=CONFIG)
            for name, weight in kind.fields
            if weight in weights
        ),
    )


class StoredDocument(Expression):
    """A row's stored tsvector column (computed by the database on write):
    ``search_document`` (``document(kind)``) or ``search_title`` (``document(kind, "A")``),
    on whatever alias the row's table has in the query."""

    def __init__(self, column="search_document"):
        super().__init__(output_field=SearchVectorField())
        self.column = column

    def as_sql(self, compiler, connection):
        table = compiler.quote_name(compiler.query.get_initial_alias())
        return f'{table}."{self.column}"', []


class _AnyOf(Func):
    """``column = ANY(ARRAY(subquery))``: the subquery runs once, before the scan, so
    PostgreSQL can OR its ids into the GIN index's bitmap (an ``IN (subquery)`` inside an
    ``OR`` makes it test every row instead)."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = BooleanField()


class _StoredMatch(Func):
    """``document @@ query``, the operator the GIN indexes answer."""

    arg_joiner = " @@ "
    template = "%(expressions)s"
    output_field = BooleanField()


class Postgres(FullText):
    """Full-text search on the stored, GIN-indexed documents."""

    def __init__(self, kind, query):
        super().__init__(kind, query)
        self.ts_query = SearchQuery(query.text, search_type="websearch", config=CONFIG)

    def _document(self, column="search_document"):
        return Q(_StoredMatch(StoredDocument(column), self.ts_query))

    def _names(self, term):
        """Related rows whose text has the words of ``term`` (``authorship_name_search_gin``)."""
        related = self.kind.related
        return related.model.objects.annotate(
            _words=SearchVector(related.text_field, config=NAME_CONFIG)
        ).filter(_words=SearchQuery(term.text, config=NAME_CONFIG))

    def matched(self):
        if self.kind.related is None:
            return self._document()
        return self._document() | Q(_AnyOf(F("pk"), ArraySubquery(self._related_ids())))

    def tiers(self):
        # A title match is a document match (the title is part of the document), unless
        # a word is excluded: it may be elsewhere in the document.
        title = self._document("search_title")
        tiers = [self._document(), title & self._document() if self.query.excluded else title]
        if self.kind.related is not None:
            tiers.append(Q(pk__in=self._related_ids()))
        return tiers

    def rank(self, within=None):
        rank = SearchRank(StoredDocument(), self.ts_query)
        if self.kind.related is None:
            return rank
        bonus = Value(limits.WEIGHTS[self.kind.related.weight])
        found = When(pk__in=self._related_ids(), then=bonus)
        return rank + Case(found, default=Value(0.0), output_field=FloatField())
