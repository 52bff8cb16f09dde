"""The project's admin site: Django's own, with "View on site" limited to the models the
user may view in the admin.

Django's ``admin/r/<content type>/<id>/`` redirects any staff user to any object's public
URL. For a draft that URL is its slug, usually its title: a staff account without
permission on a model could read where its drafts will be published by trying ids.
"""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import path


class AdminSite(admin.AdminSite):
    def get_urls(self):
        urls = super().get_urls()
        checked = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [checked if getattr(url, "name", None) == "view_on_site" else url for url in urls]

    def view_on_site(self, request, content_type_id, object_id):
        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except (ContentType.DoesNotExist, ValueError, ValidationError):
            raise Http404("No such content type.") from None
        model_admin = self._registry.get(model)
        if model_admin is None or not model_admin.has_view_or_change_permission(request):
            raise PermissionDenied
        return shortcut(request, content_type_id, object_id)
