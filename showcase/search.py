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
* On SQLite the same words are matched with case-insensitive containment, with
  the same weights summed into a rank, so results are ranked the same way.

Snippets and highlighting are done here in Python for both databases: the text
is escaped, and the only markup added is ``<mark>``.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Case, Exists, Expression, F, FloatField, OuterRef, Q, Value, When
from django.db.models.functions import Substr
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.limits import MAX_SEARCH_CHARS, MAX_SEARCH_WORDS
from core.listing import page_number
from core.views import visible_to
from media_items.models import MediaItem
from profiles.models import Person
from publications.models import Authorship, Publication, Topic

CONFIG = "english"
MAX_QUERY_LENGTH = MAX_SEARCH_CHARS
MAX_TERM_LENGTH = 40
MAX_TERMS = MAX_SEARCH_WORDS
PER_PAGE = 20
PER_SECTION = 5  # results per type on the "All" tab
SNIPPET_LENGTH = 260
SNIPPET_SOURCE_CHARS = 20_000  # of each field, read for the snippet
#: PostgreSQL's default rank weights for D, C, B, A; the SQLite fallback sums the same.
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
#: Words the fallback ignores, like PostgreSQL's English configuration does.
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
class SearchKind:
    key: str
    label: str
    singular: str
    model: type
    #: (field, weight) pairs that make up the document.
    fields: tuple
    #: Fields a snippet is cut from, best first.
    snippet_fields: tuple
    #: (related model, foreign key to the row, text field, weight): text on related rows
    #: that also finds the row (a paper by its authors' names).
    related: tuple = ()

    def base_queryset(self, user):
        # Snippets read the first SNIPPET_SOURCE_CHARS of each snippet field, fetched with
        # the row: a deferred transcript is neither loaded whole nor fetched per hit.
        excerpts = {
            f"excerpt_{name}": Substr(name, 1, SNIPPET_SOURCE_CHARS) for name in self.snippet_fields
        }
        return visible_to(self.model.objects.for_listing(), user).annotate(**excerpts)


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
        ),
        SearchKind(
            key="papers",
            label="Papers",
            singular="paper",
            model=Publication,
            fields=(("title", "A"), ("abstract", "B")),
            snippet_fields=("abstract",),
            related=((Authorship, "publication", "name", "B"),),
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
        ),
        SearchKind(
            key="topics",
            label="Topics",
            singular="topic",
            model=Topic,
            fields=(("name", "A"), ("summary", "B")),
            snippet_fields=("summary",),
        ),
    )
}


def document(kind):
    """The weighted tsvector expression for ``kind`` (identical to its GIN index)."""
    return reduce(
        lambda left, right: left + right,
        (SearchVector(name, weight=weight, config=CONFIG) for name, weight in kind.fields),
    )


class StoredDocument(Expression):
    """The row's stored ``search_document`` column (PostgreSQL; computed by the database
    from ``document(kind)``), on whatever alias the row's table has in the query."""

    def __init__(self):
        super().__init__(output_field=SearchVectorField())

    def as_sql(self, compiler, connection):
        table = compiler.quote_name(compiler.query.get_initial_alias())
        return f'{table}."search_document"', []


def _related_ids(kind, terms, limit=1000):
    """Ids of rows whose related text (a paper's author names) contains every term.

    Worked out in a query of its own, so the main query stays ``document @@ query OR
    id IN (...)``, which PostgreSQL answers from the GIN index and the primary key; an
    ``EXISTS`` in that ``OR`` would force a scan of every row.
    """
    ids = set()
    for model, fk, text_field, _weight in kind.related:
        rows = kind.model.objects.all()
        for term in terms:
            rows = rows.filter(
                pk__in=model.objects.filter(**{f"{text_field}__icontains": term.text}).values(fk)
            )
        ids.update(rows.values_list("pk", flat=True)[:limit])
    return sorted(ids)


def search_queryset(queryset, kind, query):
    """``queryset`` (rows of ``kind``) narrowed to ``query`` and annotated with ``rank``,
    best first. ``query`` is a ``ParsedQuery`` or a raw string."""
    if isinstance(kind, str):
        kind = KINDS[kind]
    if isinstance(query, str):
        query = parse_query(query)
    if not query:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        return _postgres(queryset, kind, query)
    return _fallback(queryset, kind, query)


