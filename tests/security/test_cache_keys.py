"""The page cache cannot be poisoned (issue 13, findings 2 and 7).

A page is kept under everything that changes its bytes besides content: the origin its
absolute URLs start with (``SITE_URL``, or the request's scheme and host with its port)
and its canonical query (only the parameters the page reads, sorted). So a ``Host``
header that Django's host check lets through (it ignores the port) never reaches another
visitor, and made-up parameters neither change a page nor make a new cache entry.
The same attacks through a real gunicorn: ``test_live_server.py``.
"""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from config import deployment

from .routes import PUBLIC_ROUTES, public_url

pytestmark = pytest.mark.django_db

FOREIGN_HOST = "127.0.0.1:6666"  # allowed by ALLOWED_HOSTS, which ignores the port
SITE = "https://research.example.org"
NOW_IN_FEED = re.compile(rb"<updated>[^<]*</updated>")

# Every public page, feed, export, sitemap and robots.txt that answers 200 (not the API,
# which is never page-cached).
PAGES = {
    name: template
    for name, (template, status) in PUBLIC_ROUTES.items()
    if status == 200 and not name.startswith("api:")
}


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.DATA_CACHE_SECONDS = 300


@pytest.mark.parametrize("name", list(PAGES))
def test_a_foreign_host_never_reaches_another_visitor(client, public_objects, page_cache, name):
    url = public_url(PAGES[name], public_objects)
    attacker = client.get(url, HTTP_HOST=FOREIGN_HOST)
    assert attacker.status_code == 200
    visitor = client.get(url)
    assert visitor.status_code == 200
    assert FOREIGN_HOST.encode() not in visitor.content, name


@pytest.mark.parametrize("name", list(PAGES))
def test_with_site_url_every_page_is_the_same_whatever_the_host(
    client, public_objects, settings, name
):
    """With ``SITE_URL`` no byte depends on the Host header or the scheme: a missed
    absolute URL anywhere (a template, a feed, a sitemap, a cached row) fails here."""
    settings.SITE_URL = SITE
    url = public_url(PAGES[name], public_objects)
    pages = [
        # An empty feed is "updated" at the time it is written: that part may differ.
        NOW_IN_FEED.sub(b"", client.get(url, HTTP_HOST=host, **headers).content)
        for host, headers in (
            ("testserver", {}),
            (FOREIGN_HOST, {"HTTP_X_FORWARDED_PROTO": "https"}),
        )
    ]
    assert pages[0] == pages[1], name
    assert b"testserver" not in pages[0]
    assert b"6666" not in pages[1]


def test_site_url_is_where_absolute_urls_point(client, public_objects, settings):
    settings.SITE_URL = SITE
    person = public_objects["profiles.person"]
    page = client.get(person.get_absolute_url(), HTTP_HOST=FOREIGN_HOST).content.decode()
    assert f'<link rel="canonical" href="{SITE}{person.get_absolute_url()}">' in page
    assert f'content="{SITE}{person.get_absolute_url()}"' in page  # og:url
    assert f"{SITE}{person.get_permalink()}" in page
    assert f"Sitemap: {SITE}/sitemap.xml" in client.get("/robots.txt").content.decode()
    sitemap = client.get("/sitemap-people.xml").content.decode()
    assert f"<loc>{SITE}{person.get_absolute_url()}</loc>" in sitemap
    feed = client.get("/publications/feed.atom").content.decode()
    assert f"<id>{SITE}/publications/</id>" in feed


def test_a_host_outside_allowed_hosts_is_refused_even_when_the_page_is_cached(
    client, public_objects, page_cache
):
    assert client.get("/").status_code == 200
    assert client.get("/")["X-Page-Cache"] == "hit"
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400


def test_unknown_parameters_make_no_new_cache_entries(client, public_objects, page_cache):
    url = reverse("publications:list")
    first = client.get(url + "?kind=preprint&sort=cited")
    assert first["X-Page-Cache"] == "miss"
    for n in range(20):
        again = client.get(url + f"?sort=cited&utm_source=x{n}&kind=preprint&fbclid={n}")
        assert again["X-Page-Cache"] == "hit", n
        assert again.content == first.content


def test_known_parameters_in_any_order_are_one_entry(client, public_objects, page_cache):
    url = reverse("media:list")
    assert client.get(url + "?kind=podcast&sort=oldest")["X-Page-Cache"] == "miss"
    assert client.get(url + "?sort=oldest&kind=podcast")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("name", list(PAGES))
def test_unknown_parameters_never_reach_the_page(client, public_objects, name):
    url = public_url(PAGES[name], public_objects)
    url += ("&" if "?" in url else "?") + "planted=zq7marker"
    response = client.get(url)
    assert response.status_code == 200
    assert b"zq7marker" not in response.content, name


@pytest.mark.parametrize(
    "value",
    ["research.example.org", "https://research.example.org/site/", "ftp://example.org"],
)
def test_a_site_url_that_is_not_an_origin_stops_start_up_with_a_message(value):
    with pytest.raises(ImproperlyConfigured, match="SITE_URL must be the site's origin"):
        deployment.site_url(value)


def test_site_url_is_kept_as_an_origin():
    assert deployment.site_url("https://Research.Example.org/") == "https://research.example.org"
    assert deployment.site_url("") == ""
