from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "People and organizations"

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_save

        from . import metadata, search_kinds, uploads  # noqa: F401  (they register)
        from .models import Person

        # A replaced, cleared or deleted photo leaves storage once the change commits.
        for signal, receiver in (
            (pre_save, uploads.remember_stored_photo),
            (post_save, uploads.release_replaced_photo),
            (post_delete, uploads.release_deleted_photo),
        ):
            signal.connect(receiver, sender=Person, dispatch_uid=f"person-{receiver.__name__}")
