import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin
from reversion.models import Version

from .models import LinkCheck, SlugHistory
from .preview import SAVED, UNSAVED, render_preview, unsaved_instance
from .revisions import changes_between, history

AUDIT_FIELDS = ("stable_id", "created_at", "updated_at")
# The publishing window: visitors see an item only while it is published and inside it.
PUBLISHING_FIELDS = ("is_published", ("publish_at", "unpublish_at"))


class EditConflictForm(forms.ModelForm):
    """Refuses to save over someone else's save made since this form was opened."""

    seen_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.updated_at:
            self.fields["seen_version"].initial = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if not (self.instance.pk and seen):
            return cleaned
        model = type(self.instance)
        saved = model._default_manager.filter(pk=self.instance.pk).values_list(
            "updated_at", flat=True
        )
        current = saved.first()
        if current is None or current.isoformat() == seen:
            return cleaned
        raise ValidationError(conflict_message(self.instance, since=seen))


def conflict_message(obj, *, since):
    """Who changed what since ``since`` (ISO time), from the revisions saved in between."""
    newer = (
        Version.objects.get_for_object(obj)
        .filter(revision__date_created__gt=since)
        .select_related("revision__user")
        .order_by("revision__date_created")
    )
    previous = (
        Version.objects.get_for_object(obj)
        .filter(revision__date_created__lte=since)
        .order_by("-revision__date_created")
        .first()
    )
    changed, people = [], []
    baseline = previous is not None
    for version in newer:
        if previous is not None:
            changed += [
                c.label for c in changes_between(previous, version) if c.label not in changed
            ]
        user = version.revision.user
        name = user.get_username() if user else "an import or script"
        if name not in people:
            people.append(name)
        previous = version
    who = ", ".join(people) or "someone else"
    if changed:
        what = f" They changed: {', '.join(changed)}."
    elif not baseline:
        what = " (No earlier version was recorded, so what they changed cannot be shown.)"
    else:
        what = ""
    return (
        f"This item was saved by {who} after you opened it, so your changes were not saved."
        f"{what} Your edits are still in the form: copy what you need, reload the page to "
        "see the current version, and apply your changes again."
    )


class PublicModelAdmin(VersionAdmin):
    """Admin for every public model: revisions with a readable diff and restore, publishing
    actions, a refusal to overwrite a concurrent edit, and read-only audit fields."""

    form = EditConflictForm
    actions = ["publish", "unpublish"]
    readonly_fields = AUDIT_FIELDS
    list_per_page = 50
    save_on_top = True
    object_history_template = "admin/core/object_history.html"
    change_form_template = "admin/core/change_form.html"
    # The public detail view that renders this model's page; set by each app's admin.
    # With it, the change form gets "Preview" (saved) and "Preview changes" (unsaved).
    preview_view = None

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        name, options = fieldsets[0]
        first = {**options, "fields": (*options["fields"], "seen_version")}
        return [(name, first), *fieldsets[1:]]

    def _set_published(self, request, queryset, value):
        state = "published" if value else "unpublished"
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(f"Bulk action: {state}.")
            count = 0
            for obj in queryset:
                obj.is_published = value
                obj.save(update_fields=["is_published", "updated_at"])
                count += 1
        self.message_user(
            request,
            ngettext("%d item %s.", "%d items %s.", count) % (count, state),
            messages.SUCCESS,
        )

    @admin.action(description="Publish selected items", permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description="Unpublish selected items", permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    # -- preview ----------------------------------------------------------------------
    def get_urls(self):
        urls = super().get_urls()
        if self.preview_view is None:
            return urls
        opts = self.model._meta
        preview = path(
            "<path:object_id>/preview/",
            self.admin_site.admin_view(self.preview),
            name=f"{opts.app_label}_{opts.model_name}_preview",
        )
        return [preview, *urls]

    def preview_url(self, obj):
        opts = self.model._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_preview",
            args=(quote(obj.pk),),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if self.preview_view is not None:
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                extra_context["preview_url"] = self.preview_url(obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def preview(self, request, object_id):
        """The public page as a visitor would see it: the saved object on GET, the change
        form's unsaved values on POST (nothing is saved). Staff only (``admin_view``)."""
        obj = self._object_or_404(request, object_id)
        if request.method == "POST":
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
            form_class = self.get_form(request, obj, change=True)
            instance, form = unsaved_instance(form_class, request, obj)
            if instance is None:
                context = {
                    **self.admin_site.each_context(request),
                    "title": f"Cannot preview: {obj}",
                    "subtitle": None,
                    "form": form,
                    "object": obj,
                    "opts": self.model._meta,
                }
                return TemplateResponse(
                    request, "admin/core/preview_invalid.html", context, status=400
                )
            return render_preview(request, self.preview_view, instance, mode=UNSAVED)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return render_preview(request, self.preview_view, obj, mode=SAVED)

    def _object_or_404(self, request, object_id):
        """The object at ``object_id`` for a user who may view this model at all: 403 for
        one who may not (before the lookup, so existence is not revealed), 404 for an id
        that names no object (``get_object`` also answers None for a malformed id)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such item.")
        return obj

    def _own_version(self, version_id, **lookup):
        """reversion finds a version by its id (and object id) alone, whatever its model:
        through this model's URLs, a version of another model would be reverted, and on
        POST saved, under this model's permissions. Only this model's versions here."""
        return get_object_or_404(Version.objects.get_for_model(self.model), pk=version_id, **lookup)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        self._own_version(version_id, object_id=unquote(object_id))
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        self._own_version(version_id)
        return super().recover_view(request, version_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        """The change history with each revision's changes, field by field."""
        obj = self._object_or_404(request, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        opts = self.model._meta
        entries = history(obj)
        for entry in entries:
            entry["url"] = reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                args=(quote(obj.pk), entry["version"].pk),
            )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Change history: {obj}",
            "subtitle": None,
            "entries": entries,
            "module_name": str(opts.verbose_name_plural).capitalize(),
            "object": obj,
            "opts": opts,
            "preserved_filters": self.get_preserved_filters(request),
            "can_restore": self.has_change_permission(request, obj),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)


@admin.register(SlugHistory)
class SlugHistoryAdmin(admin.ModelAdmin):
    list_display = ("slug", "content_type", "object_id", "created_at")
    list_filter = ("content_type",)
    search_fields = ("slug",)
    readonly_fields = ("content_type", "object_id", "slug", "created_at")

    def has_add_permission(self, request):
        return False


@admin.register(LinkCheck)
class LinkCheckAdmin(admin.ModelAdmin):
    """Link health: broken links first; read-only (``manage.py check_links`` writes it)."""

    list_display = ("url", "status", "is_broken", "error", "checked_at", "snapshot_fetched_at")
    list_filter = ("is_broken", "status")
    search_fields = ("url", "final_url")
    date_hierarchy = "checked_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
