"""Writing a media item's ordered lists (people appearing, key points) as a whole."""

from django.db import transaction

from .models import Appearance, KeyPoint


def set_appearances(*, media_item, appearances):
    """Replace who appears in ``media_item`` with ``appearances``, in order. Each is a
    mapping with ``person`` and ``role``."""
    with transaction.atomic():
        media_item.appearances.all().delete()
        Appearance.objects.bulk_create(
            Appearance(
                media_item=media_item,
                person=appearance["person"],
                role=appearance.get("role", Appearance.Role.GUEST),
                position=position,
            )
            for position, appearance in enumerate(appearances)
        )


def set_key_points(*, media_item, texts):
    """Replace the key points of ``media_item`` with ``texts``, in order."""
    with transaction.atomic():
        media_item.key_points.all().delete()
        KeyPoint.objects.bulk_create(
            KeyPoint(media_item=media_item, position=position, text=text)
            for position, text in enumerate(texts)
        )
