"""The media list's facets, shared by the HTML list page and the API."""

import django_filters
from django.db.models import F

from profiles.models import Person
from publications.filters import YearFilter

from .models import Appearance, MediaItem, Outlet

ORDER = (F("published_on").desc(nulls_last=True), "title", "pk")
SORTS = {
    "newest": ORDER,
    "oldest": (F("published_on").asc(nulls_last=True), "title", "pk"),
    "title": ("title", "pk"),
    "importance": (F("importance").desc(nulls_last=True), *ORDER),
}


class MediaItemFilter(django_filters.FilterSet):
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
    sort = django_filters.ChoiceFilter(
        method="sort_by",
        empty_label=None,
        choices=[
            ("newest", "Newest"),
            ("oldest", "Oldest"),
            ("title", "Title"),
            ("importance", "Most important"),
        ],
        label="Sort",
    )

    class Meta:
        model = MediaItem
        fields = []

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, ORDER))

    def filter_queryset(self, queryset):
        # Newest first unless a sort is asked for: a stable order for pagination.
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*ORDER)
        return queryset


class OutletFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Outlet.Kind.choices)

    class Meta:
        model = Outlet
        fields = []
