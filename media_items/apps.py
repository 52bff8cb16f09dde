from django.apps import AppConfig


class MediaItemsConfig(AppConfig):
    name = "media_items"
    verbose_name = "Media appearances"
