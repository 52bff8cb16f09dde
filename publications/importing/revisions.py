"""django-reversion revisions for what an import run created or changed, written in bulk.

Every paper a run creates or changes gets a version in a revision attributed to the run
and its user, with its authors (what the admin records). The versions hold what
``reversion.add_to_revision`` would write (Django's JSON serializer over the fields
reversion registers; tests compare the two: the same text for authorships, the same
data for papers, whose text escapes non-ASCII characters), but written as multi-row
INSERTs, their JSON put together field by field from the values:
reversion's own path serializes one object at a time and runs a query per many-to-many
field per object, which made a 10,000-paper import 15× slower.

A paper the run creates is versioned from the values just inserted, batch by batch
(reading 10,000 papers and 65,000 authors back only to serialize them took longer than
inserting them). A paper that already existed, or that a later record of the same run
changed again, is versioned at the end from the database.
"""

import datetime
import operator
from collections.abc import Iterable, Iterator, Sequence
from json.encoder import encode_basestring, encode_basestring_ascii

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import router
from django.utils import timezone
from django.utils.encoding import is_protected_type
from reversion.models import Revision, Version

from core.db.bulk import insert_rows

from ..models import Authorship, ImportRun, Publication
from .text import clip

REVISION_CHUNK = 500
_BOOLEAN = {True: "true", False: "false"}
_VERSION_COLUMNS = (
    "revision",
    "object_id",
    "content_type",
    "db",
    "format",
    "serialized_data",
    "object_repr",
)
# Django's JSON serializer (which reversion uses) writes one object as DjangoJSONEncoder
# does, with the default separators, in a list, and a newline at the end. Its text keeps
# non-ASCII characters; ours escapes them (\u00fc), which reads back the same: escaping
# is three times faster on the long values (abstracts, the raw BibTeX entry).
_ENCODE = DjangoJSONEncoder().encode
_DATETIME = DjangoJSONEncoder().default  # its text for a datetime (milliseconds, "Z")


def _null(value) -> str:
    return "null"


def _date(value: datetime.date) -> str:
    return f'"{value.isoformat()}"'


def _datetime(value: datetime.datetime) -> str:
    return f'"{_DATETIME(value)}"'


# JSON text per type for the usual field values, which the serializer keeps as they
# are (``is_protected_type``); exact types, so a bool is not taken for an int.
_SCALARS = {
    str: encode_basestring_ascii,
    bool: _BOOLEAN.__getitem__,
    int: int.__repr__,
    type(None): _null,
    datetime.date: _date,
    datetime.datetime: _datetime,
}


def _scalar(value) -> str:
    """The JSON text the serializer writes for a non-JSON field's value."""
    encode = _SCALARS.get(type(value))
    if encode is not None:
        return encode(value)
    # Other protected types (floats, times) stay as they are; anything else becomes its
    # string (value_to_string), e.g. a TextChoices member its value.
    return _ENCODE(value if is_protected_type(value) else str(value))


def _json(value) -> str:
    """The JSON text of a JSONField's value (kept as it is by the serializer)."""
    if not value and type(value) in (list, dict):
        return "[]" if type(value) is list else "{}"
    return _ENCODE(value)


class _Serializer:
    """Version rows for one model, from field values in ``attnames`` order."""

    def __init__(self, model):
        options = reversion.revisions._get_options(model)
        names = set(options.fields)
        concrete = model._meta.concrete_model._meta
        fields = [f for f in concrete.local_fields if f.serialize and f.name in names]
        self.names = [f.name for f in fields]
        self.attnames = [f.attname for f in fields]
        # One '"name": ' prefix and one encoder per field, in the serializer's order.
        self.prefixes = [f"{encode_basestring(f.name)}: " for f in fields]
        self.encoders = [_json if f.get_internal_type() == "JSONField" else _scalar for f in fields]
        self.many = [f.name for f in concrete.local_many_to_many if f.serialize and f.name in names]
        self.head = f'[{{"model": {encode_basestring(model._meta.label_lower)}, "pk": '
        self.model_meta = concrete
        self.db = router.db_for_write(model)
        self.content_type_id = ContentType.objects.get_for_model(model).pk
        self.format = options.format
        self.object_repr = _object_repr(model, self.names)

    def row(self, revision_id: int, pk: int, values: Sequence, related: dict) -> tuple:
        """A ``Version`` row; ``related`` maps each many-to-many field name to ids."""
        text = ", ".join(
            [
                prefix + encode(value)
                for prefix, encode, value in zip(self.prefixes, self.encoders, values, strict=True)
            ]
        )
        for name in self.many:
            text += f", {encode_basestring(name)}: {_json(related.get(name, []))}"
        data = f'{self.head}{pk}, "fields": {{{text}}}}}]\n'
        return self._version(revision_id, pk, data, self.object_repr(values))

    def _version(self, revision_id: int, pk: int, data: str, object_repr: str) -> tuple:
        return (revision_id, str(pk), self.content_type_id, self.db, self.format, data, object_repr)

    def authorship_row(self, revision_id: int, publication_id: int, authorship: tuple) -> tuple:
        """``row`` for an ``Authorship`` of ``publication_id``, given as ``(id, position,
        name, person_id, is_equal_contribution, is_corresponding, affiliation ids)``,
        written out with the serializer's very text (it is most of a large import's
        versions; a test compares the two texts)."""
        pk, position, name, person, equal, corresponding, affiliations = authorship
        data = (
            f'[{{"model": "publications.authorship", "pk": {pk}, "fields": '
            f'{{"publication": {publication_id}, '
            f'"position": {position}, '
            f'"name": {encode_basestring(name)}, '
            f'"person": {"null" if person is None else person}, '
            f'"is_equal_contribution": {_BOOLEAN[equal]}, '
            f'"is_corresponding": {_BOOLEAN[corresponding]}, '
            f'"affiliations": [{", ".join(map(str, sorted(affiliations)))}]}}}}]\n'
        )
        return self._version(revision_id, pk, data, f"{position}. {name}")

    def rows_from_database(self, queryset, revision_id: int) -> Iterator[tuple]:
        """Version rows for every object of ``queryset``, as stored now."""
        rows = list(queryset.values_list("pk", *self.attnames))
        pks = [row[0] for row in rows]
        related: dict[int, dict] = {}
        for name in self.many:
            field = self.model_meta.get_field(name)
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            for start in range(0, len(pks), 500):
                for owner, other in (
                    through.objects.filter(**{f"{source}__in": pks[start : start + 500]})
                    .order_by(target, "pk")
                    .values_list(source, target)
                ):
                    related.setdefault(owner, {}).setdefault(name, []).append(other)
        for row in rows:
            yield self.row(revision_id, row[0], row[1:], related.get(row[0], {}))


