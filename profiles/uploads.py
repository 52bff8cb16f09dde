"""Photo uploads: only real JPEG, PNG or WebP images, within byte and pixel limits,
stored under a random file name (never the uploader's)."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from PIL import Image

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def photo_upload_to(instance, filename):
    """``people/<random>.<ext>``: the extension comes from the decoded format, not the name."""
    extension = getattr(instance, "_photo_extension", None) or "jpg"
    return f"people/{secrets.token_hex(12)}.{extension}"


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
