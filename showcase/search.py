"""Site search over people, papers, media and topics. This module owns search.

Callers hand it the visitor's words and get ranked, visible results with
highlighted snippets and counts per type; they never learn which database
answered:

* On PostgreSQL it is full-text search: each type has a weighted document
  (a paper's title A, its abstract B; a media item's title A, description and
  summary B, cached transcript D; ...), stored in a generated ``search_document``
  column with a GIN index (``showcase/migrations/0005_stored_search_documents.py``),
  matched with ``websearch_to_tsquery`` (quotes, ``or`` and ``-word`` work as on web
  search engines) and ranked with ``ts_rank`` on the stored document, so no row's
  text is parsed again at query time. ``document()`` here must build the same
  expression as that column (a test checks it, and that the plan uses the index).
  A paper's author names are matched as words too (``simple`` configuration, a GIN
  expression index, migration 0006).
* On SQLite it is full-text search too, with FTS5 (``showcase/migrations/
  0008_sqlite_full_text_search.py``): an external-content FTS5 table per type over the
  same fields, and one over author names, kept in step with the base tables by triggers
  (so every write counts: ``save()``, ``bulk_create``, ``update()``, the importer's
  INSERTs, deletes). The tokenizer stems English words (porter, like PostgreSQL's
  ``english``) and folds accents. The visitor's terms become quoted FTS5 phrases
  (``fts_query``: nothing typed is read as FTS5 syntax), the last word of each also
  matching longer words it begins ("misalign" finds "misalignment"); ranking is
  ``bm25()`` with the same weights per field. Where SQLite lacks FTS5 (checked once per
  database), the words are matched with case-insensitive containment instead, the
  weights summed into a rank: the same interface, linear in the data.

The search page stays bounded as the site grows (``ranked_page``, ``match_counts``):
per type it ranks and counts candidates, not every match. The candidates are the
union of a few tiers, each the newest ``MATCH_CAP`` + 1 rows it finds: a match
anywhere, a match in the title (PostgreSQL: the stored ``search_title`` column and its
GIN index, migration 0006; SQLite: an FTS5 column filter) and, for papers, an author's
name. With up to ``MATCH_CAP`` matches that is every match, and the ranking and counts
are exact; beyond, counts read "1,000+", the best of the candidates are listed, and a
title match still outranks abstracts that only mention the words. Rows and snippets are
read for the page shown alone. ``search_queryset`` keeps the unbounded form (every match,
ranked) for lists and exports that must hold every match.

Snippets and highlighting are done here in Python for both databases: the text
is escaped, and the only markup added is ``<mark>``.
"""

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    Expression,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.limits import MAX_SEARCH_CHARS, MAX_SEARCH_WORDS
from core.listing import page_number
from media_items.models import MediaItem
from profiles.models import Person
from publications.abstracts import abstract_text
from publications.models import Authorship, Publication, Topic

