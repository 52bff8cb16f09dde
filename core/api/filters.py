"""Filter backends for the API: unknown query parameters and bad values are a 400 with the
reason, and every ordering is total (ties broken by primary key), so pages never overlap."""

import re

import django_filters
from django.db.models import F
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework import filters
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

from core.http.limits import MAX_SEARCH_CHARS, MAX_SEARCH_WORDS

BOOLEAN_VALUES = {"true", "false", "True", "False"}
# Filters whose empty value is not a value of their type (a choice, a number, a boolean).
TYPED_FILTERS = (
    django_filters.ChoiceFilter,
    django_filters.NumberFilter,
    django_filters.BooleanFilter,
)


def _backend_parameters(view):
    """Query parameters the view's other backends and its paginator understand."""
    names = {api_settings.URL_FORMAT_OVERRIDE}
    if getattr(view, "search_fields", None):
        names.add(api_settings.SEARCH_PARAM)
    if getattr(view, "ordering_fields", None):
        names.add(api_settings.ORDERING_PARAM)
    paginator = getattr(view, "paginator", None)
    if paginator is not None:
        names.add(getattr(paginator, "page_query_param", "page"))
        names.add(getattr(paginator, "page_size_query_param", None))
    names.discard(None)
    return names


class StrictFilterBackend(DjangoFilterBackend):
    """The view's ``filterset_class`` (the same FilterSet as the HTML list page), applied
    strictly: a parameter nobody understands, given twice, empty where a choice, number or
    boolean is expected, or holding a NUL character is refused, and so is every value the
    FilterSet's form rejects; all reasons come back at once, as a 400 per parameter."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        allowed = _backend_parameters(view)
        if filterset_class is not None:
            for name, filter_ in filterset_class.base_filters.items():
                suffixes = getattr(filter_.field_class.widget, "suffixes", None)
                if suffixes:
                    allowed.update(f"{name}_{suffix}" if suffix else name for suffix in suffixes)
                else:
                    allowed.add(name)
        nuls = {
            name: ["Null characters are not allowed."]
            for name, values in request.query_params.lists()
            if any("\x00" in value for value in values)
        }
        if nuls:
            # Before the FilterSet validates: its model choices would query with them.
            raise ValidationError(nuls)
        filters_ = filterset_class.base_filters if filterset_class is not None else {}
        errors = {}
        for name, values in request.query_params.lists():
            filter_ = filters_.get(name)
            if name not in allowed:
                errors[name] = [f"Unknown query parameter. Allowed: {', '.join(sorted(allowed))}."]
            elif len(values) > 1:
                errors[name] = ["Give this parameter only once."]
            elif isinstance(filter_, TYPED_FILTERS) and "" in values:
                # The HTML form sends empty facets; an API client leaves them out.
                errors[name] = ["May not be empty; leave the parameter out instead."]
            elif isinstance(filter_, django_filters.BooleanFilter) and any(
                value not in BOOLEAN_VALUES for value in values
            ):
                # The FilterSet's widget would silently ignore anything else.
                errors[name] = ["Must be true or false."]
        filterset = self.get_filterset(request, queryset, view)
        if filterset is not None and not filterset.is_valid():
            errors = {**translate_validation(filterset.errors).detail, **errors}
        if errors:
            raise ValidationError(errors)
        return filterset.qs if filterset is not None else queryset


class SearchFilter(filters.SearchFilter):
    search_description = (
        f"Words to look for (at most {MAX_SEARCH_WORDS}, {MAX_SEARCH_CHARS} characters in "
        "all); every word must match one of the searched fields."
    )

    def get_search_terms(self, request):
        # Each word is one more condition over every field: refuse what would be a query
        # the database rejects or works on for seconds.
        terms = super().get_search_terms(request)
        raw = request.query_params.get(self.search_param, "")
        if len(terms) > MAX_SEARCH_WORDS or len(raw) > MAX_SEARCH_CHARS:
            raise ValidationError(
                {
                    self.search_param: [
                        f"Use at most {MAX_SEARCH_WORDS} words and {MAX_SEARCH_CHARS} "
                        f"characters (this search has {len(terms):,} words, "
                        f"{len(raw):,} characters)."
                    ]
                }
            )
        return terms


_TERM = re.compile(r"^-?[a-z_]+$")


class StableOrderingFilter(filters.OrderingFilter):
    """`?ordering=field,-other` over the view's explicit ``ordering_fields``, empty values
    last, ties broken by primary key. An unknown field is a 400. Without the parameter, the
    view's ``ordering`` (or the FilterSet's own order) stands."""

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            return self.get_default_ordering(view)
        valid = [
            name for name, _label in self.get_valid_fields(queryset, view, {"request": request})
        ]
        terms = [term.strip() for term in raw.split(",")]
        bad = [term for term in terms if not _TERM.match(term) or term.lstrip("-") not in valid]
        if bad or not terms:
            raise ValidationError(
                {
                    self.ordering_param: [
                        f"Unknown ordering {', '.join(map(repr, bad))}. Allowed: "
                        f"{', '.join(valid)}, each optionally prefixed with '-' for descending."
                    ]
                }
            )
        return terms

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        expressions = [
            F(term[1:]).desc(nulls_last=True)
            if term.startswith("-")
            else F(term).asc(nulls_last=True)
            for term in ordering
        ]
        return queryset.order_by(*expressions, "pk")

    def get_schema_operation_parameters(self, view):
        fields = [name if isinstance(name, str) else name[0] for name in view.ordering_fields]
        choice = "-?(?:" + "|".join(map(re.escape, fields)) + ")"
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": (
                    f"Comma-separated fields to sort by: {', '.join(fields)}; prefix a field "
                    "with '-' for descending. Empty values sort last; ties by creation."
                ),
                "schema": {"type": "string", "pattern": f"^{choice}(?:,{choice})*$"},
            }
        ]
