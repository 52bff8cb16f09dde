from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Site core"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import checks  # noqa: F401  (registers the system checks)
        from .models import shown_on_pages
        from .page_cache import bump_for_change

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
