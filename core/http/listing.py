"""What every filtered public list shares: forgiving pagination, grouping, and the
state of the filters (errors in words, active filters as removable chips).

Every state of a list is its URL: filters, sort, grouping and page are query
parameters, and every link a list renders keeps the others.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby

from django import forms
from django.db import connection
from django.db.models import QuerySet
from django.utils.text import capfirst
from django_filters.views import FilterView

from core.http.query import filterset_parameters

MAX_VALUE_SHOWN = 40  # characters of a bad parameter value echoed back in a message


def page_number(raw):
    """``raw`` as a page number (1 or more), or None when it is not a positive integer."""
    raw = str(raw).strip()
    if not (raw.isascii() and raw.isdigit()):
        return None
    # Any number this long is past the end; no need to parse a megabyte of digits.
    number = int(raw) if len(raw) <= 15 else 10**15
    return number if number >= 1 else None


def shorten(value, limit=MAX_VALUE_SHOWN):
    value = str(value)
    return value if len(value) <= limit else value[:limit] + "…"


class SafePaginationMixin:
    """List pagination that never fails on a bad ``?page=``.

    Django's ``ListView`` answers 404 for ``?page=abc`` or a page past the end. A
    list here shows the nearest real page instead (the first, or the last) and
    says so in ``page_notice``, so a stale or mistyped link still lands somewhere
    useful. ``page_range`` is the elided range of page numbers for the links.
    """

    page_kwarg = "page"
    page_notice = ""
    query_parameters = ("page",)  # what the view reads from the query (core.http.query)

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset, page_size, orphans=self.get_paginate_orphans(), allow_empty_first_page=True
        )
        raw = self.request.GET.get(self.page_kwarg) or "1"
        number = page_number(raw)
        if number is None:
            self.page_notice = f"“{shorten(raw)}” is not a page number, so the first page is shown."
            number = 1
        elif number > paginator.num_pages:
            asked = f"{number:,}" if len(raw.strip()) <= 15 else "that far"
            self.page_notice = (
                f"There is no page {asked}: this list has {paginator.num_pages:,} "
                f"page{'s' if paginator.num_pages != 1 else ''}, and the last one is shown."
            )
            number = paginator.num_pages
        page = paginator.page(number)
        if isinstance(page.object_list, QuerySet) and page.number > 1:
            # A deep page finds its ids in the sort's index (no wide rows walked over
            # on the way), then reads only its own rows, in the same order.
            page.object_list = queryset.filter(pk__in=page.object_list.values("pk"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context.get("page_obj")
        context["page_notice"] = self.page_notice
        context["page_range"] = (
            list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
            if page is not None and page.paginator.num_pages > 1
            else []
        )
        return context


@dataclass(frozen=True)
class Grouping:
    """One way to group a list: the order that keeps a group's rows together, and
    the heading of the group a row falls in."""

    key: str
    label: str
    #: sort value ("newest", "oldest", ...) -> order-by terms to put before the sort
    ordering: Callable
    #: row -> heading
    heading: Callable


@dataclass
class Group:
    heading: str
    rows: list


@dataclass
class ActiveFilter:
    label: str
    value: str
    remove_url: str


class DisplayForm(forms.Form):
    """How a list is laid out (not which rows it has)."""

    group = forms.ChoiceField(required=False, label="Group by")

    def __init__(self, *args, group_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = group_choices


@dataclass
class ListState:
    """The state of one filtered list, read from the request.

    An invalid filter value never reaches the database (the list is empty) and
    ``errors`` says, in words, which value was not understood; an unknown grouping
    falls back to the default with a message.
    """

    request: object
    filterset: object
    groupings: tuple = ()
    default_group: str = ""
    #: Parameters outside the FilterSet that narrow the list too, shown as chips:
    #: {name: label}.
    extra_filters: dict = field(default_factory=dict)

    def __post_init__(self):
        choices = [("", "None"), *((g.key, g.label) for g in self.groupings)]
        self.display_form = DisplayForm(
            {"group": self.request.GET.get("group", self.default_group)},
            group_choices=choices,
        )
        self.group_choices = choices
        valid = self.display_form.is_valid()
        self.group = self.display_form.cleaned_data["group"] if valid else self.default_group
        self._grouping = {g.key: g for g in self.groupings}.get(self.group)

    @property
    def is_valid(self):
        return self.filterset.is_valid()

    def queryset(self):
        """The filtered rows in display order, or none when a filter value is invalid."""
        if not self.filterset.is_valid():
            return self.filterset.queryset.none()
        queryset = self.filterset.qs
        if self._grouping is not None:
            sort = self.filterset.form.cleaned_data.get("sort") or ""
            queryset = queryset.order_by(*self._grouping.ordering(sort), *queryset.query.order_by)
        return queryset

    def groups(self, rows):
        if self._grouping is None:
            return []
        return [Group(h, list(items)) for h, items in groupby(rows, key=self._grouping.heading)]

    @property
    def errors(self):
        messages = []
        form = self.filterset.form
        for name, errors in form.errors.items():
            field_ = form.fields.get(name)
            label = field_.label if field_ is not None and field_.label else capfirst(name)
            label = label.rstrip(":")
            value = shorten(self.request.GET.get(name, ""))
            messages.append(f"{label}: “{value}” was not understood. {errors[0]}")
        if self.display_form.errors:
            value = shorten(self.request.GET.get("group", ""))
            messages.append(f"Group by: “{value}” is not an option, so the default is used.")
        return messages

    @property
    def active_filters(self):
        """The filters in force, each with a link that removes just that one."""
        chips = []
        if self.filterset.is_valid():
            for name, value in self.filterset.form.cleaned_data.items():
                if name == "sort" or value in (None, "", [], ()):
                    continue
                field_ = self.filterset.form.fields[name]
                chips.append(
                    ActiveFilter(
                        label=(field_.label or name.replace("_", " ").capitalize()).rstrip(":"),
                        value=display_value(field_, value),
                        remove_url=self.url_without(name),
                    )
                )
        for name, label in self.extra_filters.items():
            value = self.request.GET.get(name, "").strip()
            if value:
                chips.append(ActiveFilter(label, shorten(value), self.url_without(name)))
        return chips

    @property
    def is_filtered(self):
        return bool(self.active_filters)

    def url_without(self, *names):
        params = self.request.GET.copy()
        for name in (*names, "page"):
            params.pop(name, None)
        encoded = params.urlencode()
        return f"{self.request.path}?{encoded}" if encoded else self.request.path

    @property
    def clear_url(self):
        """The list with no filters, keeping only sort and grouping."""
        params = self.request.GET.copy()
        keep = {k: params.getlist(k) for k in ("sort", "group") if k in params}
        params.clear()
        for key, values in keep.items():
            params.setlist(key, values)
        encoded = params.urlencode()
        return f"{self.request.path}?{encoded}" if encoded else self.request.path

    def context(self):
        return {
            "list_state": self,
            "filter": self.filterset,
            "filter_errors": self.errors,
            "active_filters": self.active_filters,
            "group": self.group,
            "group_choices": self.group_choices,
        }


def display_value(field_, value):
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "pk"):
        return str(value)
    choices = dict(getattr(field_, "choices", ()) or ())
    if value in choices:
        return str(choices[value])
    return str(value)


class FilteredListView(SafePaginationMixin, FilterView):
    """A public list driven by an app's ``FilterSet`` (the same one the API uses),
    with grouping and forgiving pagination. Subclasses set ``filterset_class``,
    ``get_queryset``, ``template_name`` and ``groupings``."""

    groupings = ()
    default_group = ""
    extra_filters = {}

    @classmethod
    def query_parameters(cls):
        return (
            *filterset_parameters(cls.filterset_class),
            "group",
            cls.page_kwarg,
            *cls.extra_filters,
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        # Always bound, so the FilterSet's own default order applies on a bare URL too.
        kwargs["data"] = self.request.GET
        return kwargs

    def get(self, request, *args, **kwargs):
        self.filterset = self.get_filterset(self.get_filterset_class())
        self.list_state = ListState(
            request,
            self.filterset,
            groupings=self.groupings,
            default_group=self.default_group,
            extra_filters=self.extra_filters,
        )
        self.object_list = self.narrow(self.list_state.queryset())
        context = self.get_context_data(object_list=self.object_list)
        return self.render_to_response(context)

    def narrow(self, queryset):
        """Hook for filtering beyond the FilterSet (e.g. a search box)."""
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(context["object_list"])
        context["object_list"] = rows
        context["groups"] = self.list_state.groups(rows)
        context.update(self.list_state.context())
        return context


def count_each(**querysets):
    """How many rows each queryset has, in one query: ``{"name": count, …}``."""
    parts, params = [], []
    for index, queryset in enumerate(querysets.values()):
        sql, query_params = queryset.order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted_{index})")
        params.extend(query_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return dict(zip(querysets, cursor.fetchone(), strict=True))
