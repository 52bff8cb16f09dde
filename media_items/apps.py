from django.apps import AppConfig


class MediaItemsConfig(AppConfig):
    name = "media_items"
    verbose_name = "Media appearances"

    def ready(self):
        from . import (
            metadata,  # noqa: F401  (registers what its pages tell machines)
            search_kinds,  # noqa: F401  (registers what site search finds)
        )
