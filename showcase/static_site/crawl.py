"""Which URLs a static build holds.

Links from ``/`` and the sitemap find the pages; ``seed_urls`` adds what no link
reaches (every feed and export, robots.txt, ``/r/<stable id>`` permalinks, old slugs).
Query strings (filters, sorting, ``?page=2``) cannot be static files and are not
followed. Every seed is read from published objects only; a seed the site answers with
404 is simply not part of the build.
"""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from core.db.visibility import public_models
from core.models import SlugHistory
from profiles.models import Person
from publications.exports import FORMATS
from publications.models import Publication

# Paths a visitor's crawl does not enter: files are copied, not rendered; the admin and
# the API need a server.
SKIPPED_PREFIXES = ("/static/", f"/{settings.ADMIN_URL}", "/api/")
SITEMAP_NAMESPACE = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"


class _References(HTMLParser):
    """``<a href>`` and ``<link href>`` (pages to follow) and ``src``/``srcset``/``href``
    of everything (files the pages need)."""

    def __init__(self):
        super().__init__()
        self.links, self.assets = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "link") and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in ("src", "href", "content"):
            if attrs.get(name):
                self.assets.append(attrs[name])
        for candidate in (attrs.get("srcset") or "").split(","):
            if candidate.strip():
                self.assets.append(candidate.split()[0])


def _local_path(base, page_path, href):
    """``href`` on the page at ``page_path`` (a full path, prefix included) as a path of
    the site without the prefix, or None for another site, a query-string URL or a path
    outside the prefix."""
    parts = urlsplit(urljoin(base.origin + page_path, href.strip()))
    if f"{parts.scheme}://{parts.netloc}" != base.origin or parts.query:
        return None
    return base.strip(parts.path)


def references(base, path, content):
    """The pages the HTML ``content`` of ``path`` links to, and the files it uses, as site
    paths."""
    parser = _References()
    parser.feed(content.decode("utf-8", "replace"))
    full = base.prefix.rstrip("/") + path
    pages = {_local_path(base, full, href) for href in parser.links}
    files = {_local_path(base, full, href) for href in parser.assets}
    pages = {p for p in pages if p and not p.startswith(SKIPPED_PREFIXES)}
    return sorted(pages), sorted(f for f in files if f)


def sitemap_locations(base, content):
    """The ``<loc>``s of a sitemap (or sitemap index), as site paths."""
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError:
        return []
    paths = (_local_path(base, base.prefix, loc.text or "") for loc in root.iter(SITEMAP_NAMESPACE))
    return [path for path in paths if path]


def seed_urls():
    """What links cannot find, in a stable order: sitemap, robots.txt, every feed and
    export, each published paper's citations, permalinks and old slugs. Reversed under
    the build's script prefix: ``BaseURL.strip`` makes them site paths."""
    urls = [
        "/",
        reverse("sitemap"),
        reverse("robots"),
        reverse("publications:feed"),
        reverse("media:feed"),
    ]
    urls += [reverse("publications:export", args=[fmt]) for fmt in FORMATS]
    for slug in Person.objects.published().order_by("slug").values_list("slug", flat=True):
        urls.append(reverse("people:feed", args=[slug]))
        urls += [reverse("people:export", args=[slug, fmt]) for fmt in FORMATS]
    for slug in Publication.objects.published().order_by("slug").values_list("slug", flat=True):
        urls += [reverse("publications:cite", args=[slug, fmt]) for fmt in FORMATS]
    urls += permalink_urls()
    urls += old_slug_urls()
    return urls


def permalink_urls():
    """``/r/<stable id>`` of every object a visitor can see."""
    visitor = AnonymousUser()
    urls = []
    for model in sorted(public_models(), key=lambda model: model._meta.label):
        ids = model.objects.visible_to(visitor).order_by("stable_id")
        urls += [
            reverse("core:permalink", args=[stable_id])
            for stable_id in ids.values_list("stable_id", flat=True)
            if stable_id
        ]
    return urls


def old_slug_urls():
    """The URL each object had under each of its old slugs: the site redirects the ones
    of live objects and answers 404 for the rest, which the build then leaves out."""
    urls = []
    moves = SlugHistory.objects.order_by("content_type_id", "slug").prefetch_related("target")
    for moved in moves:  # one query per kind of object, not one per old slug
        target = moved.target
        if target is None:
            continue
        current = target.get_absolute_url()
        if f"/{target.slug}/" in current:
            urls.append(current.replace(f"/{target.slug}/", f"/{moved.slug}/"))
    return urls
