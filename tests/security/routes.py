"""Every URL pattern the site answers, read from Django's URL resolver, so that the
access-control matrix covers each route, including ones added later; and a sample URL of
each public page and API endpoint (``public_url`` fills in live objects' slugs)."""

from dataclasses import dataclass

from django.urls import URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    pattern: str  # the whole pattern, e.g. "admin/publications/publication/<path:object_id>/"
    name: str | None  # with its namespaces, e.g. "admin:publications_publication_change"

    def __str__(self):
        return self.name or self.pattern


def all_routes():
    """Each route once (a view answering several patterns, e.g. API format suffixes, is
    one route per pattern)."""
    routes = []

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, prefix + str(entry.pattern), inner)
            else:
                name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
                routes.append(Route(prefix + str(entry.pattern), name))

    walk(get_resolver(), "", "")
    return routes


# Public pages, feeds, exports and the API: (GET status for every role, POST status).
# Reads are the same for every role here (drafts: test_draft_leaks.py); every route is
# read-only except the API's write endpoints (tests/api/test_permissions.py).
PUBLIC_ROUTES = {
    "site:home": ("/", 200),
    "people:list": ("/people/", 200),
    "people:detail": ("/people/{person}/", 200),
    "people:organization": ("/people/organizations/{organization}/", 200),
    "people:feed": ("/people/{person}/feed.atom", 200),
    "people:export": ("/people/{person}/publications.bib", 200),
    "publications:list": ("/publications/", 200),
    "publications:feed": ("/publications/feed.atom", 200),
    "publications:export": ("/publications/export.ris", 200),
    "publications:cite": ("/publications/{publication}/cite.json", 200),
    "publications:detail": ("/publications/{publication}/", 200),
    "topics:list": ("/topics/", 200),
    "topics:detail": ("/topics/{topic}/", 200),
    "media:list": ("/media/", 200),
    "media:feed": ("/media/feed.atom", 200),
    "media:outlet": ("/media/outlets/{outlet}/", 200),
    "media:detail": ("/media/{mediaitem}/", 200),
    "site:search": ("/search/?q=study", 200),
    "core:permalink": ("/r/{publication_stable_id}", 302),
    "sitemap": ("/sitemap.xml", 200),
    "sitemap-section": ("/sitemap-people.xml", 200),
    "favicon": ("/favicon.ico", 302),
    "robots": ("/robots.txt", 200),
    "api:schema": ("/api/schema/", 200),
    "api:docs": ("/api/docs/", 200),
}
# Uploaded files (people's photos), served alike to every role; what is served and how:
# tests/core/test_uploaded_files.py. (GET path, its status here, where no file exists.)
FILE_ROUTES = {
    "uploaded-file": ("/media-files/people/missing.png", 404),
}
API_ROUTES = {
    # name: (path, suffix path); writes per role: tests/api/test_permissions.py
    "api:api-root": "/api/v1/",
    "api:person-list": "/api/v1/people/",
    "api:person-detail": "/api/v1/people/{person}/",
    "api:person-publication-list": "/api/v1/people/{person}/publications/",
    "api:person-mediaitem-list": "/api/v1/people/{person}/media-items/",
    "api:organization-list": "/api/v1/organizations/",
    "api:organization-detail": "/api/v1/organizations/{organization}/",
    "api:publication-list": "/api/v1/publications/",
    "api:publication-detail": "/api/v1/publications/{publication}/",
    "api:mediaitem-list": "/api/v1/media-items/",
    "api:mediaitem-detail": "/api/v1/media-items/{mediaitem}/",
    "api:outlet-list": "/api/v1/outlets/",
    "api:outlet-detail": "/api/v1/outlets/{outlet}/",
    "api:topic-list": "/api/v1/topics/",
    "api:topic-detail": "/api/v1/topics/{topic}/",
}


def public_url(template, objects):
    return template.format(
        person=objects["profiles.person"].slug,
        organization=objects["profiles.organization"].slug,
        publication=objects["publications.publication"].slug,
        publication_stable_id=objects["publications.publication"].stable_id,
        topic=objects["publications.topic"].slug,
        mediaitem=objects["media_items.mediaitem"].slug,
        outlet=objects["media_items.outlet"].slug,
    )
