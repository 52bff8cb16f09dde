"""The paper list's facets and sorting, shared by the HTML list page and the API."""

import django_filters
from django import forms
from django.db.models import F, Q, Value
from django.db.models.functions import Upper

from core.http.sorting import SortedFilterSet, Sorts, sort_filter
from profiles.models import Person

from .models import Publication, Topic

SORTS = Sorts(
    ("newest", "Newest", (F("published_on").desc(nulls_last=True), "title", "pk")),
    ("oldest", "Oldest", (F("published_on").asc(nulls_last=True), "title", "pk")),
    ("cited", "Most cited", (F("citation_count").desc(nulls_last=True), "-published_on", "pk")),
    ("title", "Title", ("title", "pk")),
)


class YearFilter(django_filters.NumberFilter):
    """A whole year from 1000 to 9999: anything else is a form error, never a date
    out of range in the database layer."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1000)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


class PublicationFilter(SortedFilterSet):
    sorts = SORTS

    year_min = YearFilter(field_name="published_on__year", lookup_expr="gte", label="From year")
    year_max = YearFilter(field_name="published_on__year", lookup_expr="lte", label="To year")
    kind = django_filters.ChoiceFilter(choices=Publication.Kind.choices, label="Kind")
    category = django_filters.CharFilter(
        field_name="arxiv_primary_category",
        method="filter_ignoring_case",
        label="arXiv category",
        max_length=20,
    )
    author = django_filters.ModelChoiceFilter(
        field_name="authorships__person",
        to_field_name="slug",
        queryset=Person.objects.published(),
        distinct=True,
        label="Author",
    )
    topic = django_filters.ModelChoiceFilter(
        field_name="topics",
        to_field_name="slug",
        queryset=Topic.objects.published(),
        distinct=True,
        label="Topic",
    )
    venue = django_filters.CharFilter(method="filter_ignoring_case", max_length=500, label="Venue")
    has_code = django_filters.BooleanFilter(method="filter_has_code", label="Has code")
    featured = django_filters.BooleanFilter(field_name="is_featured", label="Featured")
    sort = sort_filter(SORTS)

    class Meta:
        model = Publication
        fields = []

    def filter_ignoring_case(self, queryset, name, value):
        """``name`` equal to ``value`` whatever the case, as ``iexact`` compares, but
        written UPPER(column) = UPPER(value) on every database, the form the
        ``pub_category_ci`` and ``pub_venue_ci`` indexes serve (``iexact`` is a LIKE on
        SQLite and casts the column on PostgreSQL, which no index serves)."""
        if not value:
            return queryset
        return queryset.alias(**{f"{name}_upper": Upper(name)}).filter(
            **{f"{name}_upper": Upper(Value(value))}
        )

    def filter_has_code(self, queryset, name, value):
        if value is None:
            return queryset
        has = ~Q(code_url="")
        return queryset.filter(has if value else ~has)
