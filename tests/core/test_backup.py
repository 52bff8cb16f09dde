"""backup/restore round-trips every row and uploaded file, on whichever database runs."""

import datetime
import hashlib
import io
import json
import tarfile
from io import StringIO

import pytest
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from PIL import Image

from core.db.backup import ExactJSONEncoder, _models, row_counts
from profiles.models import Person
from publications.models import Publication
from tests.factories import (
    AppearanceFactory,
    AuthorshipFactory,
    EditorFactory,
    PersonFactory,
    PublicationFactory,
    SelectedWorkFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def content_checksum():
    """A digest of each model's rows (so a failure names the model). Many-to-many lists
    are compared as sets: their order follows the related model's ordering, which ties
    can leave to the database."""
    digests = {}
    for model in _models():
        objects = model._default_manager.order_by("pk")
        rows = json.loads(
            serializers.serialize(
                "json", objects, use_natural_foreign_keys=True, cls=ExactJSONEncoder
            )
        )
        for row in rows:
            for name, value in row["fields"].items():
                if isinstance(value, list):
                    row["fields"][name] = sorted(value, key=json.dumps)
        digests[model._meta.label_lower] = hashlib.sha256(
            json.dumps(rows, sort_keys=True).encode()
        ).hexdigest()
    return digests


@pytest.fixture
def site():
    call_command("load_demo", stdout=StringIO())
    person = PersonFactory(name="Zoë Ünicode")
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buffer, "PNG")
    person.photo.save("photo.png", ContentFile(buffer.getvalue()))
    paper = PublicationFactory()
    paper.topics.set([TopicFactory()])
    AuthorshipFactory(publication=paper, position=1, person=person)
    AppearanceFactory(person=person)
    SelectedWorkFactory(person=person, publication=paper)
    EditorFactory(username="ed")
    return person


def test_round_trip_keeps_every_row_and_file(site, tmp_path):
    counts, checksum = row_counts(), content_checksum()
    photo_name = Person.objects.get(pk=site.pk).photo.name
    photo_bytes = Person.objects.get(pk=site.pk).photo.read()
    archive = tmp_path / "site.tar.gz"
    out = StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "Backed up" in out.getvalue()

    Publication.objects.all().delete()
    Person.objects.filter(pk=site.pk).update(name="Changed after the backup")
    call_command("restore", str(archive), "--yes", stdout=StringIO())

    assert row_counts() == counts
    assert content_checksum() == checksum
    restored = Person.objects.get(pk=site.pk)
    assert restored.name == "Zoë Ünicode"
    assert restored.photo.name == photo_name
    assert restored.photo.read() == photo_bytes
    new = PublicationFactory()  # ids continue after the restored ones
    assert new.pk > max(Publication.objects.exclude(pk=new.pk).values_list("pk", flat=True))


def test_times_come_back_to_the_microsecond(site, tmp_path):
    """Django's JSON keeps milliseconds: 12:00:00.000500 would come back as 12:00:00."""
    exact = datetime.datetime(2026, 1, 2, 12, 0, 0, 500, tzinfo=datetime.UTC)
    paper = Publication.objects.order_by("pk").first()
    Publication.objects.filter(pk=paper.pk).update(updated_at=exact, created_at=exact)
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=StringIO())
    call_command("restore", str(archive), "--yes", stdout=StringIO())
    restored = Publication.objects.get(pk=paper.pk)
    assert (restored.created_at, restored.updated_at) == (exact, exact)


def test_damaged_archive_changes_nothing(site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=StringIO())
    with tarfile.open(archive) as original:
        members = {m.name: original.extractfile(m).read() for m in original.getmembers()}
    members["data.json"] = members["data.json"].replace(b"Hubinger", b"Hubinqer")
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(damaged, "w:gz") as out:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            out.addfile(info, io.BytesIO(content))
    counts = row_counts()
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(damaged), "--yes", stdout=StringIO())
    assert row_counts() == counts


@pytest.mark.parametrize("content", [None, b"not a tar file"])
def test_missing_or_foreign_files_are_refused(tmp_path, content):
    path = tmp_path / "x.tar.gz"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("restore", str(path), "--yes", stdout=StringIO())


def test_restore_asks_first_and_refuses_without_consent(tmp_path, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(tmp_path / "x.tar.gz"), stdout=StringIO())