def _object_repr(model, names: list[str]):
    """``str(obj)`` of the two models, from the field values in ``names`` order."""
    if model is Authorship:
        position, name = names.index("position"), names.index("name")
        return lambda values: f"{values[position]}. {values[name]}"
    title, published_on = names.index("title"), names.index("published_on")

    def publication(values):
        year = f" ({values[published_on].year})" if values[published_on] else ""
        return f"{values[title]}{year}"

    return publication


def _insert(rows: Iterable[tuple]):
    insert_rows(
        Version, [Version._meta.get_field(name) for name in _VERSION_COLUMNS], rows, prepared=True
    )


class RunRevisions:
    """The revisions of one import run. The merge reports each batch of created papers
    (``created``) and the papers it changes (``changed``); ``finish`` versions the rest."""

    def __init__(self, run: ImportRun):
        self.run = run
        self.comment = f"Import run #{run.pk}: {clip(run.source, 200)}"
        self.papers = _Serializer(Publication)
        self.authors = _Serializer(Authorship)
        # Papers versioned from memory: pk → (revision id, authorship ids).
        self.versioned: dict[int, tuple[int, list[int]]] = {}

    def _revision(self) -> int:
        return Revision.objects.create(
            user=self.run.user, comment=self.comment, date_created=timezone.now()
        ).pk

    def created(self, papers: list[tuple[object, list[tuple]]]):
        """Versions for papers just inserted, from their values: each paper (any object
        with the model's attributes, its pk set) with its authorships as tuples (see
        ``_Serializer.authorship_row``)."""
        if not papers:
            return
        revision_id = self._revision()
        rows = []
        values = operator.attrgetter(*self.papers.attnames)
        for pub, authorships in papers:
            rows.append(self.papers.row(revision_id, pub.pk, values(pub), {}))
            for authorship in authorships:
                rows.append(self.authors.authorship_row(revision_id, pub.pk, authorship))
            self.versioned[pub.pk] = (revision_id, [a[0] for a in authorships])
        _insert(rows)

    def changed(self, pks: Iterable[int]):
        """Papers changed after they were versioned from memory: their versions are
        dropped now and written from the database at the end."""
        stale: dict[tuple[int, int], list[str]] = {}  # (revision, content type) → ids
        for pk in pks:
            if pk in self.versioned:
                revision_id, authorship_ids = self.versioned.pop(pk)
                stale.setdefault((revision_id, self.papers.content_type_id), []).append(str(pk))
                stale.setdefault((revision_id, self.authors.content_type_id), []).extend(
                    map(str, authorship_ids)
                )
        for (revision_id, content_type_id), object_ids in stale.items():
            Version.objects.filter(
                revision_id=revision_id, content_type_id=content_type_id, object_id__in=object_ids
            ).delete()

    def finish(self, publication_ids: list[int]):
        """Versions, from the database, for the papers not versioned from memory."""
        ids = [pk for pk in dict.fromkeys(publication_ids) if pk not in self.versioned]
        record_revisions(ids, revisions=self)


def record_revisions(publication_ids: list[int], *, run: ImportRun | None = None, revisions=None):
    """A revision for every paper in ``publication_ids`` (and its authors), as they are
    stored now, attributed to the run. One revision per chunk keeps memory bounded."""
    revisions = revisions or RunRevisions(run)
    ids = list(dict.fromkeys(publication_ids))
    for start in range(0, len(ids), REVISION_CHUNK):
        chunk = ids[start : start + REVISION_CHUNK]
        revision_id = revisions._revision()
        _insert(
            (
                *revisions.papers.rows_from_database(
                    Publication.objects.filter(pk__in=chunk), revision_id
                ),
                *revisions.authors.rows_from_database(
                    Authorship.objects.filter(publication_id__in=chunk), revision_id
                ),
            )
        )
