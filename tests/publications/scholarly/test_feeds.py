"""Atom feeds, read back with feedparser."""

import datetime

import feedparser
import pytest
from django.urls import reverse

from tests.factories import (
    AppearanceFactory,
    AuthorshipFactory,
    MediaItemFactory,
    PersonFactory,
    PublicationFactory,
)

pytestmark = pytest.mark.django_db


def parse(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def titles(feed):
    return [entry.title for entry in feed.entries]


@pytest.fixture
def ada(db):
    return PersonFactory(slug="ada", name="Ada Lovelace")


class TestPaperFeed:
    def test_newest_papers_with_authors_and_permalink_ids(self, client):
        paper = PublicationFactory(
            title="Sleeper agents", published_on=datetime.date(2024, 1, 10), abstract="Deception."
        )
        for position, name in enumerate(["Evan Hubinger", "Carson Denison"], start=1):
            AuthorshipFactory(publication=paper, position=position, name=name)
        PublicationFactory(title="Older", published_on=datetime.date(2019, 1, 1))
        feed = parse(client.get(reverse("publications:feed")))
        assert titles(feed) == ["Sleeper agents", "Older"]
        entry = feed.entries[0]
        assert entry.link == f"http://testserver/publications/{paper.slug}/"
        assert entry.id == f"http://testserver/r/{paper.stable_id}"
        assert entry.author == "Evan Hubinger, Carson Denison"
        assert "Deception." in entry.summary
        assert entry.published.startswith("2024-01-10")

    def test_filtered_feed_matches_the_filtered_list(self, client, ada):
        mine = PublicationFactory(title="Ada's preprint", kind="preprint")
        AuthorshipFactory(publication=mine, position=1, person=ada)
        article = PublicationFactory(title="Ada's article", kind="journal_article")
        AuthorshipFactory(publication=article, position=1, person=ada)
        PublicationFactory(title="Other preprint", kind="preprint")
        feed = parse(client.get(reverse("publications:feed") + "?author=ada&kind=preprint"))
        assert titles(feed) == ["Ada's preprint"]
        assert "Ada Lovelace" in feed.feed.title and "Preprint" in feed.feed.title
        assert feed.feed.link.endswith("/publications/?author=ada&kind=preprint")

    def test_drafts_never_appear_even_for_staff(self, staff_client):
        PublicationFactory(title="Public")
        PublicationFactory(title="Secret draft", is_published=False)
        feed = parse(staff_client.get(reverse("publications:feed")))
        assert titles(feed) == ["Public"]

    def test_invalid_filter_is_400_not_500(self, client):
        response = client.get(reverse("publications:feed") + "?kind=poem")
        assert response.status_code == 400

    def test_queries_do_not_grow(self, client, django_assert_max_num_queries):
        for _ in range(30):
            PublicationFactory(authors=4)
        with django_assert_max_num_queries(4):
            feed = parse(client.get(reverse("publications:feed")))
        assert len(feed.entries) == 30


class TestMediaFeed:
    def test_filtered_by_person_without_drafts(self, client, ada):
        episode = MediaItemFactory(title="Ada on AXRP", published_on=datetime.date(2024, 5, 1))
        AppearanceFactory(media_item=episode, person=ada, role="guest")
        hidden = MediaItemFactory(title="Draft episode", is_published=False)
        AppearanceFactory(media_item=hidden, person=ada)
        MediaItemFactory(title="Someone else")
        feed = parse(client.get(reverse("media:feed") + "?person=ada"))
        assert titles(feed) == ["Ada on AXRP"]
        assert feed.entries[0].author == "Ada Lovelace"
        assert "Ada Lovelace (guest)" in feed.entries[0].summary

    def test_draft_guest_is_not_named(self, client):
        episode = MediaItemFactory(title="Episode")
        AppearanceFactory(
            media_item=episode, person=PersonFactory(name="Hidden Person", is_published=False)
        )
        feed = parse(client.get(reverse("media:feed")))
        assert "Hidden Person" not in feed.entries[0].get("summary", "")
        assert "author" not in feed.entries[0]

    def test_queries_do_not_grow(self, client, django_assert_max_num_queries):
        for _ in range(20):
            AppearanceFactory(media_item=MediaItemFactory())
        with django_assert_max_num_queries(3):
            assert len(parse(client.get(reverse("media:feed"))).entries) == 20


class TestPersonFeed:
    def test_papers_and_appearances_newest_first(self, client, ada):
        old = PublicationFactory(title="Old paper", published_on=datetime.date(2019, 1, 1))
        new = PublicationFactory(title="New paper", published_on=datetime.date(2024, 1, 1))
        draft = PublicationFactory(title="Draft paper", is_published=False)
        for paper in (old, new, draft):
            AuthorshipFactory(publication=paper, position=1, person=ada)
        talk = MediaItemFactory(title="A talk", published_on=datetime.date(2021, 6, 1))
        AppearanceFactory(media_item=talk, person=ada)
        PublicationFactory(title="Not Ada's")
        feed = parse(client.get(reverse("people:feed", args=["ada"])))
        assert titles(feed) == ["New paper", "A talk", "Old paper"]
        assert feed.feed.title.startswith("Ada Lovelace")

    def test_draft_person_has_no_feed(self, client, staff_client):
        PersonFactory(slug="hidden", is_published=False)
        assert staff_client.get(reverse("people:feed", args=["hidden"])).status_code == 404

    def test_queries_do_not_grow(self, client, ada, django_assert_max_num_queries):
        for _ in range(15):
            AuthorshipFactory(publication=PublicationFactory(authors=3), position=9, person=ada)
            AppearanceFactory(media_item=MediaItemFactory(), person=ada)
        with django_assert_max_num_queries(7):
            assert len(parse(client.get(reverse("people:feed", args=["ada"]))).entries) == 30
