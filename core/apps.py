from django.apps import AppConfig
from django.contrib.admin import apps as django_admin


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = "Site core"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from core import checks  # noqa: F401  (registers the system checks)
        from core.http.page_cache import bump_for_change
        from core.models import shown_on_pages

        # A change to what public pages show refreshes the page cache; bookkeeping (import
        # runs, link checks, slug history) does not. An import bumps it itself.
        def content_changed(sender, using=None, **kwargs):
            if shown_on_pages(sender):
                bump_for_change(using or "default")

        for name, signal in (
            ("post_save", post_save),
            ("post_delete", post_delete),
            ("m2m_changed", m2m_changed),
        ):
            signal.connect(content_changed, dispatch_uid=f"page-cache-{name}", weak=False)


class AdminConfig(django_admin.AdminConfig):
    """``django.contrib.admin`` with ``core.admin_site.AdminSite`` as ``admin.site``. It
    lives here, not in ``core.admin``, which registers admins when imported."""

    default = False
    default_site = "core.admin_site.AdminSite"
