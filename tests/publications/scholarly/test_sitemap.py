"""sitemap.xml (an index of one sitemap per section) and robots.txt."""

import pytest
from defusedxml import ElementTree
from django.urls import reverse

from tests.factories import (
    MediaItemFactory,
    OrganizationFactory,
    OutletFactory,
    PersonFactory,
    PublicationFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def all_sitemap_urls(client):
    index = client.get(reverse("sitemap"))
    assert index.status_code == 200
    locations = [
        loc.text for loc in ElementTree.fromstring(index.content).findall("sm:sitemap/sm:loc", NS)
    ]
    assert locations, "the index lists no sitemap"
    urls = []
    for location in locations:
        response = client.get(location.removeprefix("http://testserver"))
        assert response.status_code == 200
        urls += [
            loc.text
            for loc in ElementTree.fromstring(response.content).findall("sm:url/sm:loc", NS)
        ]
    return urls


def test_sitemap_lists_published_objects_and_never_drafts(client):
    shown = [
        PersonFactory(slug="ada"),
        PublicationFactory(slug="paper"),
        MediaItemFactory(slug="episode"),
        TopicFactory(slug="topic"),
        OrganizationFactory(slug="lab"),
        OutletFactory(slug="show"),
    ]
    hidden = [
        PersonFactory(slug="hidden-person", is_published=False),
        PublicationFactory(slug="hidden-paper", is_published=False),
        MediaItemFactory(slug="hidden-episode", is_published=False),
        TopicFactory(slug="hidden-topic", is_published=False),
    ]
    urls = all_sitemap_urls(client)
    for obj in shown:
        assert f"http://testserver{obj.get_absolute_url()}" in urls
    for obj in hidden:
        assert not any(obj.slug in url for url in urls), obj
    assert "http://testserver/" in urls
    assert f"http://testserver{reverse('publications:list')}" in urls


def test_sitemap_queries_do_not_grow(client, django_assert_max_num_queries):
    PublicationFactory.create_batch(40)
    with django_assert_max_num_queries(3):
        assert client.get(reverse("sitemap-section", args=["publications"])).status_code == 200


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert f"Disallow: {reverse('site:search')}" in lines
