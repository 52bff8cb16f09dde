from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import ngettext

from core.admin.revisions import EditConflictForm, RevisionAdminMixin
from core.db.revisions import recorded
from core.http.preview import SAVED, UNSAVED, render_preview, unsaved_instance
from core.models import LinkCheck, SlugHistory

AUDIT_FIELDS = ("stable_id", "created_at", "updated_at")
# The publishing window: visitors see an item only while it is published and inside it.
PUBLISHING_FIELDS = ("is_published", ("publish_at", "unpublish_at"))


class PublicModelAdmin(RevisionAdminMixin):
    """Admin for every public model: revisions with a readable diff and restore, publishing
    actions, a refusal to overwrite a concurrent edit, and read-only audit fields."""

    form = EditConflictForm
    actions = ["publish", "unpublish"]
    readonly_fields = AUDIT_FIELDS
    list_per_page = 50
    save_on_top = True
    # The change form has "Preview" (saved) and "Preview changes" (unsaved): the page at
    # the object's ``get_absolute_url()``, rendered by whichever view serves it.
    change_form_template = "admin/core/change_form.html"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        name, options = fieldsets[0]
        first = {**options, "fields": (*options["fields"], "seen_version")}
        return [(name, first), *fieldsets[1:]]

    def _set_published(self, request, queryset, value):
        state = "published" if value else "unpublished"
        with recorded(user=request.user, comment=f"Bulk action: {state}."):
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
            return render_preview(request, instance, mode=UNSAVED)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return render_preview(request, obj, mode=SAVED)


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
