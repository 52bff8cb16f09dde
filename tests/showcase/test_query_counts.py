"""Every list and detail page runs a fixed number of queries, whatever the number of
rows: the same count with 3 papers as with 30 (5 authors each, with affiliations,
topics, media appearances and co-authors).

Two states are pinned. ``PAGES``: nothing kept (the content data cache off, as in the
other tests), what the first visitor after a content change costs. ``WARM``: the data
cache on, as in production, from the second request on -- facets, paper rows, profile
sections and row counts are kept per content generation, so the steady state runs at
most 8 queries on every page.
"""

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
    # Featured people, their affiliations and figures; the totals; the newest papers and
    # their rows' authors, affiliations and institutions; the newest media and their
    # people; topics and their figures.
    "home": (reverse("site:home"), 12),
    "people": (reverse("people:list"), 4),
    # The person and their affiliations, links and reported figures; their papers, with
    # the rows' authors, affiliations and institutions; selected work; appearances; the
    # filtered list; facets (columns; topics).
    "profile": (reverse("people:detail", kwargs={"slug": "main"}), 13),
    "profile filtered": (
        reverse("people:detail", kwargs={"slug": "main"}) + "?group=kind&sort=cited",
        13,
    ),
    "activity fragment": (
        reverse("people:detail", kwargs={"slug": "main"}) + "?activity=2&fragment=activity",
        6,
    ),
    "organization": (reverse("people:organization", kwargs={"slug": "lab"}), 6),
    "papers": (reverse("publications:list"), 7),
    "papers filtered": (reverse("publications:list") + "?topic=topic&group=year&q=study", 8),
    "paper": (reverse("publications:detail", kwargs={"slug": "p1"}), 8),
    "media": (reverse("media:list"), 7),
    "media filtered": (reverse("media:list") + "?person=main&group=kind", 8),
    "media item": (reverse("media:detail", kwargs={"slug": "m1"}), 6),
    "outlet": (reverse("media:outlet", kwargs={"slug": "show"}), 3),
    "topics": (reverse("topics:list"), 3),
    "topic": (reverse("topics:detail", kwargs={"slug": "topic"}), 9),
    # Per kind one query (rows, rank and count), then what its results show: people 1,
    # papers 3 (authors, their affiliations, institutions), media 0 (outlet joined).
    "search": (reverse("site:search") + "?q=study", 8),
    # One query counts every kind, then the page and its prefetches.
    "search papers": (reverse("site:search") + "?q=study&type=papers", 5),
    "search media": (reverse("site:search") + "?q=study&type=media", 2),
    # Nothing found: 4 kinds, the spelling vocabulary, topics to browse.
    "search, no results": (reverse("site:search") + "?q=zyxwvut", 6),
}

# With the data cache on, from the second request on: what is kept per content
# generation is read from the cache, and rows whose HTML is kept need no prefetch.
WARM = {
    "home": 7,
    "people": 3,
    "profile": 5,
    "profile filtered": 5,
    "activity fragment": 6,
    "organization": 3,
    "papers": 2,
    "papers filtered": 3,
    "paper": 8,
    "media": 3,
    "media filtered": 4,
    "media item": 6,
    "outlet": 3,
    "topics": 2,
    "topic": 6,
    "search": 8,
    "search papers": 5,
    "search media": 2,
    "search, no results": 6,
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


def test_every_page_is_pinned_in_both_states():
    assert set(WARM) == set(PAGES)


@pytest.mark.parametrize("name", list(WARM))
def test_warm_pages_run_at_most_8_queries_whatever_the_rows(client, name, settings):
    settings.DATA_CACHE_SECONDS = 60
    url, _cold = PAGES[name]
    build(3)
    client.get(url)
    small = count(client, url)
    build_more()  # a new content generation: worked out again once, then kept
    client.get(url)
    large = count(client, url)
    assert small == large == WARM[name] <= 8, f"{name}: {small} with 3 rows, {large} with 30"


@pytest.mark.parametrize("name", ["papers", "profile", "home"])
def test_what_is_kept_is_worked_out_again_after_a_content_change(client, name, settings):
    settings.DATA_CACHE_SECONDS = 60
    url, cold = PAGES[name]
    build(3)
    # The first request also looks up the next publishing boundary (once per generation).
    assert count(client, url) == cold + 1
    assert count(client, url) == WARM[name]
    build_more()
    assert count(client, url) == cold + 1
    assert count(client, url) == WARM[name]
