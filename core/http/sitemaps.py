"""``/sitemap.xml`` and its sections: Django's sitemap views, with every ``<loc>`` made
absolute by ``core.http.site_url`` (Django's own views take the host from the request)."""

from urllib.parse import urlsplit

from django.contrib.sitemaps import views
from django.views.decorators.http import require_safe

from core.http.site_url import absolute_url


def _on_this_site(request, url):
    parts = urlsplit(url)
    return absolute_url(request, parts.path + (f"?{parts.query}" if parts.query else ""))


@require_safe
def index(request, sitemaps, **kwargs):
    response = views.index(request, sitemaps, **kwargs)
    response.context_data["sitemaps"] = [
        views.SitemapIndexItem(_on_this_site(request, item.location), item.last_mod)
        for item in response.context_data["sitemaps"]
    ]
    return response


@require_safe
def sitemap(request, sitemaps, **kwargs):
    response = views.sitemap(request, sitemaps, **kwargs)
    for url in response.context_data["urlset"]:
        url["location"] = _on_this_site(request, url["location"])
        for alternate in url.get("alternates", ()):
            alternate["location"] = _on_this_site(request, alternate["location"])
    return response


# The page of a section (``?p=2``) is the only parameter they read (core.http.query).
index.query_parameters = sitemap.query_parameters = ("p",)