CONFIG = "english"
NAME_CONFIG = "simple"  # author names: words as written, no stemming, no stopwords
#: Per type, a search ranks and counts at most this many matches (more show as "1,000+"),
#: so a word found in most papers costs about what a rarer word costs.
MATCH_CAP = 1000
MAX_QUERY_LENGTH = MAX_SEARCH_CHARS
MAX_TERM_LENGTH = 40
MAX_TERMS = MAX_SEARCH_WORDS
PER_PAGE = 20
PER_SECTION = 5  # results per type on the "All" tab
SNIPPET_LENGTH = 260
SNIPPET_SOURCE_CHARS = 20_000  # of each field, read for the snippet
#: PostgreSQL's default rank weights for D, C, B, A; SQLite's bm25() weighs its columns
#: with the same, and the containment fallback sums them.
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
#: Words searched for by themselves are ignored, as PostgreSQL's English configuration does.
STOPWORDS = frozenset(
    "a an and are as at be by for from has have in into is it its of on or that the "
    "their this to was were which with".split()
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TOKEN = re.compile(r'-?"[^"]*"?|\S+')
_EDGE_PUNCT = "\"'“”‘’.,;:!?()[]{}<>"


# -- the query the visitor typed ---------------------------------------------------------
@dataclass(frozen=True)
class Term:
    text: str
    excluded: bool = False

    @property
    def is_phrase(self):
        return " " in self.text


@dataclass
class ParsedQuery:
    raw: str
    text: str  # the cleaned query, as shown back and sent to PostgreSQL
    terms: list[Term] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def positive(self):
        return [t for t in self.terms if not t.excluded]

    @property
    def excluded(self):
        return [t for t in self.terms if t.excluded]

    @property
    def searchable(self):
        """Positive words worth searching for: phrases, and words that are not stopwords
        (PostgreSQL drops those too, so both databases agree on what is searched)."""
        return [t for t in self.positive if t.is_phrase or t.text.casefold() not in STOPWORDS]

    def __bool__(self):
        return bool(self.searchable)


def parse_query(raw):
    """Clean what a visitor typed: bounded length, bounded words, no control characters.

    Overlong input is shortened, never rejected, and ``notices`` says what was done.
    """
    raw = raw if isinstance(raw, str) else ""
    notices = []
    text = " ".join(_CONTROL.sub(" ", unicodedata.normalize("NFC", raw)).split())
    if len(text) > MAX_QUERY_LENGTH:
        cut = text[:MAX_QUERY_LENGTH]
        text = cut.rsplit(" ", 1)[0] if " " in cut else cut
        notices.append(
            f"Your search was longer than {MAX_QUERY_LENGTH} characters, "
            "so only its beginning was used."
        )
    terms, shortened = [], False
    for token in _TOKEN.findall(text):
        excluded = token.startswith("-") and len(token) > 1
        word = token[1:] if excluded else token
        word = " ".join(word.strip(_EDGE_PUNCT).split())
        if not word:
            continue
        if len(word) > MAX_TERM_LENGTH:
            word, shortened = word[:MAX_TERM_LENGTH], True
        term = Term(word, excluded)
        if term not in terms:
            terms.append(term)
    if shortened:
        notices.append(f"Words longer than {MAX_TERM_LENGTH} characters were shortened.")
    if len(terms) > MAX_TERMS:
        terms = terms[:MAX_TERMS]
        notices.append(f"Only the first {MAX_TERMS} words were used.")
    cleaned = " ".join(
        ("-" if t.excluded else "") + (f'"{t.text}"' if t.is_phrase else t.text) for t in terms
    )
    return ParsedQuery(raw=raw, text=cleaned, terms=terms, notices=notices)


# -- what each type searches ---------------------------------------------------------------
@dataclass(frozen=True)
class Related:
    """Rows of ``model`` whose ``text_field`` finds the row ``fk`` points to, ranked as if
    the text were in the row's document with ``weight``."""

    model: type
    fk: str
    text_field: str
    weight: str


@dataclass(frozen=True)
class SearchKind:
    key: str
    label: str
    singular: str
    model: type
    #: (field, weight) pairs that make up the document.
    fields: tuple
    #: Fields a snippet is cut from, best first.
    snippet_fields: tuple
    #: What a result shows besides the row: ``rows`` with those joined or prefetched, in
    #: a fixed number of queries whatever the number of results.
    shows: Callable
    #: Text on related rows that also finds the row (a paper by its authors' names).
    related: "Related | None" = None

    @property
    def title_fields(self):
        """The fields of the top weight (titles, names): the title tier."""
        return tuple(name for name, weight in self.fields if weight == "A")

    def base_queryset(self, user):
        # Snippets read the first SNIPPET_SOURCE_CHARS of each snippet field, fetched with
        # the row: a deferred transcript is neither loaded whole nor fetched per hit.
        excerpts = {
            f"excerpt_{name}": Substr(name, 1, SNIPPET_SOURCE_CHARS) for name in self.snippet_fields
        }
        return self.shows(self.model.objects.all()).visible_to(user).annotate(**excerpts)


KINDS = {
    kind.key: kind
    for kind in (
        SearchKind(
            key="people",
            label="People",
            singular="person",
            model=Person,
            fields=(("name", "A"), ("name_variants", "A"), ("headline", "B"), ("bio", "C")),
            snippet_fields=("headline", "bio"),
            shows=lambda rows: rows.for_listing(),  # current affiliations
        ),
        SearchKind(
            key="papers",
            label="Papers",
            singular="paper",
            model=Publication,
            fields=(("title", "A"), ("abstract", "B")),
            snippet_fields=("abstract",),
            shows=lambda rows: rows.for_listing(),  # authors, their affiliations, institutions
            related=Related(Authorship, "publication", "name", "B"),
        ),
        SearchKind(
            key="media",
            label="Media",
            singular="media item",
            model=MediaItem,
            fields=(
                ("title", "A"),
                ("description", "B"),
                ("summary", "B"),
                ("cached_content", "D"),
            ),
            snippet_fields=("description", "summary", "cached_content"),
            # The outlet, not the people: a result names no one, so no appearances query.
            shows=lambda rows: rows.select_related("outlet").defer("cached_content"),
        ),
        SearchKind(
            key="topics",
            label="Topics",
            singular="topic",
            model=Topic,
            fields=(("name", "A"), ("summary", "B")),
            snippet_fields=("summary",),
            shows=lambda rows: rows,
        ),
    )
}


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
    """A row's stored tsvector column (PostgreSQL; computed by the database on write):
    ``search_document`` (``document(kind)``, migration 0005) or ``search_title``
    (``document(kind, "A")``, migration 0006), on whatever alias the row's table has in
    the query."""

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


class _FullText:
    """What the full-text matchers share: ``_names(term)`` gives the related rows (author
    names) with the words of ``term``, from the database's own index."""

    def __init__(self, kind, query):
        self.kind, self.query = kind, query

    def _related_ids(self):
        """Ids of rows with every searched term in the text of some related row (a paper
        with each word in one of its authors' names): those of the first MATCH_CAP + 1
        related rows the index finds. Unordered, so the scan stops there whatever the
        number of matches (ordering by id would read every matching name first)."""
        fk = f"{self.kind.related.fk}_id"
        first, *others = self.query.searchable
        names = self._names(first)
        for term in others:
            names = names.filter(**{f"{fk}__in": self._names(term).values(fk)})
        return names.order_by().values(fk)[: MATCH_CAP + 1]


class _Postgres(_FullText):
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
        bonus = Value(WEIGHTS[self.kind.related.weight])
        found = When(pk__in=self._related_ids(), then=bonus)
        return rank + Case(found, default=Value(0.0), output_field=FloatField())


class _StoredMatch(Func):
    """``document @@ query``, the operator the GIN indexes answer."""

    arg_joiner = " @@ "
    template = "%(expressions)s"
    output_field = BooleanField()


# -- SQLite: FTS5 ------------------------------------------------------------------------
#: Words this long or longer also find longer words they begin ("misalign" finds
#: "misalignment"); shorter ones only themselves, so "AI" does not expand to every
#: indexed word beginning with "ai".
PREFIX_MIN_CHARS = 3
_NO_MATCH = '""'  # an empty phrase: a valid FTS5 query that matches nothing
_fts5_checked = {}


def fts5_ready(connection):
    """Whether this SQLite database has its FTS5 indexes (migration 0008): SQLite built
    with FTS5 (``PRAGMA compile_options``) and the tables there. Checked once per
    database; without them search falls back to containment matching.

    The probe runs on the driver's own cursor, outside Django's query log: it is the
    process's first search, not the page's, and logged it made a page's query count
    depend on which request happened to search first."""
    key = (connection.alias, connection.settings_dict["NAME"])
    if key not in _fts5_checked:
        connection.ensure_connection()
        cursor = connection.connection.cursor()
        try:
            cursor.execute("PRAGMA compile_options")
            built = any(option == "ENABLE_FTS5" for (option,) in cursor.fetchall())
            cursor.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                [fts_table(Publication)],
            )
            _fts5_checked[key] = built and cursor.fetchone()[0] == 1
        finally:
            cursor.close()
    return _fts5_checked[key]


