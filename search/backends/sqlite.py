"""SQLite: full-text search with FTS5 (``search/migrations/0001_search_schema.py``).

An external-content FTS5 table per kind over the fields of its document, and one over
author names, kept in step with the base tables by triggers (so every write counts:
``save()``, ``bulk_create``, ``update()``, the importer's INSERTs, deletes). The tokenizer
stems English words (porter, like PostgreSQL's ``english``) and folds accents. The
visitor's terms become quoted FTS5 phrases (``fts_query``: nothing typed is read as FTS5
syntax), the last word of each also matching longer words it begins ("misalign" finds
"misalignment"); ranking is ``bm25()`` with the same weights per field. Where SQLite lacks
FTS5 (checked once per database), ``search.backends.fallback`` answers instead.
"""

import re

from django.db.models import Exists, F, FloatField, Func, OuterRef, Q
from django.db.models.expressions import RawSQL

from search import limits
from search.query import STOPWORDS
from search.registry import KINDS

from .base import FullText

#: Words this long or longer also find longer words they begin ("misalign" finds
#: "misalignment"); shorter ones only themselves, so "AI" does not expand to every
#: indexed word beginning with "ai".
PREFIX_MIN_CHARS = 3
_NO_MATCH = '""'  # an empty phrase: a valid FTS5 query that matches nothing
_fts5_checked = {}


def fts5_ready(connection):
    """Whether this SQLite database has its FTS5 indexes (the search app's migration):
    SQLite built with FTS5 (``PRAGMA compile_options``) and the table of every searchable
    kind there. Checked once per database; without them search falls back to containment
    matching.

    The probe runs on the driver's own cursor, outside Django's query log: it is the
    process's first search, not the page's, and logged it made a page's query count
    depend on which request happened to search first."""
    key = (connection.alias, connection.settings_dict["NAME"])
    if key not in _fts5_checked:
        tables = sorted({fts_table(kind.model) for kind in KINDS.values()})
        connection.ensure_connection()
        cursor = connection.connection.cursor()
        try:
            cursor.execute("PRAGMA compile_options")
            built = any(option == "ENABLE_FTS5" for (option,) in cursor.fetchall())
            cursor.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                f"({', '.join('?' for _table in tables)})",
                tables,
            )
            _fts5_checked[key] = built and bool(tables) and cursor.fetchone()[0] == len(tables)
        finally:
            cursor.close()
    return _fts5_checked[key]


def fts_table(model):
    """The FTS5 table that indexes ``model``'s rows."""
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


class SQLite(FullText):
    """Full-text search on SQLite's FTS5 indexes: matching is an index lookup, ranking
    ``bm25()`` with the weights of ``WEIGHTS`` per column."""

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
        """The newest MATCH_CAP + 1 rows meeting ``condition``, phrased so that SQLite
        starts from the matches whatever its statistics: the rows ``queryset`` shows are
        checked one id at a time (``EXISTS``). Filtering ``queryset`` itself lets a planner
        without ``ANALYZE`` statistics walk the ``is_published`` index over every visible
        row instead (0.4 s against 22 ms for a common word at 100,000 papers)."""
        visible = Exists(queryset.filter(pk=OuterRef("pk")))
        rows = queryset.model._base_manager.filter(condition, visible)
        return rows.order_by("-pk").values("pk")[: limits.MATCH_CAP + 1]

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
        weights_of = limits.WEIGHTS
        table = _quoted(fts_table(self.kind.model))
        weights = ", ".join(str(weights_of[weight]) for _name, weight in self.kind.fields)
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
            f"-bm25({names}, {weights_of[related.weight]}) AS score FROM {names} "
            f"WHERE {names} MATCH %s) "
            f"SELECT r.{fk} AS id, MAX(hits.score) AS score FROM hits JOIN {rows} r "
            f"ON r.id = hits.id WHERE r.{fk} IN {{within}} GROUP BY r.{fk}",
            [any_word or _NO_MATCH],
            self._related_ids(),
        )
        return rank + bonus
