"""Photo uploads: only real JPEG, PNG or WebP images, within byte and pixel limits,
stored under a random file name (never the uploader's), and removed from storage once no
person uses them.

A photo that is replaced or cleared, or whose person is deleted, is deleted from storage
when the change commits (never before: a rolled-back save keeps its file), so a photo
someone took down is not served on at its old address. The receivers below are connected
in ``ProfilesConfig.ready`` to every save and delete of a person, whoever makes it (the
admin form, a restored revision, a script): one place for the file's lifetime. A revision
restored later that names a removed photo shows none.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.deconstruct import deconstructible
from PIL import Image

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


PHOTO_FOLDER = "people"


def photo_upload_to(instance, filename):
    """``people/<random>.<ext>``: the extension comes from the decoded format, not the name."""
    extension = getattr(instance, "_photo_extension", None) or "jpg"
    return f"{PHOTO_FOLDER}/{secrets.token_hex(12)}.{extension}"


# The folder, for what serves uploads (core.http.media.upload_folders): only files in it are.
photo_upload_to.folder = PHOTO_FOLDER


@deconstructible
class PhotoValidator:
    """Decode the upload and reject anything that is not an allowed, reasonably sized image.

    Checking the pixel count before decoding the pixels guards against decompression bombs
    (a tiny file that expands to gigabytes in memory)."""

    def __call__(self, upload):
        max_bytes = getattr(settings, "PHOTO_MAX_BYTES", 5 * 1024 * 1024)
        max_pixels = getattr(settings, "PHOTO_MAX_PIXELS", 40_000_000)
        if upload.size > max_bytes:
            raise ValidationError(
                f"The photo is {upload.size / 1_048_576:.1f} MB; the limit is "
                f"{max_bytes / 1_048_576:.0f} MB.",
                code="photo_too_big",
            )
        upload.seek(0)
        try:
            with Image.open(upload) as image:
                if image.format not in ALLOWED_FORMATS:
                    raise ValidationError(
                        f"Upload a JPEG, PNG or WebP image (this one is {image.format}).",
                        code="photo_format",
                    )
                width, height = image.size
                if width * height > max_pixels:
                    raise ValidationError(
                        f"The photo is {width}×{height} pixels; at most "
                        f"{max_pixels // 1_000_000} megapixels are allowed.",
                        code="photo_too_many_pixels",
                    )
                image.verify()
                extension = ALLOWED_FORMATS[image.format]
        except ValidationError:
            raise
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
            raise ValidationError(
                f"This file is not a readable image ({error}).", code="photo_unreadable"
            ) from None
        finally:
            upload.seek(0)
        instance = getattr(upload, "instance", None)
        if instance is not None:
            instance._photo_extension = extension

    def __eq__(self, other):
        return isinstance(other, PhotoValidator)


def remember_stored_photo(sender, instance, raw=False, update_fields=None, **kwargs):
    """``pre_save``: note the photo the row holds in the database before this save."""
    instance._stored_photo = ""
    if raw or instance.pk is None or (update_fields is not None and "photo" not in update_fields):
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("photo", flat=True)
    instance._stored_photo = stored.first() or ""


def release_replaced_photo(sender, instance, raw=False, using=None, **kwargs):
    """``post_save``: once the save commits, delete the photo it replaced or cleared."""
    stored = getattr(instance, "_stored_photo", "")
    if not raw and stored and stored != instance.photo.name:
        _delete_when_committed(sender, stored, using)


def release_deleted_photo(sender, instance, using=None, **kwargs):
    """``post_delete``: once the deletion commits, delete the person's photo."""
    if instance.photo.name:
        _delete_when_committed(sender, instance.photo.name, using)


def _delete_when_committed(model, name, using):
    def delete():
        if not model._default_manager.using(using).filter(photo=name).exists():
            model._meta.get_field("photo").storage.delete(name)

    transaction.on_commit(delete, using=using)
