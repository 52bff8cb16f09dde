"""The site's sitemap: the list pages here, each app's published objects in its own
``sitemaps`` module. ``SITEMAPS`` is what ``/sitemap.xml`` (an index) lists."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from media_items.sitemaps import MediaItemSitemap, OutletSitemap
from profiles.sitemaps import OrganizationSitemap, PersonSitemap
from publications.sitemaps import PublicationSitemap, TopicSitemap


class PagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return [
            "site:home",
            "people:list",
            "publications:list",
            "media:list",
            "topics:list",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PagesSitemap,
    "people": PersonSitemap,
    "publications": PublicationSitemap,
    "media": MediaItemSitemap,
    "topics": TopicSitemap,
    "organizations": OrganizationSitemap,
    "outlets": OutletSitemap,
}
