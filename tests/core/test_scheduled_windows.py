"""Scheduled windows across every public surface: a paper, a person and a media item whose
``publish_at`` is still ahead (before), whose window is open (inside) or whose
``unpublish_at`` has passed (after) are shown, or not, alike on the HTML lists and detail
pages, the Atom feeds, site search, the sitemap and the REST API, and also through the
objects that point at them.

The published queryset compares with the database's ``Now()``, so the windows are set an
hour around the real clock rather than by freezing time."""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import (
    AppearanceFactory,
    AuthorshipFactory,
    MediaItemFactory,
    PersonFactory,
    PublicationFactory,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
API = "/api/v1"
MARK = "Quillfeather"  # in the subject's title or name: what search looks for

WINDOWS = {
    "before": (lambda now: {"publish_at": now + HOUR}, False),
    "inside": (lambda now: {"publish_at": now - HOUR, "unpublish_at": now + HOUR}, True),
    "after": (lambda now: {"publish_at": now - 2 * HOUR, "unpublish_at": now - HOUR}, False),
}
KINDS = ["paper", "person", "media item"]


@dataclass
class World:
    """Always-visible neighbours of the subject: a person, a paper and a media item."""

    ada: object
    paper: object
    item: object
    subject: object
    visible: bool


@pytest.fixture(params=list(WINDOWS))
def window(request):
    make, visible = WINDOWS[request.param]
    return make(timezone.now()), visible


def build(kind, window):
    fields, visible = window
    ada = PersonFactory(slug="ada-open", name="Ada Open")
    paper = PublicationFactory(slug="open-paper", title="An always visible paper")
    AuthorshipFactory(publication=paper, person=ada, position=1, name="Ada Open")
    item = MediaItemFactory(slug="open-item", title="An always visible episode")
    AppearanceFactory(media_item=item, person=ada, role="guest")
    if kind == "paper":
        subject = PublicationFactory(slug="sched-paper", title=f"The {MARK} paper", **fields)
        AuthorshipFactory(publication=subject, person=ada, position=1, name="Ada Open")
        item.discusses.add(subject)
    elif kind == "person":
        subject = PersonFactory(slug="sched-person", name=f"Quorra {MARK}", **fields)
        AuthorshipFactory(publication=paper, person=subject, position=2, name="Q. Q.")
        AppearanceFactory(media_item=item, person=subject, role="host")
    else:
        subject = MediaItemFactory(slug="sched-item", title=f"The {MARK} episode", **fields)
        AppearanceFactory(media_item=subject, person=ada, role="guest")
        subject.discusses.add(paper)
    return World(ada, paper, item, subject, visible)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def path(obj):
    return obj.get_absolute_url()


LIST_PAGE = {"paper": "/publications/", "person": "/people/", "media item": "/media/"}


@pytest.mark.parametrize("kind", KINDS)
def test_html_list_detail_and_related_pages(client, kind, window):
    world = build(kind, window)
    subject, visible = world.subject, world.visible
    assert client.get(path(subject)).status_code == (200 if visible else 404)
    assert client.get(subject.get_permalink()).status_code == (302 if visible else 404)
    assert (path(subject) in page(client, LIST_PAGE[kind])) is visible
    # The objects pointing at it link to it only while visitors can open it.
    if kind == "person":
        neighbours = [world.paper, world.item]
    elif kind == "paper":
        neighbours = [world.ada, world.item]
    else:
        neighbours = [world.ada, world.paper]
    for neighbour in neighbours:
        assert (path(subject) in page(client, path(neighbour))) is visible, neighbour
    if not visible:
        assert path(subject) not in page(client, "/")


@pytest.mark.parametrize("kind", KINDS)
def test_atom_feeds(client, kind, window):
    world = build(kind, window)
    subject, visible = world.subject, world.visible
    ada_feed = page(client, "/people/ada-open/feed.atom")
    if kind == "paper":
        assert (path(subject) in page(client, "/publications/feed.atom")) is visible
        assert (path(subject) in ada_feed) is visible
    elif kind == "media item":
        assert (path(subject) in page(client, "/media/feed.atom")) is visible
        assert (path(subject) in ada_feed) is visible
    else:
        own_feed = client.get("/people/sched-person/feed.atom")
        assert own_feed.status_code == (200 if visible else 404)
        # The episode they host names its people in the media feed and in Ada's feed.
        assert (MARK in page(client, "/media/feed.atom")) is visible
        assert (MARK in ada_feed) is visible


@pytest.mark.parametrize("kind", KINDS)
def test_site_search(client, kind, window):
    world = build(kind, window)
    for tab in ("", "&type=people", "&type=publications", "&type=media"):
        results = page(client, f"/search/?q={MARK}{tab}")
        assert path(world.subject) not in results or world.visible, tab
    results = page(client, f"/search/?q={MARK}")
    assert (path(world.subject) in results) is world.visible


def sitemap_text(client):
    index = page(client, "/sitemap.xml")
    sections = re.findall(r"<loc>https?://[^/]+(/sitemap-[\w-]+\.xml)</loc>", index)
    assert len(sections) >= 4
    return "".join(page(client, section) for section in sections)


@pytest.mark.parametrize("kind", KINDS)
def test_sitemap(client, kind, window):
    world = build(kind, window)
    assert (path(world.subject) in sitemap_text(client)) is world.visible


API_ROUTE = {"paper": "publications", "person": "people", "media item": "media-items"}


def api_slugs(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.content)
    return [row["slug"] for row in response.json()["results"]]


@pytest.mark.parametrize("kind", KINDS)
def test_rest_api(kind, window):
    world = build(kind, window)
    subject, visible = world.subject, world.visible
    client = APIClient()
    route = API_ROUTE[kind]
    found = 200 if visible else 404
    assert client.get(f"{API}/{route}/{subject.slug}/").status_code == found
    assert client.get(f"{API}/{route}/{subject.stable_id}/").status_code == found
    listed = api_slugs(client, f"{API}/{route}/")
    assert (subject.slug in listed) is visible
    count = client.get(f"{API}/{route}/").json()["count"]
    assert count == len(listed)
    if kind == "person":
        for nested in ("publications", "media-items"):
            response = client.get(f"{API}/people/sched-person/{nested}/")
            assert response.status_code == found
        paper = client.get(f"{API}/publications/open-paper/").json()
        people = [a["person"]["slug"] if a["person"] else None for a in paper["authorships"]]
        # The author stays on the paper as written; the link to the profile comes and goes.
        assert people == ["ada-open", "sched-person" if visible else None]
        item = client.get(f"{API}/media-items/open-item/").json()
        appearing = [a["person"]["slug"] for a in item["appearances"]]
        assert ("sched-person" in appearing) is visible
        listed_people = client.get(f"{API}/people/?search={MARK}").json()["count"]
        assert listed_people == (1 if visible else 0)
    elif kind == "paper":
        assert ("sched-paper" in api_slugs(client, f"{API}/people/ada-open/publications/")) is (
            visible
        )
        item = client.get(f"{API}/media-items/open-item/").json()
        assert ("sched-paper" in [p["slug"] for p in item["discusses"]]) is visible
        assert client.get(f"{API}/publications/?search={MARK}").json()["count"] == int(visible)
    else:
        assert ("sched-item" in api_slugs(client, f"{API}/people/ada-open/media-items/")) is (
            visible
        )
        assert client.get(f"{API}/media-items/?search={MARK}").json()["count"] == int(visible)


@pytest.mark.parametrize("kind", KINDS)
def test_editors_still_see_it_in_the_api_whatever_the_window(editor, kind, window):
    from tests.api.conftest import client_for

    world = build(kind, window)
    route = API_ROUTE[kind]
    client = client_for(editor)
    assert client.get(f"{API}/{route}/{world.subject.slug}/").status_code == 200
    assert world.subject.slug in api_slugs(client, f"{API}/{route}/")
