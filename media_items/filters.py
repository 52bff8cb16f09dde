"""The media list's facets, shared by the HTML list page and the API."""

import django_filters
from django.db.models import F

from core.http.sorting import SortedFilterSet, Sorts, sort_filter
from profiles.models import Person
from publications.filters import YearFilter

from .models import Appearance, MediaItem, Outlet

ORDER = (F("published_on").desc(nulls_last=True), "title", "pk")
SORTS = Sorts(
    ("newest", "Newest", ORDER),
    ("oldest", "Oldest", (F("published_on").asc(nulls_last=True), "title", "pk")),
    ("title", "Title", ("title", "pk")),
    ("importance", "Most important", (F("importance").desc(nulls_last=True), *ORDER)),
)


class MediaItemFilter(SortedFilterSet):
    sorts = SORTS

    kind = django_filters.ChoiceFilter(choices=MediaItem.Kind.choices)
    outlet = django_filters.ModelChoiceFilter(
        to_field_name="slug", queryset=Outlet.objects.published()
    )
    person = django_filters.ModelChoiceFilter(
        field_name="appearances__person",
        to_field_name="slug",
        queryset=Person.objects.published(),
        distinct=True,
        label="Person",
    )
    role = django_filters.ChoiceFilter(
        field_name="appearances__role",
        choices=Appearance.Role.choices,
        distinct=True,
        label="Role",
    )
    year = YearFilter(field_name="published_on__year", label="Year")
    sort = sort_filter(SORTS)

    class Meta:
        model = MediaItem
        fields = []


class OutletFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Outlet.Kind.choices)

    class Meta:
        model = Outlet
        fields = []
