from django.contrib.sitemaps import Sitemap

from .models import MediaItem, Outlet


class MediaItemSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return MediaItem.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class OutletSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.3

    def items(self):
        return Outlet.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, outlet):
        return outlet.updated_at