def fts_table(model):
    """The FTS5 table that indexes ``model``'s rows (migration 0008)."""
    return f"{model._meta.db_table}_fts"


def fts_phrase(term, *, prefix=True):
    """``term`` as an FTS5 phrase: in double quotes (quotes inside doubled), so nothing
    the visitor typed is read as FTS5 syntax (``NEAR``, ``*``, ``^``, ``title:``, ...);
    the table's tokenizer splits it into words, which must appear in that order. With
    ``prefix``, the last word also finds longer words it begins. None when the term
    has no word in it (the tokenizer would find none, and an empty phrase matches
    nothing)."""
    words = re.findall(r"[^\W_]+", term.text)
    if not words:
        return None
    phrase = '"' + term.text.replace('"', '""') + '"'
    return phrase + " *" if prefix and len(words[-1]) >= PREFIX_MIN_CHARS else phrase


def _excluded(query):
    """The excluded terms as FTS5 phrases (as PostgreSQL does, an excluded stopword is
    ignored, and an excluded word leaves out its stems, not longer words it begins)."""
    phrases = (
        fts_phrase(t, prefix=False)
        for t in query.excluded
        if t.is_phrase or t.text.casefold() not in STOPWORDS
    )
    return [p for p in phrases if p]


def fts_query(query, *, columns=()):
    """The visitor's ``ParsedQuery`` as an FTS5 query: every searchable term (AND), in
    ``columns`` only if given, and none of the excluded words anywhere. Built from
    quoted phrases and fixed operators only, so it cannot be malformed."""
    positive = [p for p in (fts_phrase(t) for t in query.searchable) if p]
    if not positive:
        return _NO_MATCH
    text = " AND ".join(positive)
    if columns:
        text = "{" + " ".join(columns) + "} : (" + text + ")"
    excluded = _excluded(query)
    return f"({text}) NOT ({' OR '.join(excluded)})" if excluded else text


