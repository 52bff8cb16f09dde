from django.apps import AppConfig


class ShowcaseConfig(AppConfig):
    """Pages and editorial lists that combine the three content apps.

    It sits above profiles, publications and media_items so that those apps keep
    their one-way data dependencies: selected work on a profile can point at a paper
    or a media item without profiles depending on either.
    """

    name = "showcase"
    verbose_name = "Showcase"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import editors

        post_migrate.connect(editors.ensure_editors_group, sender=self)
