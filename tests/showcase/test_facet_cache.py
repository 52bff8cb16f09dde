"""A paper list's facet counts, kept per content generation: never stale after a save, a
publish or an unpublish, and never shared between visitors and staff who see drafts."""

import pytest
from django.test import Client
from django.urls import reverse

from core.http.listing import count_each
from publications.models import Publication
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _data_cache_on(settings):
    settings.DATA_CACHE_SECONDS = 60


def kind_counts(client):
    response = client.get(reverse("publications:list"))
    return {option.value: option.count for option in response.context["facets"]["kinds"]}


def test_counts_follow_every_save(client):
    PublicationFactory(kind="preprint")
    assert kind_counts(client) == {"preprint": 1}

    paper = PublicationFactory(kind="book")
    assert kind_counts(client) == {"book": 1, "preprint": 1}

    paper.is_published = False
    paper.save()
    assert kind_counts(client) == {"preprint": 1}

    Publication.objects.get(kind="preprint").delete()
    assert kind_counts(client) == {}


def test_staff_who_see_drafts_get_their_own_counts(client, staff_client):
    PublicationFactory(kind="preprint")
    PublicationFactory(kind="book", is_published=False)
    visitor = Client()
    assert kind_counts(visitor) == {"preprint": 1}
    assert kind_counts(staff_client) == {"book": 1, "preprint": 1}
    assert kind_counts(visitor) == {"preprint": 1}


def test_count_each_counts_every_queryset_in_one_query(django_assert_num_queries):
    PublicationFactory.create_batch(3, kind="preprint")
    PublicationFactory(kind="book", is_published=False)
    with django_assert_num_queries(1):
        counts = count_each(
            all=Publication.objects.all(),
            live=Publication.objects.published(),
            books=Publication.objects.filter(kind="book"),
        )
    assert counts == {"all": 4, "live": 3, "books": 1}
