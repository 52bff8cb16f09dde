"""A list's sort menu, one way for every FilterSet (the HTML lists and the API alike).

    SORTS = Sorts(
        ("newest", "Newest", (F("published_on").desc(nulls_last=True), "title", "pk")),
        ("title", "Title", ("title", "pk")),
    )

    class PaperFilter(SortedFilterSet):
        sorts = SORTS
        ...
        sort = sort_filter(SORTS)

The first sort is the default: it orders the rows when no sort is asked for too, so a
list always has a stable order and pagination never repeats or skips a row.
"""

from collections.abc import Mapping

import django_filters


class Sorts(Mapping):
    """The sorts of a list, in menu order: name -> order-by terms (``SORTS["newest"]``),
    each with its menu label; the first is the default."""

    def __init__(self, *sorts):
        self._terms = {name: tuple(terms) for name, _label, terms in sorts}
        self.choices = [(name, label) for name, label, _terms in sorts]
        self.default = sorts[0][0]

    def __getitem__(self, name):
        return self._terms[name]

    def __iter__(self):
        return iter(self._terms)

    def __len__(self):
        return len(self._terms)

    def order(self, queryset, name=""):
        """``queryset`` in the order of the sort ``name``; the default for none or an
        unknown one."""
        return queryset.order_by(*self._terms.get(name or self.default, self[self.default]))


def sort_filter(sorts, label="Sort"):
    """The ``sort`` filter of a ``SortedFilterSet``: a menu of ``sorts``, no empty
    choice. Declare it in the FilterSet's body, where it belongs in the form's order."""
    return django_filters.ChoiceFilter(
        method="sort_by", empty_label=None, choices=list(sorts.choices), label=label
    )


class SortedFilterSet(django_filters.FilterSet):
    """A FilterSet whose rows come in the order of its ``sort`` filter (``sorts``, a
    ``Sorts``), in the default one when none is chosen."""

    sorts: Sorts

    def sort_by(self, queryset, name, value):
        return self.sorts.order(queryset, value)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = self.sorts.order(queryset)
        return queryset