def _postgres(queryset, kind, query):
    ts_query = SearchQuery(query.text, search_type="websearch", config=CONFIG)
    matched = Q(search_document=ts_query)
    rank = SearchRank(F("search_document"), ts_query)
    related = _related_ids(kind, query.searchable) if kind.related else []
    if related:
        matched |= Q(pk__in=related)
        rank = rank + Case(
            When(pk__in=related, then=Value(WEIGHTS[kind.related[0][3]])),
            default=Value(0.0),
            output_field=FloatField(),
        )
    return (
        queryset.alias(search_document=StoredDocument())
        .filter(matched)
        .annotate(rank=rank)
        .order_by("-rank", "pk")
    )


def _fallback(queryset, kind, query):
    """Containment matching for databases without full-text search: every positive
    word must appear in some field (stopwords aside), no excluded word may appear,
    and the rank sums the weights of the fields each word appears in."""
    terms = query.searchable
    rank_parts = []
    for term in terms:
        in_any = []
        for name, weight in kind.fields:
            condition = Q(**{f"{name}__icontains": term.text})
            in_any.append(condition)
            rank_parts.append(Case(When(condition, then=Value(WEIGHTS[weight])), default=0.0))
        for model, fk, text_field, weight in kind.related:
            condition = Exists(
                model.objects.filter(**{fk: OuterRef("pk"), f"{text_field}__icontains": term.text})
            )
            in_any.append(Q(condition))
            rank_parts.append(Case(When(condition, then=Value(WEIGHTS[weight])), default=0.0))
        queryset = queryset.filter(reduce(or_, in_any))
    for term in query.excluded:
        queryset = queryset.exclude(
            reduce(or_, (Q(**{f"{name}__icontains": term.text}) for name, _ in kind.fields))
        )
    rank = reduce(lambda a, b: a + b, rank_parts)
    return queryset.annotate(rank=rank).order_by("-rank", "pk")


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
    count: int
    hits: list[Hit]


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
        return sum(self.counts.values())

    @property
    def tabs(self):
        """(kind, count) for every type, in a fixed order, for the result tabs."""
        return [(kind, self.counts.get(key, 0)) for key, kind in KINDS.items()]

    @property
    def current(self):
        return KINDS.get(self.kind)

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
            snippet=snippet([getattr(row, f"excerpt_{n}") for n in kind.snippet_fields], pattern),
            url=row.get_absolute_url(),
        )
        for row in rows
    ]


def search(raw_query, *, user, kind="all", page="1", per_page=PER_PAGE):
    """Search every type visible to ``user``.

    ``kind`` "all" gives a few of the best results of each type (``sections``);
    a type key ("papers", ...) gives one ranked, paginated list (``hits``, ``page``).
    Counts per type are always there, for the tabs. With no results, ``suggestions``
    offers spellings that would find something.
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
    ranked = {
        key: search_queryset(spec.base_queryset(user), spec, query) for key, spec in KINDS.items()
    }
    results.counts = {key: qs.count() for key, qs in ranked.items()}
    if kind == "all":
        results.sections = [
            Section(KINDS[key], results.counts[key], _hits(KINDS[key], qs[:PER_SECTION], pattern))
            for key, qs in ranked.items()
            if results.counts[key]
        ]
    else:
        paginator = Paginator(ranked[kind], per_page)
        paginator.count = results.counts[kind]  # counted above; don't count twice
        number = page_number(page)
        if number is None:
            results.page_notice = "That is not a page number, so the first page is shown."
            number = 1
        elif number > paginator.num_pages:
            if results.counts[kind]:
                results.page_notice = (
                    f"There is no page {number:,}; the last page, "
                    f"{paginator.num_pages:,}, is shown."
                )
            number = paginator.num_pages
        results.page = paginator.page(number)
        results.hits = _hits(KINDS[kind], results.page.object_list, pattern)
    if not results.total:
        results.suggestions = suggest(query, user=user)
        results.related = list(visible_to(Topic.objects.all(), user)[:8])
    return results


def _vocabulary(user, limit=2000):
    words = set()
    sources = (
        (Person, "name"),
        (Topic, "name"),
        (Publication, "title"),
        (MediaItem, "title"),
    )
    for model, name in sources:
        for value in visible_to(model.objects.all(), user).values_list(name, flat=True)[:limit]:
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
