"""The anonymous page cache: hits run no query, every content change is seen at once."""

import datetime
import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AppearanceFactory,
    AuthorshipFactory,
    MediaItemFactory,
    PersonFactory,
    PublicationFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def get(client, url, **headers):
    return client.get(url, headers=headers)


def test_second_visit_is_a_hit_without_queries(client, django_assert_num_queries):
    PublicationFactory(title="Cached paper", authors=3)
    url = reverse("publications:list")
    first = get(client, url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = get(client, url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "Cached paper" in second.content.decode()


def test_query_strings_are_cached_separately(client):
    PublicationFactory(title="Paper A")
    url = reverse("publications:list")
    get(client, url)
    assert get(client, url + "?page=1")["X-Page-Cache"] == "miss"


@pytest.mark.parametrize(
    "change",
    [
        "paper_title",
        "person_headline",
        "media_title",
        "topic_name",
        "author_name",
        "paper_topics",
        "unpublish",
        "delete",
        "appearance",
    ],
)
def test_every_kind_of_change_is_seen_at_once(client, change):
    person = PersonFactory(headline="Old headline")
    paper = PublicationFactory(title="Old title")
    authorship = AuthorshipFactory(publication=paper, position=1, name="Old Author", person=person)
    item = MediaItemFactory(title="Old episode")
    topic = TopicFactory(name="Old topic")
    urls = {
        "paper_title": paper.get_absolute_url(),
        "person_headline": person.get_absolute_url(),
        "media_title": item.get_absolute_url(),
        "topic_name": reverse("topics:list"),
        "author_name": paper.get_absolute_url(),
        "paper_topics": paper.get_absolute_url(),
        "unpublish": reverse("publications:list"),
        "delete": reverse("publications:list"),
        "appearance": item.get_absolute_url(),
    }
    url = urls[change]
    before = get(client, url).content.decode()
    assert get(client, url)["X-Page-Cache"] == "hit"
    if change == "paper_title":
        paper.title = "New title"
        paper.save()
        expected, gone = "New title", "Old title"
    elif change == "person_headline":
        person.headline = "New headline"
        person.save()
        expected, gone = "New headline", "Old headline"
    elif change == "media_title":
        item.title = "New episode"
        item.save()
        expected, gone = "New episode", "Old episode"
    elif change == "topic_name":
        topic.name = "New topic"
        topic.save()
        expected, gone = "New topic", "Old topic"
    elif change == "author_name":
        authorship.name = "New Author"
        authorship.save()
        expected, gone = "New Author", "Old Author"
    elif change == "paper_topics":
        paper.topics.add(topic)
        expected, gone = "Old topic", None
    elif change == "unpublish":
        paper.is_published = False
        paper.save()
        expected, gone = None, "Old title"
    elif change == "delete":
        paper.delete()
        expected, gone = None, "Old title"
    else:
        AppearanceFactory(media_item=item, person=PersonFactory(name="Newly Appearing"))
        expected, gone = "Newly Appearing", None
    after = get(client, url)
    assert after["X-Page-Cache"] == "miss"
    html = after.content.decode()
    if expected:
        assert expected in html and expected not in before
    if gone:
        assert gone not in html


def test_scheduled_item_appears_on_time_without_any_job(client):
    soon = timezone.now() + datetime.timedelta(seconds=1.5)
    PublicationFactory(title="Scheduled paper", publish_at=soon)
    url = reverse("publications:list")
    assert "Scheduled paper" not in get(client, url).content.decode()
    time.sleep(2)
    response = get(client, url)
    assert "Scheduled paper" in response.content.decode()


def test_logged_in_staff_bypass_the_cache(staff_client):
    PublicationFactory(title="A draft", is_published=False)
    url = reverse("publications:list")
    response = staff_client.get(url)
    assert "X-Page-Cache" not in response
    assert "A draft" in response.content.decode()


def test_a_visitor_never_gets_a_page_cached_for_staff(client, staff_client):
    PublicationFactory(title="A draft", is_published=False)
    url = reverse("publications:list")
    staff_client.get(url)
    client.cookies.clear()
    assert "A draft" not in client.get(url).content.decode()


def test_conditional_requests_get_304(client):
    PublicationFactory()
    url = reverse("publications:list")
    first = get(client, url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert get(client, url, if_none_match=etag).status_code == 304
    assert get(client, url, if_modified_since=modified).status_code == 304
    time.sleep(1.1)  # HTTP dates have one-second resolution
    PublicationFactory(title="Added later")
    changed = get(client, url, if_none_match=etag)
    assert changed.status_code == 200 and "Added later" in changed.content.decode()
    assert get(client, url, if_modified_since=modified).status_code == 200


def test_not_found_pages_are_not_cached(client):
    url = reverse("publications:detail", kwargs={"slug": "not-yet"})
    assert get(client, url).status_code == 404
    PublicationFactory(slug="not-yet")
    assert get(client, url).status_code == 200
