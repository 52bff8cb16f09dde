"""Every list and detail endpoint runs a fixed number of queries, however many rows and
related rows there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import client_for
from tests.factories import (
    AffiliationFactory,
    AppearanceFactory,
    AuthorshipFactory,
    EditorFactory,
    KeyPointFactory,
    MediaItemFactory,
    OrganizationFactory,
    OutletFactory,
    PersonFactory,
    ProfileLinkFactory,
    PublicationFactory,
    ReportedMetricFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


def build(rows, related):
    """``rows`` objects of each kind, each with ``related`` related rows of each kind."""
    person = PersonFactory(slug="ada")
    orgs = OrganizationFactory.create_batch(related)
    topics = TopicFactory.create_batch(related)
    for org in orgs:
        AffiliationFactory(person=person, organization=org)
        ProfileLinkFactory(person=person)
        ReportedMetricFactory(person=person, label=f"metric {org.pk}")
    for n in range(rows):
        other = PersonFactory()
        for org in orgs:
            AffiliationFactory(person=other, organization=org, is_current=n % 2 == 0)
        paper = PublicationFactory(slug=f"paper-{rows}-{n}")
        paper.topics.add(*topics)
        paper.organizations.add(*orgs)
        for position in range(1, related + 1):
            authorship = AuthorshipFactory(
                publication=paper, position=position, person=person if position == 1 else other
            )
            authorship.affiliations.add(*orgs)
        item = MediaItemFactory(slug=f"item-{rows}-{n}", outlet=OutletFactory())
        AppearanceFactory(media_item=item, person=person, role="guest")
        for _ in range(related - 1):
            AppearanceFactory(media_item=item, role="host")
            KeyPointFactory(media_item=item)
        item.discusses.add(paper)
        item.topics.add(*topics)


# route → queries for an anonymous reader. Lists: the count, the page, then one query per
# prefetched relation; detail: the row, then one per relation.
EXPECTED_QUERIES = {
    "people/": 3,  # + current affiliations with their organizations
    "organizations/": 2,
    "publications/": 6,  # + authorships with people, their affiliations, institutions, topics
    "media-items/": 6,  # + appearances with people, key points, topics, papers discussed
    "outlets/": 2,
    "topics/": 2,
    "people/ada/publications/": 7,  # + the person
    "people/ada/media-items/": 7,
    "people/ada/": 4,  # + affiliations, links, reported metrics
    "organizations/{org}/": 1,
    "publications/paper-{rows}-0/": 5,
    "media-items/item-{rows}-0/": 5,
    "outlets/{outlet}/": 1,
    "topics/{topic}/": 1,
}
# An authenticated editor adds the token lookup and two permission queries (drafts check).
STAFF_EXTRA_QUERIES = 3


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


def measure(client_factory, route, rows, related):
    build(rows, related)
    client = client_factory()
    url = f"{API}/" + route.format(
        rows=rows,
        org=OrganizationFactory._meta.model.objects.order_by("pk").first().slug,
        outlet=OutletFactory._meta.model.objects.order_by("pk").first().slug,
        topic=TopicFactory._meta.model.objects.order_by("pk").first().slug,
    )
    return count_queries(client, url)


@pytest.mark.parametrize("route", list(EXPECTED_QUERIES))
def test_queries_do_not_grow_with_rows(route):
    small = measure(lambda: client_for(None), route, rows=2, related=2)
    _flush()
    large = measure(lambda: client_for(None), route, rows=12, related=5)
    assert small == large == EXPECTED_QUERIES[route]


@pytest.mark.parametrize("route", list(EXPECTED_QUERIES))
def test_queries_do_not_grow_for_staff_either(route):
    editor = EditorFactory()
    small = measure(lambda: client_for(editor), route, rows=2, related=2)
    _flush()
    large = measure(lambda: client_for(editor), route, rows=12, related=5)
    assert small == large == EXPECTED_QUERIES[route] + STAFF_EXTRA_QUERIES


def _flush():
    from media_items.models import MediaItem, Outlet
    from profiles.models import Organization, Person
    from publications.models import Publication, Topic

    for model in (MediaItem, Outlet, Publication, Topic, Person, Organization):
        model.objects.all().delete()