def _quoted(name):
    return f'"{name}"'


def _full_text_match(model, fts_query):
    """The rows of ``model`` whose indexed text matches ``fts_query`` (a query parameter,
    never part of the SQL): ``pk IN (SELECT rowid FROM <FTS table> WHERE ... MATCH %s)``.
    A lookup, not a boolean expression (which Django would compare with ``= true``, hiding
    the ``IN`` from SQLite's planner)."""
    table = _quoted(fts_table(model))
    return Q(pk__in=RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [fts_query]))


class _Scores(Func):
    """A row's score from ``scores_sql``, a query of ``id`` and ``score`` (``params`` for
    its ``%s``; ``{within}`` for ``within``, a subquery of the only ids to score), or 0
    for a row it does not score.

    The scores are computed once per statement (a materialized CTE, looked up by id):
    ``bm25()`` counts the rows that have each word when it scores the first row of its
    scan, so scoring each row in a scan of its own (a correlated ``rowid = ...``) would
    count them again for every row: seconds for a common word."""

    output_field = FloatField()

    def __init__(self, scores_sql, params, within=None):
        if within is not None and not within.query.is_sliced:
            within = within.order_by()  # a UNION's model ordering would fail in a subquery
        super().__init__(F("pk"), *([] if within is None else [within]))
        self.scores_sql, self.params = scores_sql, params

    def as_sql(self, compiler, connection, **extra_context):
        (pk, pk_params), *within = (compiler.compile(e) for e in self.get_source_expressions())
        subquery, within_params = within[0] if within else ("(SELECT NULL)", ())
        sql = self.scores_sql.format(within=subquery)
        return (
            f"COALESCE((WITH scores AS MATERIALIZED ({sql}) "
            f"SELECT score FROM scores WHERE id = {pk}), 0.0)",
            (*self.params, *within_params, *pk_params),
        )


