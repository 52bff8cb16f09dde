"""Writing a merged batch: new papers and their authors in multi-row INSERTs
(``core.db.bulk``), changed papers saved with the fields that changed, author rows and
affiliations added, updated or replaced, and the revisions told.

Nothing here decides what a paper holds (``rules``); it only writes it, in as few
statements as it can: a large import creates thousands of rows per batch.
"""

import operator

from django.db import connection
from django.utils import timezone

from core.db.bulk import insert_rows

from ..models import Authorship, Publication
from .targets import Target


class NewPublication:
    """The values of a paper created in this run, until it is inserted.

    Building a model instance costs about ten times as much, and a large import creates
    thousands; the merge reads and writes these the same way as a loaded ``Publication``.
    The attributes are set in two dictionary updates: fixed defaults, then the
    per-paper ones (fresh lists and dicts, a new stable id) with the given values.
    """

    _fields = [field for field in Publication._meta.concrete_fields if not field.primary_key]
    _fixed = {
        field.attname: field.get_default()
        for field in _fields
        if not (field.has_default() and callable(field.default))
    }
    _factories = [  # the stable id's is ``core.db.stable_ids.new_stable_id``
        (field.attname, field.default)
        for field in _fields
        if field.has_default() and callable(field.default)
    ]

    def __init__(self, **values):
        attributes = self.__dict__
        attributes.update(self._fixed)
        for attname, factory in self._factories:
            attributes[attname] = factory()
        attributes["pk"] = None
        attributes.update(values)


AUTHORSHIP_COLUMNS = (
    "publication",
    "position",
    "name",
    "person",
    "is_equal_contribution",
    "is_corresponding",
)


def insert_authorships(rows, *, returning=False):
    """Authorship rows as tuples in ``AUTHORSHIP_COLUMNS`` order, plain values."""
    fields = [Authorship._meta.get_field(name) for name in AUTHORSHIP_COLUMNS]
    return insert_rows(Authorship, fields, rows, prepared=True, returning=returning)


def write_batch(batch: list[Target], *, stored_fingerprint, revisions, person_names):
    """Write what the merge did to ``batch``'s papers. ``stored_fingerprint(target)``
    is the re-import fingerprint to store with a paper; ``revisions`` (``RunRevisions``
    or None) is told about the papers created and changed; ``person_names`` names the
    people placed behind “et al.”."""
    now = timezone.now()
    new = [target for target in batch if target.is_new and target.pub.pk is None]
    if new:
        for target in new:
            target.pub.created_at = target.pub.updated_at = now
            target.pub.import_fingerprint = stored_fingerprint(target)
        fields = [f for f in Publication._meta.concrete_fields if not f.primary_key]
        values = operator.attrgetter(*(field.attname for field in fields))
        ids = insert_rows(
            Publication, fields, (values(target.pub) for target in new), returning=True
        )
        for target, pk in zip(new, ids, strict=True):
            target.pub.pk = pk
    fingerprints = []  # (value, pk) of unchanged rows whose fingerprint changes
    for target in batch:
        if target.is_new:
            pass
        elif target.dirty:
            if target.pub.import_fingerprint:
                target.pub.import_fingerprint = ""
                target.dirty.add("import_fingerprint")
            target.pub.save(update_fields=[*sorted(target.dirty), "updated_at"])
        else:
            value = stored_fingerprint(target)
            if value != target.pub.import_fingerprint:
                target.pub.import_fingerprint = value
                fingerprints.append((value, target.pub.pk))
        target.dirty = set()
        target.touches = 0
    if fingerprints:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {connection.ops.quote_name(Publication._meta.db_table)} "
                f"SET {connection.ops.quote_name('import_fingerprint')} = %s "
                f"WHERE {connection.ops.quote_name(Publication._meta.pk.column)} = %s",
                fingerprints,
            )

    replaced = [target for target in batch if target.authors_replaced]
    stale = [target.pub.pk for target in replaced if not target.is_new]
    if stale:
        # Authors behind "et al." are not part of the list a record replaces.
        Authorship.objects.filter(publication_id__in=stale, position__isnull=False).delete()
    rows = [
        (target.pub.pk, position, row.name, row.person_id, False, row.is_corresponding)
        for target in replaced
        for position, row in enumerate(target.authors, start=1)
    ]
    if rows:
        ids = iter(insert_authorships(rows, returning=True))
        for target in replaced:
            for row in target.authors:
                row.id = next(ids)
                row.new_affiliations = bool(row.affiliation_ids)
        for target in replaced:
            target.authors_replaced = False
            for row in target.authors:
                row.dirty = False

    changed_rows = [row for target in batch for row in target.authors if row.dirty]
    if changed_rows:
        objects = [
            Authorship(id=row.id, name=row.name, person_id=row.person_id) for row in changed_rows
        ]
        Authorship.objects.bulk_update(objects, ["name", "person"], batch_size=500)
    _write_unlisted(batch, person_names)
    through = Authorship.affiliations.through
    links = [
        through(authorship_id=row.id, organization_id=organization_id)
        for target in batch
        for row in target.authors
        if row.new_affiliations
        for organization_id in row.affiliation_ids
    ]
    if links:
        through.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)
    if revisions is not None:
        revisions.changed(target.pub.pk for target in batch if not target.is_new)
        revisions.created([(target.pub, _authorships(target)) for target in new])
    for target in batch:
        for row in target.authors:
            row.dirty = row.new_affiliations = False


def _write_unlisted(batch, person_names):
    """Add the authors behind “et al.” this run placed, and drop those a fuller author
    list now names (a person is an author of a paper once)."""
    new = [
        (target.pub.pk, None, person_names[pk], pk, False, False)
        for target in batch
        for pk in sorted(target.new_unlisted)
    ]
    if new:
        insert_authorships(new)
    named = {
        (target.pub.pk, row.person_id)
        for target in batch
        if target.unlisted_people
        for row in target.authors
        if row.person_id in target.unlisted_people
    }
    if named:
        ids = [
            pk
            for pk, pub_id, person_id in Authorship.objects.filter(
                publication_id__in={pub_id for pub_id, _ in named},
                position__isnull=True,
            ).values_list("pk", "publication_id", "person_id")
            if (pub_id, person_id) in named
        ]
        Authorship.objects.filter(pk__in=ids).delete()
    for target in batch:
        target.unlisted_people -= {pk for pub_id, pk in named if pub_id == target.pub.pk}
        target.new_unlisted.clear()


def _authorships(target: Target) -> list[tuple]:
    """A new paper's authorships as written, for its revision (``RunRevisions.created``)."""
    return [
        (
            row.id,
            position,
            row.name,
            row.person_id,
            False,
            row.is_corresponding,
            row.affiliation_ids,
        )
        for position, row in enumerate(target.authors, start=1)
    ]
