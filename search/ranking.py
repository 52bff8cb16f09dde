"""Ranked, bounded results per kind, whichever database answers (``search.backends``).

The search page stays bounded as the site grows (``ranked_page``, ``match_counts``): per
type it ranks and counts candidates, not every match. The candidates are the union of a
few tiers, each the newest ``MATCH_CAP`` + 1 rows it finds: a match anywhere, a match in
the title (PostgreSQL: the stored ``search_title`` column and its GIN index; SQLite: an
FTS5 column filter) and, for papers, an author's name. With up to ``MATCH_CAP`` matches
that is every match, and the ranking and counts are exact; beyond, counts read "1,000+",
the best of the candidates are listed, and a title match still outranks abstracts that
only mention the words. Rows and snippets are read for the page shown alone.
``search_queryset`` keeps the unbounded form (every match, ranked) for lists and exports
that must hold every match.
"""

from dataclasses import dataclass

from django.db.models import Count, Subquery, Value

from . import backends, limits
from .query import parse_query
from .registry import KINDS


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
    matcher = backends.matcher(queryset, kind, query)
    return queryset.filter(matcher.matched()).annotate(rank=matcher.rank()).order_by("-rank", "pk")


def _newest(queryset, condition):
    """Ids of the newest MATCH_CAP + 1 rows of ``queryset`` meeting ``condition``."""
    return queryset.filter(condition).order_by("-pk").values("pk")[: limits.MATCH_CAP + 1]


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
        return cls(limits.MATCH_CAP, more=True) if found > limits.MATCH_CAP else cls(found)

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
        _found(queryset, KINDS[key], backends.matcher(queryset, KINDS[key], query))
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
    matcher = backends.matcher(queryset, kind, query)
    candidates = _candidates(queryset, matcher)
    rank = matcher.rank(within=candidates)
    page = (
        # The candidates are rows of ``queryset`` already: filtering it again would only
        # let SQLite walk every visible row (see ``SQLite.newest``).
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