class _SQLite(_FullText):
    """Full-text search on SQLite's FTS5 indexes (migration 0008): matching is an index
    lookup, ranking ``bm25()`` with the weights of ``WEIGHTS`` per column."""

    def __init__(self, kind, query):
        super().__init__(kind, query)
        self.fts_query = fts_query(query)

    def _document(self, fts_query):
        return _full_text_match(self.kind.model, fts_query)

    def _names(self, term):
        """Related rows whose text has the words of ``term`` (names: no stemming)."""
        related = self.kind.related
        return related.model.objects.filter(
            _full_text_match(related.model, fts_phrase(term) or _NO_MATCH)
        )

    def _by_name(self):
        """Rows with every searched term in the text of a related row (a paper by its
        authors' names), none of the excluded words in their own document."""
        found = Q(pk__in=self._related_ids())
        excluded = _excluded(self.query)
        return found & ~self._document(" OR ".join(excluded)) if excluded else found

    @staticmethod
    def newest(queryset, condition):
        """``_newest``, phrased so that SQLite starts from the matches whatever its
        statistics: the rows ``queryset`` shows are checked one id at a time (``EXISTS``).
        Filtering ``queryset`` itself lets a planner without ``ANALYZE`` statistics walk
        the ``is_published`` index over every visible row instead (0.4 s against 22 ms
        for a common word at 100,000 papers)."""
        visible = Exists(queryset.filter(pk=OuterRef("pk")))
        rows = queryset.model._base_manager.filter(condition, visible)
        return rows.order_by("-pk").values("pk")[: MATCH_CAP + 1]

    def matched(self):
        if self.kind.related is None:
            return self._document(self.fts_query)
        return self._document(self.fts_query) | self._by_name()

    def tiers(self):
        title = fts_query(self.query, columns=self.kind.title_fields)
        tiers = [self._document(self.fts_query), self._document(title)]
        if self.kind.related is not None:
            tiers.append(self._by_name())
        return tiers

    def rank(self, within=None):
        """``-bm25()`` (higher is better) with the weights of ``kind.fields``, for the rows
        in ``within`` (a subquery of ids) if given, else for every match; for papers, plus
        the bm25 of their authors' names weighted as ``kind.related`` says (as if the
        names were in the document; PostgreSQL adds a fixed bonus instead)."""
        table = _quoted(fts_table(self.kind.model))
        weights = ", ".join(str(WEIGHTS[weight]) for _name, weight in self.kind.fields)
        # "+rowid": the candidates filter the one scan of the matches; a bare "rowid IN"
        # would be handed to FTS5 as one lookup per id, each counting the words again.
        only = "AND +rowid IN {within}" if within is not None else ""
        rank = _Scores(
            f"SELECT rowid AS id, -bm25({table}, {weights}) AS score FROM {table} "
            f"WHERE {table} MATCH %s {only}",
            [self.fts_query],
            within,
        )
        if self.kind.related is None:
            return rank
        related = self.kind.related
        names, rows = _quoted(fts_table(related.model)), _quoted(related.model._meta.db_table)
        fk = _quoted(related.model._meta.get_field(related.fk).column)
        any_word = " OR ".join(p for p in (fts_phrase(t) for t in self.query.searchable) if p)
        # bm25() cannot run inside the aggregate: each matching name is scored first.
        bonus = _Scores(
            f"WITH hits AS MATERIALIZED (SELECT rowid AS id, "
            f"-bm25({names}, {WEIGHTS[related.weight]}) AS score FROM {names} "
            f"WHERE {names} MATCH %s) "
            f"SELECT r.{fk} AS id, MAX(hits.score) AS score FROM hits JOIN {rows} r "
            f"ON r.id = hits.id WHERE r.{fk} IN {{within}} GROUP BY r.{fk}",
            [any_word or _NO_MATCH],
            self._related_ids(),
        )
        return rank + bonus


class _Fallback:
    """Containment matching for databases without full-text search: every positive word
    must appear in some field (stopwords aside), no excluded word may appear, and the rank
    sums the weights of the fields each word appears in."""

    def __init__(self, kind, query):
        self.kind, self.query = kind, query

    def _contains(self, fields, *, related=True):
        condition = Q()
        for term in self.query.searchable:
            in_any = [Q(**{f"{name}__icontains": term.text}) for name in fields]
            if related and self.kind.related is not None:
                in_any.append(Q(self._related_has(term)))
            condition &= reduce(or_, in_any)
        for term in self.query.excluded:
            names = (name for name, _weight in self.kind.fields)
            condition &= ~reduce(or_, (Q(**{f"{name}__icontains": term.text}) for name in names))
        return condition

    def _related_has(self, term):
        related = self.kind.related
        return Exists(
            related.model.objects.filter(
                **{related.fk: OuterRef("pk"), f"{related.text_field}__icontains": term.text}
            )
        )

    def matched(self):
        return self._contains([name for name, _weight in self.kind.fields])

    def tiers(self):
        everywhere = self.matched()
        return [everywhere, self._contains(self.kind.title_fields, related=False) & everywhere]

    def rank(self, within=None):
        parts = []
        for term in self.query.searchable:
            for name, weight in self.kind.fields:
                condition = Q(**{f"{name}__icontains": term.text})
                parts.append(Case(When(condition, then=Value(WEIGHTS[weight])), default=0.0))
            if self.kind.related is not None:
                bonus = Value(WEIGHTS[self.kind.related.weight])
                parts.append(Case(When(self._related_has(term), then=bonus), default=0.0))
        return reduce(lambda a, b: a + b, parts)


