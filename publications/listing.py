"""How paper lists are grouped and which facet options they offer.

Shared by every page that lists papers with filters: the paper list, a
profile's publications and a topic page.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Case, Count, Max, Min, Q, Value, When
from django.db.models.functions import ExtractYear

from core.http.listing import Grouping
from core.http.page_cache import cached_for_content
from profiles.models import Person

from .arxiv_taxonomy import category_name, short_code
from .models import Publication, Topic


def _year_ordering(sort):
    year = ExtractYear("published_on")
    return (year.asc(nulls_last=True),) if sort == "oldest" else (year.desc(nulls_last=True),)


_KIND_ORDER = Case(
    *(When(kind=value, then=Value(i)) for i, (value, _) in enumerate(Publication.Kind.choices)),
    default=Value(len(Publication.Kind.choices)),
)

PAPER_GROUPINGS = (
    Grouping(
        key="year",
        label="Year",
        ordering=_year_ordering,
        heading=lambda paper: str(paper.year) if paper.year else "Undated",
    ),
    Grouping(
        key="kind",
        label="Kind",
        ordering=lambda sort: (_KIND_ORDER.asc(),),
        heading=lambda paper: paper.get_kind_display(),
    ),
)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    title: str = ""  # a longer name, for a tooltip


def paper_facets(papers, user, *, scope, authors=True):
    """The options each facet offers, with how many of ``papers`` (the visible,
    unfiltered rows of the list) each would show. Two queries; the author facet can be
    left out (``authors=False``: a profile lists one person's papers).

    The options do not depend on the filters applied, only on the list (``scope``:
    "all", "person:<pk>", "topic:<pk>") and on what the viewer may see; for visitors
    they are kept until content changes (``cached_for_content``), so an uncached page
    of any filter state does not count the whole list again.
    """
    return cached_for_content(
        f"paper-facets:{scope}:{int(authors)}",
        lambda: _paper_facets(papers, user, authors=authors),
        user=user,
    )


def _paper_facets(papers, user, *, authors):
    papers = papers.order_by()
    year = ExtractYear("published_on")
    kinds, categories, venues = Counter(), Counter(), Counter()
    first_year = last_year = None
    # One grouped query for the facets of the paper's own columns: each paper is in one
    # (kind, category, venue) group, so the sums per column are exact.
    for row in papers.values("kind", "arxiv_primary_category", "venue").annotate(
        n=Count("pk", distinct=True), first=Min(year), last=Max(year)
    ):
        kinds[row["kind"]] += row["n"]
        if row["arxiv_primary_category"]:
            categories[row["arxiv_primary_category"]] += row["n"]
        if row["venue"]:
            venues[row["venue"]] += row["n"]
        if row["first"] is not None:
            first_year = min(first_year or row["first"], row["first"])
            last_year = max(last_year or row["last"], row["last"])
    kind_names = dict(Publication.Kind.choices)
    ids = papers.values("pk")
    # Authors and topics, each (slug, name, papers in the list), in one UNION ALL.
    options = (
        Topic.objects.visible_to(user)
        .annotate(n=Count("publications", filter=Q(publications__in=ids), distinct=True))
        .filter(n__gt=0)
        .order_by()
        .values("slug", "name", "n", facet=Value("topics"))
    )
    if authors:
        people = (
            Person.objects.visible_to(user)
            .annotate(
                n=Count(
                    "authorships__publication",
                    filter=Q(authorships__publication__in=ids),
                    distinct=True,
                )
            )
            .filter(n__gt=0)
            .order_by()
            .values("slug", "name", "n", facet=Value("authors"))
        )
        options = people.union(options, all=True)
    named = {"authors": [], "topics": []}
    for row in options.order_by("facet", "name"):
        named[row["facet"]].append(Option(row["slug"], row["name"], row["n"]))
    return {
        "kinds": [Option(kind, kind_names.get(kind, kind), n) for kind, n in sorted(kinds.items())],
        "categories": [
            Option(
                code,
                f"{short_code(code)} · {category_name(code) or code}",
                n,
                title=code,
            )
            for code, n in sorted(categories.items())
        ],
        "venues": [Option(venue, venue, n) for venue, n in sorted(venues.items())],
        "authors": named["authors"],
        "topics": named["topics"],
        "first_year": first_year,
        "last_year": last_year,
    }
