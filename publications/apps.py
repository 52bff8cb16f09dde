from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = "Publications"

    def ready(self):
        from . import (
            metadata,  # noqa: F401  (registers what its pages tell machines)
            search_kinds,  # noqa: F401  (registers what site search finds)
        )