def _matcher(queryset, kind, query):
    connection = connections[queryset.db]
    if connection.vendor == "postgresql":
        return _Postgres(kind, query)
    if connection.vendor == "sqlite" and fts5_ready(connection):
        return _SQLite(kind, query)
    return _Fallback(kind, query)


def _prepare(kind, query):
    if isinstance(kind, str):
        kind = KINDS[kind]
    if isinstance(query, str):
        query = parse_query(query)
    return kind, query


def search_queryset(queryset, kind, query):
    """``queryset`` (rows of ``kind``) narrowed to *every* row matching ``query`` and
    annotated with ``rank``, best first: for lists and exports that must hold every
    match (the paper list's search box). ``query`` is a ``ParsedQuery`` or a raw string.

    Ranking every match grows with the number of matches; the search page uses
    ``ranked_page`` and ``match_counts``, which stop at ``MATCH_CAP``."""
    kind, query = _prepare(kind, query)
    if not query:
        return queryset.none()
    matcher = _matcher(queryset, kind, query)
    return queryset.filter(matcher.matched()).annotate(rank=matcher.rank()).order_by("-rank", "pk")


# -- bounded search: what the search page runs -----------------------------------------------
def _newest(queryset, condition):
    """Ids of the newest MATCH_CAP + 1 rows of ``queryset`` meeting ``condition``."""
    return queryset.filter(condition).order_by("-pk").values("pk")[: MATCH_CAP + 1]


def _candidates(queryset, matcher):
    """The rows a search ranks: the union of its tiers (a match anywhere; a title match;
    on PostgreSQL, an author's name), each the newest MATCH_CAP + 1 rows it finds.

    With at most MATCH_CAP matches that is every match, so ranking and counting are
    exact; with more it is a bounded set that still holds the title matches (up to the
    cap), so a paper *titled* with the words is not lost among thousands of abstracts
    that mention them."""
    model = queryset.model._base_manager
    newest = getattr(matcher, "newest", _newest)
    first, *rest = [
        model.filter(pk__in=newest(queryset, condition)).order_by().values("pk")
        for condition in matcher.tiers()
    ]
    return first.union(*rest) if rest else first


def _found(queryset, kind, matcher, candidates=None):
    """One row: how many candidates there are (more than MATCH_CAP means "more");
    ``candidates`` when the caller has built them already."""
    if candidates is None:
        candidates = _candidates(queryset, matcher)
    return (
        queryset.model._base_manager.filter(pk__in=candidates)
        .order_by()
        .values(search_kind=Value(kind.key))
        .annotate(found=Count("pk"))
    )


@dataclass(frozen=True)
class MatchCount:
    """How many rows matched, up to MATCH_CAP; ``more`` when there are more than that."""

    n: int
    more: bool = False

    @classmethod
    def of(cls, found):
        return cls(MATCH_CAP, more=True) if found > MATCH_CAP else cls(found)

    @property
    def number(self):
        return f"{self.n:,}"

    def __str__(self):
        return f"{self.number}+" if self.more else self.number

    def __bool__(self):
        return self.n > 0

    def __add__(self, other):
        return MatchCount(self.n + other.n, self.more or other.more)


def match_counts(querysets, query):
    """``{kind key: MatchCount}`` for ``querysets`` (``{kind key: visible rows}``), in one
    query: a UNION ALL of one capped count per type."""
    parts = [
        _found(queryset, KINDS[key], _matcher(queryset, KINDS[key], query))
        for key, queryset in querysets.items()
    ]
    first, *rest = parts
    found = {row["search_kind"]: row["found"] for row in first.union(*rest, all=True).order_by()}
    return {key: MatchCount.of(found.get(key, 0)) for key in querysets}


