from django.contrib.sitemaps import Sitemap

from .models import Organization, Person


class PersonSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.9

    def items(self):
        return Person.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, person):
        return person.updated_at


class OrganizationSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.3

    def items(self):
        return Organization.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, organization):
        return organization.updated_at
