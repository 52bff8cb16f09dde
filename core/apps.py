from django.apps import AppConfig

# Apps whose rows appear on public pages: any change there refreshes the page cache.
CONTENT_APPS = {"core", "profiles", "publications", "media_items", "showcase"}
# Rows of those apps that no public page shows (import bookkeeping, link-check results):
# saving them must not throw away every cached page. An import's changes to papers bump
# the generation themselves.
NOT_SHOWN_MODELS = {"publications.importrun", "core.linkcheck"}


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Site core"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import checks  # noqa: F401  (registers the system checks)
        from .page_cache import bump_for_change

        def content_changed(sender, using=None, **kwargs):
            if (
                sender._meta.app_label in CONTENT_APPS
                and sender._meta.label_lower not in NOT_SHOWN_MODELS
            ):
                bump_for_change(using or "default")

        for name, signal in (
            ("post_save", post_save),
            ("post_delete", post_delete),
            ("m2m_changed", m2m_changed),
        ):
            signal.connect(content_changed, dispatch_uid=f"page-cache-{name}", weak=False)
