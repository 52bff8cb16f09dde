from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import path

from core.admin import AUDIT_FIELDS, PUBLISHING_FIELDS, PublicModelAdmin

from .admin_import import import_view
from .identifiers import normalize_arxiv_id, normalize_doi
from .models import Authorship, ImportRun, Publication, Topic
from .views import PublicationDetailView, TopicDetailView


class AuthorshipFormSet(BaseInlineFormSet):
    """An author without a position (behind “et al.”) needs an incomplete author list,
    and a person is an author of a paper once."""

    def clean(self):
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if any(d.get("position") is None for d in kept) and not self.instance.has_more_authors:
            raise ValidationError(
                "An author without a position is one behind “et al.”: tick “author list "
                "incomplete”, or give every author a position."
            )
        people = [d["person"].pk for d in kept if d.get("person")]
        if len(people) != len(set(people)):
            raise ValidationError("A person can be an author of a paper only once.")


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    verbose_name, verbose_name_plural = "author", "authors"
    formset = AuthorshipFormSet
    extra = 0
    autocomplete_fields = ("person", "affiliations")
    fields = (
        "position",
        "name",
        "person",
        "affiliations",
        "is_equal_contribution",
        "is_corresponding",
    )


@admin.register(Publication)
class PublicationAdmin(PublicModelAdmin):
    preview_view = PublicationDetailView
    list_display = (
        "title",
        "published_on",
        "kind",
        "arxiv_primary_category",
        "citation_count",
        "is_published",
        "is_featured",
    )
    list_filter = ("is_published", "is_featured", "kind", "arxiv_primary_category", "topics")
    list_editable = ("is_published", "is_featured")
    search_fields = ("title", "doi", "arxiv_id", "semantic_scholar_id", "openalex_id", "venue")
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("topics", "organizations")
    inlines = [AuthorshipInline]
    # Links the import page; extends reversion's change list (PublicModelAdmin's).
    change_list_template = "admin/publications/publication/change_list.html"
    actions = ["publish", "unpublish", "feature", "unfeature"]
    readonly_fields = (*AUDIT_FIELDS, "edited_fields")
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "published_on", "date_precision")}),
        ("Abstract", {"fields": ("abstract",)}),
        (
            "Venue",
            {
                "fields": (
                    "venue",
                    ("volume", "issue", "pages"),
                    "publisher",
                    "journal_ref",
                    "note",
                ),
            },
        ),
        (
            "Identifiers and links",
            {
                "fields": (
                    "doi",
                    ("arxiv_id", "arxiv_version"),
                    "semantic_scholar_id",
                    "openalex_id",
                    "url",
                    "pdf_url",
                    "code_url",
                )
            },
        ),
        (
            "Classification",
            {
                "fields": (
                    "arxiv_primary_category",
                    "arxiv_categories",
                    "topics",
                    "organizations",
                    "keywords",
                    "has_more_authors",
                )
            },
        ),
        (
            "Citations",
            {
                "fields": (
                    "citation_count",
                    "citation_count_as_of",
                    "citation_source",
                    "citations_by_year",
                ),
                "classes": ("collapse",),
            },
        ),
        (
            "Publishing",
            {"fields": (*PUBLISHING_FIELDS, "is_featured", *AUDIT_FIELDS, "edited_fields")},
        ),
        ("Source", {"fields": ("source_record",), "classes": ("collapse",)}),
    )

    def get_urls(self):
        view = self.admin_site.admin_view(lambda request: import_view(request, self))
        return [path("import/", view, name="publications_publication_import"), *super().get_urls()]

    def get_search_results(self, request, queryset, search_term):
        # Editors paste ids in every form: "https://doi.org/10.…", "arXiv:2401.05566v2".
        term = search_term.strip()
        if term:
            doi, arxiv_id = normalize_doi(term), normalize_arxiv_id(term)
            if doi or arxiv_id:
                exact = queryset.filter(doi__iexact=doi) if doi else queryset.none()
                if arxiv_id:
                    exact = exact | queryset.filter(arxiv_id=arxiv_id)
                if exact.exists():
                    return exact, False
        return super().get_search_results(request, queryset, search_term)

    def save_model(self, request, obj, form, change):
        # What an editor changes by hand is kept through later imports (unless --overwrite).
        if change and form.changed_data:
            obj.note_edited(form.changed_data)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and any(formset.has_changed() for formset in formsets):
            form.instance.note_edited(["authorships"])  # the author rows, likewise
            form.instance.save(update_fields=["edited_fields"])

    @admin.action(description="Feature selected papers", permissions=["change"])
    def feature(self, request, queryset):
        queryset.update(is_featured=True)

    @admin.action(description="Stop featuring selected papers", permissions=["change"])
    def unfeature(self, request, queryset):
        queryset.update(is_featured=False)


@admin.register(Topic)
class TopicAdmin(PublicModelAdmin):
    preview_view = TopicDetailView
    list_display = ("name", "is_published", "updated_at")
    list_filter = ("is_published",)
    search_fields = ("name", "summary")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "slug", "summary")}),
        ("Publishing", {"fields": (*PUBLISHING_FIELDS, *AUDIT_FIELDS)}),
    )


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = (
        "started_at",
        "source",
        "format",
        "user",
        "status",
        "is_dry_run",
        "created",
        "updated",
        "unchanged",
        "skipped",
        "failed",
    )
    list_filter = ("status", "format", "is_dry_run")
    search_fields = ("source", "checksum")
    date_hierarchy = "started_at"
    list_select_related = ("user",)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
