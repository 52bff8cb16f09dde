"""Backup and restore of the whole site: every row and every uploaded file.

A backup is one ``.tar.gz`` holding ``data.json`` (Django's serializer, natural keys for
content types and permissions so it loads into any fresh database), the uploaded files
under ``media/``, and ``manifest.json`` with the row count of each model and a SHA-256 of
the data and of every file. Restore checks the manifest before touching the database,
then replaces everything in one transaction and checks the counts again.
"""

import datetime
import hashlib
import io
import json
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction

FORMAT_VERSION = 1
# Rebuilt by migrations or meaningless elsewhere: never backed up.
EXCLUDED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


class BackupError(Exception):
    """The archive is missing, damaged, or does not match its manifest."""


@dataclass
class BackupSummary:
    path: Path
    rows: dict
    files: int


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder keeps milliseconds only; a backup keeps every microsecond, so a
    time such as 12:00:00.000500 does not come back as 12:00:00."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            if isinstance(o, datetime.time) and o.utcoffset() is not None:
                raise ValueError("JSON can't represent timezone-aware times.")
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def _models():
    return [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in EXCLUDED and not model._meta.proxy and model._meta.managed
    ]


def row_counts():
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in _models()
        if model._default_manager.exists()
    }


def serialize_all():
    objects = []
    for model in _models():
        objects.extend(model._default_manager.order_by("pk"))
    return serializers.serialize(
        "json", objects, use_natural_foreign_keys=True, indent=None, cls=ExactJSONEncoder
    ).encode()


def _media_files(root=""):
    directories, files = default_storage.listdir(root)
    for name in files:
        yield f"{root}/{name}" if root else name
    for directory in directories:
        yield from _media_files(f"{root}/{directory}" if root else directory)


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def backup(path) -> BackupSummary:
    path = Path(path)
    with transaction.atomic():  # one consistent snapshot of every table
        data = serialize_all()
        rows = row_counts()
    files = {}
    with tarfile.open(path, "w:gz") as archive:
        _add(archive, "data.json", data)
        if Path(settings.MEDIA_ROOT).exists():
            for name in sorted(_media_files()):
                with default_storage.open(name, "rb") as handle:
                    content = handle.read()
                files[name] = _sha256(content)
                _add(archive, f"media/{name}", content)
        manifest = {
            "format": FORMAT_VERSION,
            "database": connections[DEFAULT_DB_ALIAS].vendor,
            "rows": rows,
            "data_sha256": _sha256(data),
            "files": files,
        }
        _add(archive, "manifest.json", json.dumps(manifest, indent=2, sort_keys=True).encode())
    return BackupSummary(path, rows, len(files))


def _add(archive, name, content):
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(content))


def _read_archive(path):
    try:
        with tarfile.open(path, "r:gz") as archive:
            members = {m.name: m for m in archive.getmembers() if m.isfile()}
            if "manifest.json" not in members or "data.json" not in members:
                raise BackupError(f"{path}: not a backup made by this site (no manifest).")
            manifest = json.loads(archive.extractfile(members["manifest.json"]).read())
            data = archive.extractfile(members["data.json"]).read()
            files = {
                name.removeprefix("media/"): archive.extractfile(member).read()
                for name, member in members.items()
                if name.startswith("media/")
            }
    except FileNotFoundError:
        raise BackupError(f"{path}: file not found.") from None
    except (tarfile.TarError, EOFError, OSError, json.JSONDecodeError) as error:
        raise BackupError(f"{path}: damaged archive ({error}).") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"{path}: unknown backup format {manifest.get('format')!r}.")
    if _sha256(data) != manifest["data_sha256"]:
        raise BackupError(f"{path}: data.json does not match its checksum.")
    for name, digest in manifest["files"].items():
        if name not in files or _sha256(files[name]) != digest:
            raise BackupError(f"{path}: uploaded file {name} is missing or damaged.")
    return manifest, data, files


def restore(path) -> BackupSummary:
    """Replace the database and uploaded files with the backup's. All or nothing."""
    manifest, data, files = _read_archive(path)
    for name in files:
        if name.startswith("/") or ".." in Path(name).parts:
            raise BackupError(f"{path}: unsafe file name {name!r} in the archive.")
    with transaction.atomic():
        for model in reversed(_models()):
            model._default_manager.all().delete()
        try:
            objects = list(serializers.deserialize("json", data, handle_forward_references=True))
            for obj in objects:
                obj.save()
            for obj in objects:
                if obj.deferred_fields:
                    obj.save_deferred_fields()
        except Exception as error:  # any deserialization problem means a bad archive
            raise BackupError(f"{path}: cannot load data ({error}).") from None
        counts = row_counts()
        if counts != manifest["rows"]:
            raise BackupError(f"{path}: row counts differ after loading; nothing was restored.")
        _reset_sequences()
    for name, content in files.items():
        if default_storage.exists(name):
            default_storage.delete(name)
        default_storage.save(name, io.BytesIO(content))
    return BackupSummary(Path(path), counts, len(files))


def _reset_sequences():
    """Make the next inserted ids follow the restored ones (PostgreSQL sequences)."""
    connection = connections[DEFAULT_DB_ALIAS]
    statements = connection.ops.sequence_reset_sql(no_style(), _models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
