from django.contrib.sitemaps import Sitemap

from .models import Publication, Topic


class PublicationSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Publication.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, paper):
        return paper.updated_at


class TopicSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Topic.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, topic):
        return topic.updated_at
