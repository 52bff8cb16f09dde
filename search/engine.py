"""Site search over every registered kind (people, papers, media, topics): the entry point.

Callers hand it the visitor's words and get ranked, visible results with highlighted
snippets and counts per type; they never learn which database answered:

* ``search.query`` cleans and splits what was typed;
* ``search.registry`` holds what each content app made searchable;
* ``search.backends`` matches and ranks on PostgreSQL (full text on stored documents),
  SQLite (FTS5) or anything else (containment);
* ``search.ranking`` ranks and counts a bounded set of candidates per kind;
* ``search.snippets`` cuts and highlights snippets, in Python for every database.

This module composes them into a results page (``search``) and spelling suggestions
(``suggest``), and is where callers import from.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.core.paginator import Paginator

from core.http.listing import page_number

from .query import STOPWORDS, ParsedQuery, parse_query
from .ranking import MatchCount, match_counts, ranked_page, search_queryset
from .registry import KINDS, SearchKind, kinds
from .snippets import highlight, snippet, term_pattern

__all__ = [
    "KINDS",
    "Hit",
    "MatchCount",
    "SearchResults",
    "Section",
    "kinds",
    "match_counts",
    "parse_query",
    "ranked_page",
    "search",
    "search_queryset",
    "suggest",
]

PER_PAGE = 20
PER_SECTION = 5  # results per type on the "All" tab


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


def _hits(kind, rows, pattern):
    return [
        Hit(
            kind=kind,
            obj=row,
            title=highlight(_title_of(row), pattern),
            snippet=snippet([kind.excerpt(row, name) for name in kind.snippet_fields], pattern),
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
        results.related = [
            row
            for spec in KINDS.values()
            if spec.offered_when_nothing_found
            for row in spec.model.objects.visible_to(user)[:8]
        ]
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
    # Names first, then titles, each in tab order: the order the words have always been
    # read in (a set either way), so the query stays the same SQL.
    sources = sorted(
        ((kind.model, kind.title_fields[0]) for kind in KINDS.values()),
        key=lambda source: source[1] != "name",
    )
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
