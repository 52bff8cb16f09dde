"""Every list and detail page runs a fixed number of queries, whatever the number of
rows: the same count with 3 papers as with 30 (5 authors each, with affiliations,
topics, media appearances and co-authors), and never more than the pinned cap."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from media_items.models import Appearance
from tests.factories import (
    AffiliationFactory,
    AppearanceFactory,
    AuthorshipFactory,
    KeyPointFactory,
    MediaItemFactory,
    OrganizationFactory,
    OutletFactory,
    PersonFactory,
    ProfileLinkFactory,
    PublicationFactory,
    ReportedMetricFactory,
    SelectedWorkFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def build(rows):
    """``rows`` papers and ``rows`` media items around one person, every relation filled."""
    org = OrganizationFactory(slug="lab")
    outlet = OutletFactory(slug="show")
    topic = TopicFactory(slug="topic", summary="The study of everything.")
    # Every kind of search result matches "study", whatever Faker writes elsewhere: the
    # search page runs one more query per kind that has hits.
    person = PersonFactory(slug="main", headline="A study of everything")
    AffiliationFactory(person=person, organization=org)
    AffiliationFactory(person=person, organization=OrganizationFactory(), is_current=False)
    ProfileLinkFactory(person=person)
    ReportedMetricFactory(person=person)
    friends = [PersonFactory() for _ in range(3)]
    for n in range(rows):
        paper = PublicationFactory(
            slug=f"p{n}",
            citation_count=n,
            citations_by_year={"2024": n},
            published_on=datetime.date(2000 + n % 25, 1, 1),
        )
        for position in range(1, 6):
            who = person if position == 1 else friends[position % 3] if position < 4 else None
            authorship = AuthorshipFactory(
                publication=paper,
                position=position,
                person=who,
                name=who.name if who else f"Author {n}-{position}",
            )
            authorship.affiliations.add(org)
        paper.organizations.add(org)
        paper.topics.add(topic)
        item = MediaItemFactory(
            slug=f"m{n}",
            outlet=outlet,
            published_on=datetime.date(2010 + n % 15, 1, 1),
            description="An interview about a study.",
        )
        AppearanceFactory(media_item=item, person=person, role=Appearance.Role.GUEST)
        AppearanceFactory(media_item=item, person=friends[n % 3], role=Appearance.Role.HOST)
        KeyPointFactory(media_item=item)
        item.discusses.add(paper)
        item.topics.add(topic)
        SelectedWorkFactory(person=person, title="", publication=paper)
    return person


PAGES = {
    "home": (reverse("showcase:home"), 10),
    "people": (reverse("profiles:list"), 3),
    "profile": (reverse("profiles:detail", kwargs={"slug": "main"}), 14),
    "profile filtered": (
        reverse("profiles:detail", kwargs={"slug": "main"}) + "?group=kind&sort=cited",
        14,
    ),
    "activity fragment": (
        reverse("profiles:detail", kwargs={"slug": "main"}) + "?activity=2&fragment=activity",
        9,
    ),
    "organization": (reverse("profiles:organization", kwargs={"slug": "lab"}), 6),
    "papers": (reverse("publications:list"), 8),
    "papers filtered": (reverse("publications:list") + "?topic=topic&group=year&q=study", 10),
    "paper": (reverse("publications:detail", kwargs={"slug": "p1"}), 8),
    "media": (reverse("media_items:list"), 8),
    "media filtered": (reverse("media_items:list") + "?person=main&group=kind", 9),
    "media item": (reverse("media_items:detail", kwargs={"slug": "m1"}), 6),
    "outlet": (reverse("media_items:outlet", kwargs={"slug": "show"}), 3),
    "topics": (reverse("topics:list"), 2),
    "topic": (reverse("topics:detail", kwargs={"slug": "topic"}), 9),
    # Per kind one query (rows, rank and count), then what its results show: people 1,
    # papers 3 (authors, their affiliations, institutions), media 0 (outlet joined).
    "search": (reverse("showcase:search") + "?q=study", 8),
    # One query counts every kind, then the page and its prefetches.
    "search papers": (reverse("showcase:search") + "?q=study&type=papers", 5),
    "search media": (reverse("showcase:search") + "?q=study&type=media", 2),
    # Nothing found: 4 kinds, the spelling vocabulary, topics to browse.
    "search, no results": (reverse("showcase:search") + "?q=zyxwvut", 6),
}


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("name", list(PAGES))
def test_queries_do_not_grow_with_rows(client, name, django_assert_max_num_queries):
    url, cap = PAGES[name]
    build(3)
    small = count(client, url)
    build_more()
    with django_assert_max_num_queries(cap):
        large = count(client, url)
    assert large == small, f"{name}: {small} queries with 3 rows, {large} with 30"


def build_more():
    """27 more papers and media items on the same person, topic, outlet and lab."""
    from media_items.models import MediaItem, Outlet
    from profiles.models import Organization, Person
    from publications.models import Topic

    person = Person.objects.get(slug="main")
    org = Organization.objects.get(slug="lab")
    outlet = Outlet.objects.get(slug="show")
    topic = Topic.objects.get(slug="topic")
    friends = list(Person.objects.exclude(pk=person.pk)[:3])
    for n in range(3, 30):
        paper = PublicationFactory(
            slug=f"p{n}",
            citation_count=n,
            citations_by_year={"2023": n},
            published_on=datetime.date(2000 + n % 25, 1, 1),
            kind=["preprint", "report"][n % 2],
        )
        for position in range(1, 6):
            who = person if position == 1 else friends[position % 3] if position < 4 else None
            authorship = AuthorshipFactory(
                publication=paper,
                position=position,
                person=who,
                name=who.name if who else f"Author {n}-{position}",
            )
            authorship.affiliations.add(org)
        paper.organizations.add(org)
        paper.topics.add(topic)
        item = MediaItemFactory(
            slug=f"m{n}", outlet=outlet, published_on=datetime.date(2010 + n % 15, 1, 1)
        )
        AppearanceFactory(media_item=item, person=person, role=Appearance.Role.GUEST)
        AppearanceFactory(media_item=item, person=friends[n % 3], role=Appearance.Role.HOST)
        KeyPointFactory(media_item=item)
        item.discusses.add(paper)
        item.topics.add(topic)
        SelectedWorkFactory(person=person, title="", publication=paper)
    assert MediaItem.objects.count() == 30


# With the content data cache on (as in production), a paper list's facets are counted
# once per content generation: every later page of any filter state skips those queries.
WARM = {
    "papers": (reverse("publications:list"), 2),
    "papers filtered": (reverse("publications:list") + "?kind=preprint&sort=cited", 2),
    "profile": (reverse("profiles:detail", kwargs={"slug": "main"}), 6),
}


@pytest.mark.parametrize("name", list(WARM))
def test_facets_are_counted_once_per_content_generation(client, name, settings):
    settings.DATA_CACHE_SECONDS = 60
    url, warm = WARM[name]
    build(3)
    cold = count(client, url)
    assert count(client, url) == warm < cold
    build_more()  # saving content starts a new generation: counted again, then kept
    assert count(client, url) == cold
    assert count(client, url) == warm
