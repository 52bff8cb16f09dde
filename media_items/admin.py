from django import forms
from django.contrib import admin

from core.admin import AUDIT_FIELDS, PUBLISHING_FIELDS, EditConflictForm, PublicModelAdmin
from core.admin.widgets import PairsField

from .models import Appearance, KeyPoint, MediaItem, Outlet


class AppearanceInline(admin.TabularInline):
    model = Appearance
    extra = 0
    autocomplete_fields = ("person",)
    fields = ("position", "person", "role")


class KeyPointInline(admin.TabularInline):
    model = KeyPoint
    extra = 0
    fields = ("position", "text")


class MediaItemAdminForm(EditConflictForm):
    """External identifiers as a two-column table, not JSON."""

    external_ids = PairsField(
        label="External identifiers",
        key_label="Site",
        value_label="Id",
        key_field=forms.CharField(max_length=200),
        value_field=forms.CharField(max_length=500),
        help_text="Ids other sites use for this item, e.g. Longterm Wiki resource: a1b2c3.",
    )

    class Meta:
        model = MediaItem
        fields = "__all__"


@admin.register(MediaItem)
class MediaItemAdmin(PublicModelAdmin):
    form = MediaItemAdminForm
    list_display = (
        "title",
        "kind",
        "outlet",
        "episode_number",
        "published_on",
        "importance",
        "is_published",
    )
    list_filter = ("is_published", "kind", "source_kind", "outlet", "appearances__role")
    list_editable = ("is_published",)
    list_select_related = ("outlet",)
    search_fields = ("title", "description", "summary", "outlet__name", "appearances__person__name")
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("outlet", "discusses", "topics")
    inlines = [AppearanceInline, KeyPointInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "slug",
                    "kind",
                    "outlet",
                    ("episode_number", "published_on", "duration"),
                    "description",
                )
            },
        ),
        ("Assessment", {"fields": (("importance", "source_kind"),)}),
        ("Summary", {"fields": ("summary",)}),
        ("Links", {"fields": ("url", "audio_url", "video_url", "transcript_url")}),
        ("Related", {"fields": ("discusses", "topics")}),
        (
            "Cached copy",
            {
                "fields": (
                    "cached_content",
                    "cached_content_fetched_at",
                    "cached_content_status",
                    "cached_content_size",
                ),
                "classes": ("collapse",),
            },
        ),
        ("External identifiers", {"fields": ("external_ids",), "classes": ("collapse",)}),
        ("Publishing", {"fields": (*PUBLISHING_FIELDS, "is_featured", *AUDIT_FIELDS)}),
    )


@admin.register(Outlet)
class OutletAdmin(PublicModelAdmin):
    list_display = ("name", "kind", "url", "is_published")
    list_filter = ("kind", "is_published")
    search_fields = ("name", "short_name")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "short_name", "slug", "kind", "url", "description")}),
        ("Publishing", {"fields": (*PUBLISHING_FIELDS, *AUDIT_FIELDS)}),
    )
