"""Uploaded files (people's photos) served from ``MEDIA_ROOT`` on a one-machine site.

whitenoise serves only what ``collectstatic`` found at start-up, so uploads need their
own route when they live on this machine's disk (the default storage). Only image types
that the upload validator accepts are served, each with the content type of its
extension (the validator names files by their decoded format, so the two agree), never
sniffed, and never rendered as a document that could run anything
(``Content-Security-Policy: sandbox``) even when opened on its own. Only real uploads
are served: files inside the folders the models upload to (``upload_folders``), reached
without following a symbolic link. Anything else under ``MEDIA_ROOT`` is a 404, as is any
path outside it.

With object storage (``DJANGO_MEDIA_STORAGE=s3``) files are served by the bucket or its
CDN and this route is not installed.
"""

import functools
import posixpath
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from django.urls import re_path
from django.utils._os import safe_join
from django.utils.http import http_date
from django.utils.module_loading import import_string
from django.views.decorators.http import require_safe

CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}

# Uploaded names are random and never reused, so a browser may keep a file for long.
MAX_AGE_SECONDS = 7 * 24 * 3600


@functools.cache
def upload_folders():
    """The folders under ``MEDIA_ROOT`` that models' file fields upload to: an
    ``upload_to`` path (up to its first date placeholder), or the ``folder`` that an
    ``upload_to`` function names (``profiles.uploads.photo_upload_to``). A field whose
    folder cannot be told has its files served by nobody."""
    folders = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            upload_to = getattr(field, "upload_to", None)
            if callable(upload_to):
                upload_to = getattr(upload_to, "folder", None)
            folder = upload_to.split("%", 1)[0].strip("/") if isinstance(upload_to, str) else ""
            if folder:
                folders.add(folder)
    return tuple(sorted(folders))


def _in_upload_folder(path):
    return any(path.startswith(folder + "/") for folder in upload_folders())


def resolve(path: str) -> tuple[Path, str]:
    """The uploaded file that ``path`` names under ``MEDIA_ROOT``, and its content type.

    Raises ``Http404`` for a path that leaves ``MEDIA_ROOT`` or the upload folders, names
    a hidden file or a folder, passes through a symbolic link, has a type that is not
    served, or does not exist."""
    normalized = posixpath.normpath(path).lstrip("/")
    parts = normalized.split("/")
    if normalized in ("", ".") or any(part.startswith(".") for part in parts):
        raise Http404("No such file.")
    if not _in_upload_folder(normalized):
        raise Http404("No such file.")
    content_type = CONTENT_TYPES.get(posixpath.splitext(normalized)[1].lower().lstrip("."))
    if content_type is None:
        raise Http404("No such file.")
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, normalized))
        root = Path(settings.MEDIA_ROOT).resolve(strict=True)
        real = full.resolve(strict=True)
    except (SuspiciousFileOperation, OSError):  # outside MEDIA_ROOT, or missing
        raise Http404("No such file.") from None
    # The real path must be the very path asked for: no symbolic link on the way (one
    # would let anything on the machine be served), and inside MEDIA_ROOT.
    if real != root.joinpath(*parts) or not real.is_file():
        raise Http404("No such file.")
    return real, content_type


@require_safe
def uploaded_file(request, path):
    full, content_type = resolve(path)
    response = FileResponse(full.open("rb"), content_type=content_type)
    stat = full.stat()
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["Cache-Control"] = f"public, max-age={MAX_AGE_SECONDS}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = f'inline; filename="{full.name}"'
    return response


def _on_disk(backend):
    """Whether the storage ``backend`` (a dotted path) keeps files on this machine."""
    try:
        return issubclass(import_string(backend), FileSystemStorage)
    except ImportError:
        return False


def urlpatterns():
    """The route for ``MEDIA_URL`` when uploads are on this machine's disk, else none."""
    media_url = settings.MEDIA_URL or ""
    backend = settings.STORAGES.get("default", {}).get("BACKEND", "")
    if not media_url.startswith("/") or not _on_disk(backend):
        return []
    prefix = re.escape(media_url.strip("/"))
    return [re_path(rf"^{prefix}/(?P<path>.+)$", uploaded_file, name="uploaded-file")]