def ranked_page(queryset, kind, query, start, stop, *, with_count=False):
    """Rows ``start:stop`` of the best-first results for ``query``, as one query.

    The candidates are ranked for their ids only; the rows (with their excerpts for
    snippets) are read for the requested slice alone. ``with_count`` annotates each row
    with ``search_found``, the capped number of candidates, so a section needs no count
    query of its own."""
    kind, query = _prepare(kind, query)
    if not query:
        return queryset.none()
    matcher = _matcher(queryset, kind, query)
    candidates = _candidates(queryset, matcher)
    rank = matcher.rank(within=candidates)
    page = (
        # The candidates are rows of ``queryset`` already: filtering it again would only
        # let SQLite walk every visible row (see ``_SQLite.newest``).
        queryset.model._base_manager.filter(pk__in=candidates)
        .annotate(rank=rank)
        .order_by("-rank", "pk")
        .values("pk")[start:stop]
    )
    rows = queryset.filter(pk__in=page).annotate(rank=rank).order_by("-rank", "pk")
    if with_count:
        found = _found(queryset, kind, matcher, candidates)
        rows = rows.annotate(search_found=Subquery(found.values("found")))
    return rows


# -- snippets and highlighting -------------------------------------------------------------
def _stem(word):
    """A crude English stem, so "organisms" also marks "organism" (PostgreSQL matches
    stems; marking only exact words would hide why a result matched)."""
    lowered = word.casefold()
    for suffix in ("ing", "es", "ed", "s"):
        if lowered.endswith(suffix) and len(lowered) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def term_pattern(terms):
    """A regex matching any of ``terms`` at a word start, with any word ending."""
    parts = []
    for term in terms:
        words = term.text.split()
        if not words:
            continue
        *head, last = words
        body = r"\s+".join([*(re.escape(w) for w in head), re.escape(_stem(last))])
        parts.append(body + r"\w*")
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")", re.IGNORECASE)


