"""core.http.sorting: one sort menu for every FilterSet."""

import pytest

from core.http.sorting import Sorts, sort_filter
from media_items.filters import MediaItemFilter
from publications.filters import SORTS, PublicationFilter
from publications.models import Publication
from tests.factories import PublicationFactory


def test_sorts_is_a_mapping_of_order_terms_with_menu_labels():
    sorts = Sorts(("a", "First", ("x", "pk")), ("b", "Second", ("-x",)))
    assert dict(sorts) == {"a": ("x", "pk"), "b": ("-x",)}
    assert sorts.default == "a"
    assert sort_filter(sorts).extra["choices"] == [("a", "First"), ("b", "Second")]


def test_the_filtersets_menus_are_unchanged():
    assert PublicationFilter().form.fields["sort"].choices == [
        ("newest", "Newest"),
        ("oldest", "Oldest"),
        ("cited", "Most cited"),
        ("title", "Title"),
    ]
    assert MediaItemFilter().form.fields["sort"].choices == [
        ("newest", "Newest"),
        ("oldest", "Oldest"),
        ("title", "Title"),
        ("importance", "Most important"),
    ]


@pytest.mark.django_db
def test_no_sort_is_the_default_sort():
    for title in ("B", "A", "C"):
        PublicationFactory(title=title, published_on=None)
    bare = PublicationFilter({}, queryset=Publication.objects.all()).qs
    newest = PublicationFilter({"sort": "newest"}, queryset=Publication.objects.all()).qs
    by_title = PublicationFilter({"sort": "title"}, queryset=Publication.objects.all()).qs
    assert bare.query.order_by == newest.query.order_by == SORTS["newest"]
    assert [p.title for p in by_title] == ["A", "B", "C"]
