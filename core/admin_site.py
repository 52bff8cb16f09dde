"""The project's admin site: Django's own, named after the site (``SITE_NAME``), with
two limits.

* "View on site" only for the models the user may view in the admin. Django's
  ``admin/r/<content type>/<id>/`` redirects any staff user to any object's public URL;
  for a draft that URL is its slug, usually its title, so a staff account without
  permission on a model could read where its drafts will be published by trying ids.
* Every model admin's search (``?q=``, autocomplete too) uses at most ``MAX_SEARCH_WORDS``
  words and ``MAX_SEARCH_CHARS`` characters. Django ANDs one condition per word over all
  search fields: a thousand words are a query SQLite refuses ("expression tree is too
  large", a 500) and PostgreSQL works on for many seconds.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import path
from django.utils.text import smart_split

from core.http.limits import MAX_SEARCH_CHARS, MAX_SEARCH_WORDS


class BoundedSearch:
    """Mixed into every model admin registered on ``AdminSite`` (see ``register``)."""

    def get_search_results(self, request, queryset, search_term):
        words = list(smart_split(search_term))
        if len(words) > MAX_SEARCH_WORDS or len(search_term) > MAX_SEARCH_CHARS:
            search_term = " ".join(words[:MAX_SEARCH_WORDS])[:MAX_SEARCH_CHARS]
            messages.warning(
                request,
                f"Searches use at most {MAX_SEARCH_WORDS} words and {MAX_SEARCH_CHARS} "
                f"characters: this one searched for {search_term}.",
            )
        return super().get_search_results(request, queryset, search_term)


class AdminSite(admin.AdminSite):
    # Read when a page is rendered, so a changed SITE_NAME (or a test's) shows at once.
    @property
    def site_header(self):
        return settings.SITE_NAME

    @property
    def site_title(self):
        return f"{settings.SITE_NAME} admin"

    @property
    def index_title(self):
        return f"{settings.SITE_NAME}: dashboard"

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, BoundedSearch):
            # Also the admins of other apps (users, groups, tokens, login attempts).
            admin_class = type(
                admin_class.__name__,
                (BoundedSearch, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)

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
