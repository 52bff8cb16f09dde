"""Import runs in the admin: a readable summary of each run, with links to the papers
it created and changed, what it skipped and why, and "Publish the drafts this run
created". Read-only: only the importer writes runs.
"""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from .models import ImportRun, ImportRunPaper, Publication

#: Papers listed per action on a run's page; the rest are one link away (the paper list
#: filtered by the run).
LISTED = 50
OPTION_LABELS = {
    "publish": "Publish new papers",
    "overwrite": "Replace what editors changed",
    "skip_invalid": "Skip invalid records",
}


def run_papers_url(run_pk, action) -> str:
    """The paper list narrowed to the papers ``run_pk`` created or updated."""
    url = reverse("admin:publications_publication_changelist")
    return f"{url}?{ImportRunFilter.parameter_name}={run_pk}-{action}"


class ImportRunFilter(admin.SimpleListFilter):
    """``?import_run=12-created`` (or ``-updated``) on the paper list: the papers import
    run #12 created (or changed). Shown only when in use (links from a run's page)."""

    title = "import run"
    parameter_name = "import_run"

    def _parsed(self):
        run, _, action = (self.value() or "").partition("-")
        if run.isdigit() and action in ImportRunPaper.Action.values:
            return int(run), action
        return None

    def lookups(self, request, model_admin):
        if self.value() is None:
            return []
        parsed = self._parsed()
        if parsed is None:
            return [(self.value(), "No such import run")]
        run, action = parsed
        return [(self.value(), f"Run #{run}: {ImportRunPaper.Action(action).label.lower()}")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        parsed = self._parsed()
        if parsed is None:
            return queryset.none()
        run, action = parsed
        return queryset.filter(import_records__run_id=run, import_records__action=action)


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ("started_at", "result", "source_name", "run_by")
    list_display_links = ("started_at",)
    list_filter = ("status", "format")
    search_fields = ("source", "checksum")
    date_hierarchy = "started_at"
    list_select_related = ("user",)
    actions = ["publish_created_drafts"]
    change_form_template = "admin/publications/importrun/change_form.html"
    fieldsets = (
        (None, {"fields": ("summary", "source", "run_by", "started_at", "finished_at")}),
        ("Papers", {"fields": ("created_papers", "updated_papers")}),
        ("Problems and notes", {"fields": ("readable_messages",)}),
        ("Options", {"fields": ("readable_options",)}),
        (
            "Technical details",
            {"fields": ("format", "checksum", "world_state"), "classes": ("collapse",)},
        ),
    )
    readonly_fields = (
        "summary",
        "source",
        "run_by",
        "started_at",
        "finished_at",
        "created_papers",
        "updated_papers",
        "readable_messages",
        "readable_options",
        "format",
        "checksum",
        "world_state",
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.has_perm("publications.view_publication"):
            return fieldsets
        # The papers' titles (drafts too) are for those who may view papers.
        return [fieldset for fieldset in fieldsets if fieldset[0] != "Papers"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_publish_permission(self, request):
        return request.user.has_perm("publications.change_publication")

    # -- the list and the page ------------------------------------------------------------
    @admin.display(description="result")
    def result(self, run):
        """``Succeeded: 4 created, 0 updated, 1 skipped`` (other counts when not zero)."""
        parts = [f"{run.created} created", f"{run.updated} updated"]
        parts += [
            f"{count} {label}"
            for count, label in (
                (run.unchanged, "unchanged"),
                (run.skipped, "skipped"),
                (run.failed, "failed"),
            )
            if count
        ]
        return f"{run.get_status_display()}: {', '.join(parts)}"

    @admin.display(description="source", ordering="source")
    def source_name(self, run):
        return Truncator(run.source).chars(80)

    @admin.display(description="run by")
    def run_by(self, run):
        return run.user.get_username() if run.user else "the command line or a script"

    @admin.display(description="summary")
    def summary(self, run):
        status, _, counts = self.result(run).partition(": ")
        return format_html("<strong>{}</strong>: {}", status, counts)

    def _papers(self, run, action):
        records = (
            run.papers.filter(action=action)
            .select_related("publication")
            .order_by("publication__title")
        )
        total = records.count()
        if not total:
            return "None"
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a>{}</li>',
            (
                (
                    reverse("admin:publications_publication_change", args=[r.publication_id]),
                    r.publication.title,
                    "" if r.publication.is_published else " (draft)",
                )
                for r in records[:LISTED]
            ),
        )
        more = ""
        if total > LISTED:
            more = format_html(
                '<p><a href="{}">All {} in the paper list</a></p>',
                run_papers_url(run.pk, action),
                total,
            )
        return format_html('<div class="readable-summary"><ul>{}</ul>{}</div>', items, more)

    @admin.display(description="created")
    def created_papers(self, run):
        return self._papers(run, ImportRunPaper.Action.CREATED)

    @admin.display(description="updated")
    def updated_papers(self, run):
        return self._papers(run, ImportRunPaper.Action.UPDATED)

    @admin.display(description="messages")
    def readable_messages(self, run):
        groups = {"error": [], "skipped": [], "warning": []}
        for message in run.messages or []:
            if not isinstance(message, dict):
                continue
            level = "skipped" if message.get("skipped") else message.get("level", "warning")
            groups.setdefault(level, []).append(message)
        parts = []
        for level, title in (
            ("error", "Errors"),
            ("skipped", "Skipped (not papers)"),
            ("warning", "Notes"),
        ):
            if groups.get(level):
                parts.append(
                    format_html(
                        "<p><strong>{}</strong></p><ul>{}</ul>",
                        title,
                        format_html_join(
                            "",
                            "<li>{}{}</li>",
                            (
                                (
                                    f"{m['location']}: " if m.get("location") else "",
                                    m.get("message", ""),
                                )
                                for m in groups[level]
                            ),
                        ),
                    )
                )
        if not parts:
            return "None"
        return format_html(
            '<div class="readable-summary">{}</div>',
            format_html_join("", "{}", ((p,) for p in parts)),
        )

    @admin.display(description="options")
    def readable_options(self, run):
        options = run.options or {}
        rows = [
            (label, "yes" if options.get(key) else "no") for key, label in OPTION_LABELS.items()
        ]
        if options.get("person"):
            rows.append(("For the profile", options["person"]))
        if options.get("formats"):
            rows.append(("Format given", ", ".join(options["formats"])))
        return format_html(
            '<div class="readable-summary"><table><tbody>{}</tbody></table></div>',
            format_html_join("", '<tr><th scope="row">{}</th><td>{}</td></tr>', rows),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        run = self.get_object(request, object_id)
        if run is not None and self.has_publish_permission(request):
            extra_context["drafts_created"] = self._drafts(
                ImportRun.objects.filter(pk=run.pk)
            ).count()
        return super().change_view(request, object_id, form_url, extra_context)

    # -- publishing what a run created ----------------------------------------------------
    def _drafts(self, runs):
        return Publication.objects.filter(
            is_published=False,
            import_records__run__in=runs,
            import_records__action=ImportRunPaper.Action.CREATED,
        ).distinct()

    @admin.action(description="Publish the drafts these runs created", permissions=["publish"])
    def publish_created_drafts(self, request, queryset):
        """Publishes, with a revision, the papers the runs created that are still drafts
        (the paper list's own "publish" action: one rule for publishing)."""
        papers = self._drafts(queryset)
        self.admin_site._registry[Publication].publish(request, papers)
        if request.POST.get("from_run") and len(queryset) == 1:
            return HttpResponseRedirect(
                reverse("admin:publications_importrun_change", args=[queryset[0].pk])
            )
        return None