def highlight(text, pattern):
    """``text`` escaped, with matches of ``pattern`` wrapped in ``<mark>``."""
    text = text or ""
    if pattern is None:
        return mark_safe(escape(text))
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def snippet(texts, pattern, *, length=SNIPPET_LENGTH):
    """A window of about ``length`` characters around the first match in ``texts``
    (tried in order), highlighted; the start of the first text when nothing matches."""
    texts = [" ".join((t or "").split()) for t in texts]
    texts = [t for t in texts if t]
    if not texts:
        return ""
    for text in texts:
        match = pattern.search(text) if pattern else None
        if match:
            start = max(0, match.start() - length // 4)
            if start:
                space = text.find(" ", start)
                start = space + 1 if 0 <= space < match.start() else start
            break
    else:
        text, start = texts[0], 0
    end = start + length
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    piece = text[start:end]
    return mark_safe(
        ("… " if start else "") + highlight(piece, pattern) + (" …" if end < len(text) else "")
    )


# -- results -------------------------------------------------------------------------------
@dataclass
class Hit:
    kind: SearchKind
    obj: object
    title: str
    snippet: str
    url: str

    @property
    def is_draft(self):
        return not self.obj.is_live


@dataclass
class Section:
    kind: SearchKind
    count: MatchCount
    hits: list[Hit]

    @property
    def has_more(self):
        return self.count.more or self.count.n > len(self.hits)


@dataclass
class SearchResults:
    query: ParsedQuery
    kind: str = "all"
    counts: dict = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    page: object = None
    page_notice: str = ""
    suggestions: list[str] = field(default_factory=list)
    related: list = field(default_factory=list)

    @property
    def total(self):
        return sum(self.counts.values(), MatchCount(0))

    @property
    def tabs(self):
        """(kind, count) for every type, in a fixed order, for the result tabs."""
        return [(kind, self.counts.get(key, MatchCount(0))) for key, kind in KINDS.items()]

    @property
    def current(self):
        return KINDS.get(self.kind)

    @property
    def current_count(self):
        return self.counts.get(self.kind, MatchCount(0))

    @property
    def notices(self):
        return self.query.notices + ([self.page_notice] if self.page_notice else [])


def _title_of(obj):
    return getattr(obj, "title", None) or getattr(obj, "name", "")


def _snippet_text(row, name):
    text = getattr(row, f"excerpt_{name}")
    # An abstract may be TeX-flavoured: the snippet shows it as the paper page does.
    return abstract_text(text) if name == "abstract" else text


def _hits(kind, rows, pattern):
    return [
        Hit(
            kind=kind,
            obj=row,
            title=highlight(_title_of(row), pattern),
            snippet=snippet([_snippet_text(row, name) for name in kind.snippet_fields], pattern),
            url=row.get_absolute_url(),
        )
        for row in rows
    ]


def search(raw_query, *, user, kind="all", page="1", per_page=PER_PAGE):
    """Search every type visible to ``user``.

    ``kind`` "all" gives a few of the best results of each type (``sections``), one query
    per type; a type key ("papers", ...) gives one ranked, paginated list (``hits``,
    ``page``) after one query that counts every type. Counts per type are always there,
    for the tabs, exact up to MATCH_CAP and "1,000+" beyond, where only the first
    MATCH_CAP are listed. With no results, ``suggestions`` offers spellings that would
    find something.
    """
    query = parse_query(raw_query)
    kind = kind if kind in KINDS else "all"
    results = SearchResults(query=query, kind=kind)
    if not query:
        if query.positive:
            query.notices.append(
                "Those words are too common to search for. Try a name, a title word or a topic."
            )
        elif query.excluded:
            query.notices.append("Add a word to look for: a search cannot only leave words out.")
        return results
    pattern = term_pattern(query.positive)
    visible = {key: spec.base_queryset(user) for key, spec in KINDS.items()}
    if kind == "all":
        for key, spec in KINDS.items():
            rows = list(ranked_page(visible[key], spec, query, 0, PER_SECTION, with_count=True))
            results.counts[key] = MatchCount.of(rows[0].search_found if rows else 0)
            if rows:
                results.sections.append(
                    Section(spec, results.counts[key], _hits(spec, rows, pattern))
                )
    else:
        results.counts = match_counts(visible, query)
        _paginate(results, visible[kind], query, page, per_page, pattern)
    if not results.total:
        results.suggestions = suggest(query, user=user)
        results.related = list(Topic.objects.visible_to(user)[:8])
    return results


def _paginate(results, rows, query, page, per_page, pattern):
    """One page of one type's results (``results.page``, ``results.hits``), with a notice
    for a page number that is not one or is past the end."""
    count = results.current_count
    # Positions only: the rows of the chosen page are read by one query below.
    paginator = Paginator(range(count.n), per_page)
    number = page_number(page)
    if number is None:
        results.page_notice = "That is not a page number, so the first page is shown."
        number = 1
    elif number > paginator.num_pages:
        if count:
            results.page_notice = (
                f"There is no page {number:,}; the last page, {paginator.num_pages:,}, is shown."
            )
        number = paginator.num_pages
    results.page = paginator.page(number)
    if count:
        start = (number - 1) * per_page
        stop = min(start + per_page, count.n)  # past MATCH_CAP, only the first are listed
        kind = KINDS[results.kind]
        results.hits = _hits(kind, ranked_page(rows, kind, query, start, stop), pattern)


def _vocabulary(user, limit=2000):
    """Words of the newest ``limit`` visible names and titles of each type, in one query."""
    sources = ((Person, "name"), (Topic, "name"), (Publication, "title"), (MediaItem, "title"))
    first, *rest = [
        model._base_manager.filter(
            pk__in=model.objects.visible_to(user).order_by("-pk").values("pk")[:limit]
        )
        .order_by()
        .values_list(name, flat=True)
        for model, name in sources
    ]
    words = set()
    for value in first.union(*rest, all=True).order_by():
        words.update(w.casefold() for w in re.findall(r"\w{3,}", value or ""))
    return words


def suggest(query, *, user):
    """Queries close to ``query`` that would use words found on this site (for typos)."""
    vocabulary = _vocabulary(user)
    if not vocabulary:
        return []
    changed, words = False, []
    for term in query.positive:
        replaced = []
        for word in term.text.split():
            lowered = word.casefold()
            if lowered in vocabulary or lowered in STOPWORDS or len(lowered) < 3:
                replaced.append(word)
                continue
            close = difflib.get_close_matches(lowered, vocabulary, n=1, cutoff=0.72)
            if close:
                replaced.append(close[0])
                changed = True
            else:
                replaced.append(word)
        words.append(" ".join(replaced))
    return [" ".join(words)] if changed else []
