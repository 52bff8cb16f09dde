"""The admin's side of revisions: History (each version with what changed), a restore
page that shows what will change before anything does, recovery of deleted objects, and
the refusal to save over someone else's newer save.

What a version holds, and how it is compared and restored, is in ``core.db.revisions`` and
``core.db.restore``; here are only the views and the form.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin import options
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.formats import localize
from django.utils.timezone import template_localtime
from reversion.admin import VersionAdmin
from reversion.models import Version

from core.db import revisions
from core.db.restore import RestoreError, plan_restore, restore


def _milliseconds(moment):
    """Versions keep times to the millisecond (Django's JSON encoder)."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _seen_version(obj, seen):
    """The newest version of ``obj`` that holds the state saved at ``seen`` (the
    ``updated_at`` the editor's form was opened on), and the versions after it."""
    versions = list(revisions.versions_of(obj))
    seen = _milliseconds(seen)
    for index in range(len(versions) - 1, -1, -1):
        try:
            saved = versions[index].field_dict.get("updated_at")
        except revisions.READ_ERRORS:  # an unreadable old version is simply not it
            continue
        if saved is not None and _milliseconds(saved) == seen:
            return versions[index], versions[index + 1 :]
    return None, [v for v in versions if v.revision.date_created > seen]


def conflict_message(obj, *, since):
    """Who saved ``obj`` after ``since`` (the ``updated_at`` the form was opened on),
    when, and which fields and rows differ from what the form was opened on."""
    current = type(obj)._base_manager.get(pk=obj.pk)
    baseline, later = _seen_version(obj, since)
    people = []
    for version in later:
        user = version.revision.user
        name = user.get_username() if user else "an import or a script"
        if name not in people:
            people.append(name)
    who = ", ".join(people) or "someone else (a script or an import that kept no version)"
    when = localize(template_localtime(current.updated_at))
    if baseline is not None:
        try:
            changed = revisions.differences(
                revisions.state_of_version(baseline), revisions.state_of_object(current)
            )
            what = (
                f" They changed: {', '.join(change.label for change in changed)}."
                if changed
                else " No field you can edit differs."
            )
        except revisions.UnreadableVersion:
            what = ""
    else:
        what = " (The version you opened was not recorded, so what changed cannot be shown.)"
    return (
        f"This item was saved by {who} on {when}, after you opened it, so your changes were "
        f"not saved.{what} Your edits are still in the form: copy what you need, reload "
        "the page to see the current version, and apply your changes again."
    )


class EditConflictForm(forms.ModelForm):
    """Refuses to save over someone else's save made since this form was opened."""

    seen_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.updated_at:
            self.fields["seen_version"].initial = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        seen = parse_datetime(cleaned.get("seen_version") or "")
        if not (self.instance.pk and seen):
            return cleaned
        model = type(self.instance)
        current = (
            model._base_manager.filter(pk=self.instance.pk)
            .values_list("updated_at", flat=True)
            .first()
        )
        if current is None or current == seen:
            return cleaned
        raise ValidationError(conflict_message(self.instance, since=seen))


def follows_of(model_admin):
    """The relations a version of the admin's model follows, its inlines' rows, each with
    the inline's name for them."""
    follow = {}
    for inline in model_admin.inlines:
        if issubclass(inline, options.InlineModelAdmin):
            model, name = model_admin._reversion_introspect_inline_admin(inline)
            if name:
                follow[name] = inline.verbose_name_plural or model._meta.verbose_name_plural
    return follow


class RevisionAdminMixin(VersionAdmin):
    """History, restore and recovery for a model admin; the versions follow exactly the
    rows its inlines edit (declared by ``inlines``, nowhere else)."""

    object_history_template = "admin/core/object_history.html"
    restore_template = "admin/core/restore.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        revisions.register(self.model, follows_of(self))

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
        through this model's URLs, a version of another model would be restored under
        this model's permissions. Only this model's versions here."""
        return get_object_or_404(Version.objects.get_for_model(self.model), pk=version_id, **lookup)

    def _url(self, name, *args):
        opts = self.model._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{name}", args=args
        )

    def history_view(self, request, object_id, extra_context=None):
        """The change history with each version's changes, field by field."""
        obj = self._object_or_404(request, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        opts = self.model._meta
        entries = revisions.history(obj)
        for entry in entries:
            entry["url"] = self._url("revision", quote(obj.pk), entry["version"].pk)
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

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """One version: what restoring it would change, and a button that does it."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        version = self._own_version(version_id, object_id=unquote(object_id))
        obj = self._object_or_404(request, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        allowed = self.has_change_permission(request, obj)
        return self._restore_page(request, version, obj, allowed, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        """A deleted object's last version: what recovering it brings back."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        version = self._own_version(version_id)
        if self.model._base_manager.filter(pk=version.object_id).exists():
            return redirect(self._url("revision", quote(version.object_id), version.pk))
        return self._restore_page(request, version, None, True, extra_context)

    def _restore_page(self, request, version, obj, allowed, extra_context):
        if request.method == "POST":
            if not allowed:
                raise PermissionDenied
            try:
                plan = restore(version, user=request.user)
            except RestoreError as error:
                messages.error(request, f"Nothing was restored: {error}")
                return redirect(request.path)
            restored = self.model._base_manager.get(pk=version.object_id)
            if plan.obj is not None and not plan.changes:
                messages.info(request, "This version is the same as the current one.")
            else:
                messages.success(
                    request, f"Restored {revisions.describe(version)} of “{restored}”."
                )
            return redirect(self._url("change", quote(restored.pk)))
        plan = plan_restore(version)
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": (
                f"Restore {revisions.describe(version)}"
                if obj
                else f"Recover {version.object_repr}"
            ),
            "subtitle": None,
            "object": obj,
            "version": version,
            "plan": plan,
            "can_restore": allowed and plan.can_restore,
            "opts": opts,
            "module_name": str(opts.verbose_name_plural).capitalize(),
            "history_url": self._url("history", quote(obj.pk)) if obj else None,
            "recover": obj is None,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.restore_template, context)
