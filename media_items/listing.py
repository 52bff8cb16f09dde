"""How media lists are grouped and which facet options they offer."""

from django.db.models import Case, Count, F, Max, Min, Q, Value, When
from django.db.models.functions import ExtractYear

from core.http.listing import Grouping
from core.http.page_cache import cached_for_content
from profiles.models import Person
from publications.listing import Option

from .models import Appearance, MediaItem, Outlet


def _year_ordering(sort):
    year = ExtractYear("published_on")
    return (year.asc(nulls_last=True),) if sort == "oldest" else (year.desc(nulls_last=True),)


_KIND_ORDER = Case(
    *(When(kind=value, then=Value(i)) for i, (value, _) in enumerate(MediaItem.Kind.choices)),
    default=Value(len(MediaItem.Kind.choices)),
)

MEDIA_GROUPINGS = (
    Grouping(
        key="year",
        label="Year",
        ordering=_year_ordering,
        heading=lambda item: str(item.published_on.year) if item.published_on else "Undated",
    ),
    Grouping(
        key="kind",
        label="Kind",
        ordering=lambda sort: (_KIND_ORDER.asc(),),
        heading=lambda item: item.get_kind_display(),
    ),
)


def media_facets(items, user):
    """Facet options with counts over ``items`` (the visible, unfiltered list). Four
    queries; for visitors kept until content changes (``cached_for_content``), as a
    paper list's facets are."""
    return cached_for_content("media-facets", lambda: _media_facets(items, user), user=user)


def _media_facets(items, user):
    items = items.order_by()
    ids = items.values("pk")
    kind_names = dict(MediaItem.Kind.choices)
    year = ExtractYear("published_on")
    # One grouped query for kinds and the year range: each item is in one kind.
    by_kind = list(
        items.values("kind")
        .annotate(n=Count("pk", distinct=True), first=Min(year), last=Max(year))
        .order_by("kind")
    )
    kinds = [
        Option(row["kind"], kind_names.get(row["kind"], row["kind"]), row["n"]) for row in by_kind
    ]
    firsts = [row["first"] for row in by_kind if row["first"] is not None]
    lasts = [row["last"] for row in by_kind if row["last"] is not None]
    outlets = [
        Option(outlet.slug, outlet.name, outlet.n)
        for outlet in Outlet.objects.visible_to(user)
        .annotate(n=Count("media_items", filter=Q(media_items__in=ids), distinct=True))
        .filter(n__gt=0)
        .order_by("name")
    ]
    people = [
        Option(person.slug, person.name, person.n)
        for person in Person.objects.visible_to(user)
        .annotate(
            n=Count(
                "appearances__media_item", filter=Q(appearances__media_item__in=ids), distinct=True
            )
        )
        .filter(n__gt=0)
        .order_by("name")
    ]
    role_names = dict(Appearance.Role.choices)
    roles = [
        Option(row["role"], role_names.get(row["role"], row["role"]), row["n"])
        for row in Appearance.objects.filter(
            media_item__in=ids, person__in=Person.objects.visible_to(user)
        )
        .values("role")
        .annotate(n=Count("media_item", distinct=True))
        .order_by("role")
    ]
    return {
        "kinds": kinds,
        "outlets": outlets,
        "people": people,
        "roles": roles,
        "first_year": min(firsts, default=None),
        "last_year": max(lasts, default=None),
    }


def outlet_page(outlet, user):
    """An outlet's page: its visible items, newest first (at most 200)."""
    items = (
        MediaItem.objects.for_listing()
        .visible_to(user)
        .filter(outlet=outlet)
        .order_by(F("published_on").desc(nulls_last=True), "title", "pk")
    )
    return {"items": list(items[:200])}
