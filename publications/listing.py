"""How paper lists are grouped and which facet options they offer.

Shared by every page that lists papers with filters: the paper list, a
profile's publications and a topic page.
"""

from dataclasses import dataclass

from django.db.models import Case, Count, Max, Min, Q, Value, When
from django.db.models.functions import ExtractYear

from core.listing import Grouping
from core.views import visible_to
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


def paper_facets(papers, user):
    """The options each facet offers, with how many of ``papers`` (the visible,
    unfiltered rows of the list) each would show. A fixed number of queries."""
    papers = papers.order_by()
    kind_names = dict(Publication.Kind.choices)
    kinds = [
        Option(row["kind"], kind_names.get(row["kind"], row["kind"]), row["n"])
        for row in papers.values("kind").annotate(n=Count("pk", distinct=True)).order_by("kind")
    ]
    categories = [
        Option(
            row["arxiv_primary_category"],
            f"{short_code(row['arxiv_primary_category'])} · "
            f"{category_name(row['arxiv_primary_category']) or row['arxiv_primary_category']}",
            row["n"],
            title=row["arxiv_primary_category"],
        )
        for row in papers.exclude(arxiv_primary_category="")
        .values("arxiv_primary_category")
        .annotate(n=Count("pk", distinct=True))
        .order_by("arxiv_primary_category")
    ]
    venues = [
        Option(row["venue"], row["venue"], row["n"])
        for row in papers.exclude(venue="")
        .values("venue")
        .annotate(n=Count("pk", distinct=True))
        .order_by("venue")
    ]
    in_list = Q(authorships__publication__in=papers.values("pk"))
    authors = [
        Option(person.slug, person.name, person.n)
        for person in visible_to(Person.objects.all(), user)
        .annotate(n=Count("authorships__publication", filter=in_list, distinct=True))
        .filter(n__gt=0)
        .order_by("name")
    ]
    topics = [
        Option(topic.slug, topic.name, topic.n)
        for topic in visible_to(Topic.objects.all(), user)
        .annotate(
            n=Count("publications", filter=Q(publications__in=papers.values("pk")), distinct=True)
        )
        .filter(n__gt=0)
        .order_by("name")
    ]
    years = papers.aggregate(
        first=Min(ExtractYear("published_on")), last=Max(ExtractYear("published_on"))
    )
    return {
        "kinds": kinds,
        "categories": categories,
        "venues": venues,
        "authors": authors,
        "topics": topics,
        "first_year": years["first"],
        "last_year": years["last"],
    }
