from django.contrib import admin

from core.admin import AUDIT_FIELDS, PUBLISHING_FIELDS, PublicModelAdmin

from .models import Affiliation, Organization, Person, ProfileLink, ReportedMetric


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ("organization",)
    fields = ("position", "organization", "role", "is_current", "start_date", "end_date")


class ProfileLinkInline(admin.TabularInline):
    model = ProfileLink
    extra = 0
    fields = ("position", "kind", "label", "url", "is_highlighted")


class ReportedMetricInline(admin.TabularInline):
    model = ReportedMetric
    extra = 0
    fields = ("position", "label", "value", "source", "source_url", "as_of")


@admin.register(Person)
class PersonAdmin(PublicModelAdmin):
    list_display = ("name", "headline", "is_published", "is_featured", "updated_at")
    list_filter = ("is_published", "is_featured", "affiliations__organization")
    list_editable = ("is_published", "is_featured")
    search_fields = ("name", "name_variants", "public_email", "orcid", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [AffiliationInline, ProfileLinkInline, ReportedMetricInline]
    fieldsets = (
        (None, {"fields": ("name", "slug", "pronouns", "headline", "photo")}),
        ("About", {"fields": ("bio", "public_email", "disclaimer")}),
        (
            "Identifiers",
            {
                "fields": (
                    "orcid",
                    "semantic_scholar_id",
                    "openalex_id",
                    "dblp_id",
                    "google_scholar_id",
                    "arxiv_author_id",
                    "name_variants",
                ),
                "classes": ("collapse",),
            },
        ),
        ("Publishing", {"fields": (*PUBLISHING_FIELDS, "is_featured", *AUDIT_FIELDS)}),
    )


@admin.register(Organization)
class OrganizationAdmin(PublicModelAdmin):
    list_display = ("name", "short_name", "kind", "is_published")
    list_filter = ("kind", "is_published")
    search_fields = ("name", "short_name", "ror_id")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "short_name", "slug", "kind", "url", "ror_id")}),
        ("Publishing", {"fields": (*PUBLISHING_FIELDS, *AUDIT_FIELDS)}),
    )
