from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import path

from core.admin import AUDIT_FIELDS, PUBLISHING_FIELDS, PublicModelAdmin
from profiles.models import Person

from .admin_forms import PublicationAdminForm, source_record_html
from .admin_import import import_view
from .admin_runs import ImportRunFilter
from .authorships import link_by_name
from .identifiers import normalize_arxiv_id, normalize_doi
from .models import Authorship, Publication, Topic

DATE_FORMATS = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}


class AuthorshipFormSet(BaseInlineFormSet):
    """An author without a position (behind “et al.”) needs an incomplete author list,
    and a person is an author of a paper once. A name typed with no person chosen is
    linked to the one person known by it (``link_by_name``); ``name_links`` says what
    was linked and what was not, for the messages after saving."""

    people = None  # the people the editor may see (set by AuthorshipInline.get_formset)
    name_links = None

    def clean(self):
        super().clean()
        forms = [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        self._link_typed_names(forms)
        kept = [form.cleaned_data for form in forms]
        if any(d.get("position") is None for d in kept) and not self.instance.has_more_authors:
            raise ValidationError(
                "An author without a position is one behind “et al.”: tick “author list "
                "incomplete”, or give every author a position."
            )
        people = [d["person"].pk for d in kept if d.get("person")]
        if len(people) != len(set(people)):
            raise ValidationError("A person can be an author of a paper only once.")

    def _link_typed_names(self, forms):
        """Rows whose name was typed or changed and whose person was left empty (not
        cleared on purpose) are linked by name."""
        if self.people is None:
            return
        typed = [
            form
            for form in forms
            if not form.errors
            and not form.cleaned_data.get("person")
            and "name" in form.changed_data
            and "person" not in form.changed_data
        ]
        taken = {
            form.cleaned_data["person"].pk for form in forms if form.cleaned_data.get("person")
        }
        self.name_links = link_by_name(
            [form.instance for form in typed], people=self.people, taken=taken
        )
        for form in typed:
            if form.instance.person_id:
                form.cleaned_data["person"] = form.instance.person


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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "name":
            field.help_text = (
                "As the paper writes it. With no person chosen, saving links the one "
                "person known by this name or a name variant."
            )
        return field

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.people = Person.objects.visible_to(request.user)
        return formset


@admin.register(Publication)
class PublicationAdmin(PublicModelAdmin):
    form = PublicationAdminForm
    list_display = (
        "title",
        "date",
        "kind",
        "category",
        "cited",
        "is_published",
        "is_featured",
    )
    list_filter = (
        "is_published",
        "is_featured",
        "kind",
        "arxiv_primary_category",
        "topics",
        ImportRunFilter,
    )
    list_editable = ("is_published", "is_featured")
    search_fields = ("title", "doi", "arxiv_id", "semantic_scholar_id", "openalex_id", "venue")
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("topics", "organizations")
    inlines = [AuthorshipInline]
    # Links the import page; extends reversion's change list (PublicModelAdmin's).
    change_list_template = "admin/publications/publication/change_list.html"
    actions = ["publish", "unpublish", "feature", "unfeature"]
    readonly_fields = (*AUDIT_FIELDS, "edited_fields", "source")
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
        ("Source", {"fields": ("source",), "classes": ("collapse",)}),
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

    # Short columns, so that the list fits next to its filters at 1280 px.
    @admin.display(description="date", ordering="published_on")
    def date(self, paper):
        """The date at its precision: 2024, 2024-03 or 2024-03-18."""
        if paper.published_on is None:
            return "—"
        return paper.published_on.strftime(DATE_FORMATS.get(paper.date_precision, "%Y-%m-%d"))

    @admin.display(description="category", ordering="arxiv_primary_category")
    def category(self, paper):
        return paper.arxiv_primary_category or "—"

    @admin.display(description="cited", ordering="citation_count")
    def cited(self, paper):
        return "—" if paper.citation_count is None else paper.citation_count

    @admin.display(description="source record")
    def source(self, paper):
        return source_record_html(paper.source_record)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if getattr(formset, "name_links", None) is not None:
            done, ask = formset.name_links.messages()
            for text in done:
                self.message_user(request, text, messages.SUCCESS)
            for text in ask:
                self.message_user(request, text, messages.WARNING)

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
    list_display = ("name", "is_published", "updated_at")
    list_filter = ("is_published",)
    search_fields = ("name", "summary")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "slug", "summary")}),
        ("Publishing", {"fields": (*PUBLISHING_FIELDS, *AUDIT_FIELDS)}),
    )
