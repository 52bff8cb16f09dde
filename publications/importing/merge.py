"""The one merge step: ``PaperRecord``s in, ``Publication`` rows written.

For each record of a batch, in order:

1. **Find** the paper it describes (``finding``): by identifiers, then a related DOI,
   then title and year; or none, and a new paper is made (a draft unless ``publish``).
2. **Merge** it (``rules``): empty fields are filled and identifiers added, a preprint
   becomes its published version, a date gains precision, citation counts grow, the
   author list is kept, enriched or replaced. A field an editor changed
   (``Publication.edited_fields``) is left alone unless ``overwrite``.
3. **Link** its authors to people (``people``: by ORCID, Semantic Scholar or OpenAlex
   id, or by name and name variants; ``person``, the profile the import is for, also
   loosely) and affiliations to organizations (``organizations``: by ROR id or name).

Then the batch is **written** (``writer``). A record the previous run merged, with
nothing changed since, skips all of this (``reimport``).
"""

import datetime
import operator

from core.db.slugs import first_free, slug_base
from core.names import names_compatible

from ..models import Publication
from . import rules
from .finding import IDENTIFIER_LABELS, PaperIndex
from .organizations import OrganizationMatcher
from .people import PeopleMatcher
from .records import KnownRecord, PaperRecord
from .reimport import Fingerprints, record_digest
from .targets import AuthorRow, FieldChange, KnownPaper, Outcome, Target
from .text import title_key
from .writer import NewPublication, write_batch

_SLUG_LENGTH = Publication._meta.get_field("slug").max_length
_copied = operator.attrgetter(*rules.COPIED)
_CREATION_FIELDS = (
    "title",
    "kind",
    "published_on",
    "doi",
    "arxiv_id",
    "semantic_scholar_id",
    "openalex_id",
    "venue",
    "volume",
    "issue",
    "pages",
    "publisher",
    "url",
    "pdf_url",
)


class Merger:
    """Merges batches of records into the database. Create one per import run."""

    def __init__(
        self,
        *,
        overwrite=False,
        publish=False,
        person=None,
        collect_changes=False,
        run=None,
        revisions=None,
    ):
        self.overwrite = overwrite
        # ``RunRevisions``: told about every batch written (created papers, changed ones).
        self.revisions = revisions
        self.publish = publish
        self.person = person
        self.collect_changes = collect_changes
        run_id = run.pk if run is not None else None
        # The re-import shortcut, only for plain runs: overwrite and person change the
        # outcome.
        self.shortcut = Fingerprints(
            run_id, enabled=run_id is not None and not overwrite and person is None
        )
        self.today = datetime.date.today()
        self._batch: list[Target] = []
        self._batch_ids: set[int] = set()
        self._title_keys: dict[int, str] = {}  # id(record) → title key, for one batch
        self.papers = PaperIndex(self.shortcut)
        self.people = PeopleMatcher(person)
        self.organizations = OrganizationMatcher(publish=publish)

    @property
    def organizations_created(self) -> int:
        return self.organizations.created

    @property
    def known_fingerprints(self) -> frozenset[str]:
        """Fingerprints a parser may turn into ``KnownRecord``s instead of records."""
        return self.shortcut.known_digests

    def _title_key(self, record: PaperRecord) -> str:
        key = self._title_keys.get(id(record))
        if key is None:
            key = self._title_keys[id(record)] = title_key(record.title)
        return key

    def find(self, record: PaperRecord) -> tuple[object, str, list[str]]:
        """The paper a record describes (a pk or a Target), how it was found, and notes."""
        return self.papers.find(record, self._title_key(record))

    # -- merging --------------------------------------------------------------------------

    def merge(self, records: list[PaperRecord | KnownRecord]) -> list[Outcome]:
        """Merge a batch of valid records and write the result. One outcome per record."""
        shortcut = self.shortcut
        found = [
            (None, "", []) if isinstance(record, KnownRecord) else self.find(record)
            for record in records
        ]
        if shortcut.enabled:
            digests = [record_digest(record) for record in records]
        else:
            digests = [""] * len(records)
        self.papers.load_targets(
            {
                ref
                for (ref, _, notes), digest in zip(found, digests, strict=True)
                if isinstance(ref, int) and not shortcut.skips(ref, notes, digest)
            }
        )
        outcomes = []
        for record, (ref, how, notes), digest in zip(records, found, digests, strict=True):
            if isinstance(record, KnownRecord):
                pk = shortcut.known_paper(record.fingerprint)
                if pk is not None:
                    target = Target(pub=KnownPaper(pk), is_new=False)
                    outcomes.append(Outcome("unchanged", record, target))
                    continue
                record = record.build()  # its paper changed earlier in this run
            if ref is None:
                # An earlier record of this batch may have created the paper.
                ref, how, notes = self.find(record)
            if isinstance(ref, int):
                if shortcut.skips(ref, notes, digest):
                    target = Target(pub=KnownPaper(ref), is_new=False)
                    outcomes.append(Outcome("unchanged", record, target, notes=notes))
                    continue
                self.papers.load_targets([ref])  # when an earlier record changed it after all
            outcome = self._merge_one(record, ref, how, notes)
            target = outcome.target
            target.touches += 1
            unchanged_by_it = (
                digest
                and target.touches == 1
                and outcome.action in {"created", "unchanged"}
                and not outcome.notes
            )
            target.fingerprint = digest if unchanged_by_it else ""
            target.identified = bool(unchanged_by_it) and self.papers.identifies(record, target)
            outcomes.append(outcome)
        self._write()
        return outcomes

    def _merge_one(self, record: PaperRecord, ref, how: str, notes: list[str]) -> Outcome:
        if ref is None:
            target = self._create(record)
            placed = self._place_person(target, notes)
            outcome = Outcome("created", record, target, notes=notes)
            if self.collect_changes:
                outcome.changes = self._creation_changes(target) + placed
        else:
            target = ref if isinstance(ref, Target) else self.papers.targets[ref]
            self._add_to_batch(target)
            changes = self._update(target, record, notes)
            changes += self._place_person(target, notes)
            outcome = Outcome("updated" if changes else "unchanged", record, target, changes, notes)
            if how and how not in IDENTIFIER_LABELS.values() and changes:
                notes.append(f"merged with “{target.pub.title}” by {how}")
        return outcome

    def _place_person(self, target: Target, notes: list[str]) -> list[FieldChange]:
        """``--person``: the profile the import is for is an author of every paper. Not
        among the listed authors of a list that ends with “et al.”, they are behind it
        (an author at an unknown position); not among a complete list, a note says so."""
        person = self.person
        if person is None or not target.authors:
            return []
        if person.pk in target.unlisted_people or any(
            row.person_id == person.pk for row in target.authors
        ):
            return []
        if target.pub.has_more_authors:
            target.unlisted_people.add(person.pk)
            target.new_unlisted.add(person.pk)
            return [FieldChange("author behind “et al.”", "", person.name)]
        notes.append(f"{person.name} is not among the authors of this paper")
        return []

    def _slug(self, record: PaperRecord) -> str:
        base = slug_base(record.title, max_length=_SLUG_LENGTH, fallback="paper")
        slug = first_free(base, self.papers.slugs, year=record.year)
        self.papers.slugs.add(slug)
        return slug

    @staticmethod
    def _source_entry(record: PaperRecord) -> dict:
        return {"location": str(record.location), "record": record.raw}

    def _create(self, record: PaperRecord) -> Target:
        pub = NewPublication(
            **dict(zip(rules.COPIED, _copied(record), strict=True)),
            **rules.new_paper_values(record, today=self.today, publish=self.publish),
            slug=self._slug(record),
            source_record={
                record.source_format: self._source_entry(record),
                "authors_from": record.source_format,
            },
        )
        target = Target(pub=pub, is_new=True, authors=self._author_rows(record))
        target.authors_replaced = True
        self.papers.add(target, self._title_key(record))
        self._add_to_batch(target)
        return target

    def _add_to_batch(self, target: Target):
        if target.pub.pk is not None:
            self.shortcut.forget(target.pub.pk)  # merged now: no shortcut later
        if id(target) not in self._batch_ids:
            self._batch_ids.add(id(target))
            self._batch.append(target)

    def _creation_changes(self, target: Target) -> list[FieldChange]:
        pub = target.pub
        changes = [
            FieldChange(name, "", getattr(pub, name))
            for name in _CREATION_FIELDS
            if getattr(pub, name)
        ]
        if target.authors:
            changes.append(
                FieldChange("authors", "", "; ".join(row.name for row in target.authors))
            )
        if pub.abstract:
            changes.append(FieldChange("abstract", "", _shorten(pub.abstract)))
        return changes

    def _update(self, target: Target, record: PaperRecord, notes: list[str]) -> list[FieldChange]:
        pub, changes = target.pub, []
        overwrite = self.overwrite
        edited = set() if overwrite else set(pub.edited_fields or ())

        def update(name, value):
            old = getattr(pub, name)
            if old != value:
                setattr(pub, name, value)
                changes.append(FieldChange(name, old, value))
                target.dirty.add(name)

        added = rules.merge_identifiers(
            pub,
            record,
            update,
            edited=edited,
            overwrite=overwrite,
            owned_by_another=lambda name, value: self.papers.owned_by_another(name, value, target),
            notes=notes,
        )
        for name, value in added:
            self.papers.add_identifier(target, name, value)
        arrived = rules.merge_kind(pub, record, update, edited=edited, overwrite=overwrite)
        rules.merge_date(
            pub,
            record,
            update,
            edited=edited,
            overwrite=overwrite,
            published_version_arrived=arrived,
        )
        rules.merge_text(pub, record, update, edited=edited, overwrite=overwrite)
        rules.merge_citations(
            pub, record, update, edited=edited, overwrite=overwrite, today=self.today
        )
        if "authors" not in edited:
            self._merge_authors(target, record, changes, notes)
        if changes:
            pub.source_record[record.source_format] = self._source_entry(record)
            target.dirty.add("source_record")
            self.papers.reindex_facts(target)
        return changes

    # -- authors --------------------------------------------------------------------------

    def _author_rows(self, record: PaperRecord) -> list[AuthorRow]:
        person_for, affiliation_ids = self.people.person_for, self.organizations.affiliation_ids
        return [
            AuthorRow(
                name=author.name,
                person_id=person_for(author),
                affiliation_ids=affiliation_ids(author) if author.affiliations else [],
                is_corresponding=author.is_corresponding,
            )
            for author in record.authors
        ]

    def _merge_authors(self, target, record, changes, notes):
        pub, old, new = target.pub, target.authors, record.authors
        choice = rules.author_list_choice(pub, old, record, overwrite=self.overwrite)
        if choice == "keep":
            if old and new and [row.name for row in old] != [author.name for author in new]:
                notes.append(
                    f"kept the existing author list ({len(old)} authors, from "
                    f"{pub.source_record.get('authors_from') or 'an editor'}) over this "
                    f"record's ({len(new)} authors)"
                )
            return
        if choice != "replace":
            self._enrich_authors(target, record, changes, better=choice == "enrich-names")
            return
        rows = self._author_rows(record)
        for row in rows:
            if row.person_id is None:
                # Keep a link an editor made, when the same person is in the new list.
                match = next(
                    (o for o in old if o.person_id and names_compatible(o.name, row.name)),
                    None,
                )
                if match is not None:
                    row.person_id = match.person_id
        changes.append(
            FieldChange(
                "authors",
                "; ".join(row.name for row in old),
                "; ".join(row.name for row in rows),
            )
        )
        target.authors, target.authors_replaced = rows, True
        pub.source_record["authors_from"] = record.source_format
        if pub.has_more_authors != record.has_more_authors:
            pub.has_more_authors = record.has_more_authors
            target.dirty.add("has_more_authors")

    def _enrich_authors(self, target, record, changes, *, better):
        upgraded = False
        people, organizations = self.people, self.organizations
        for position, (row, author) in enumerate(
            zip(target.authors, record.authors, strict=True), 1
        ):
            if row.person_id is None:
                person_id = people.person_for(author)
                if person_id:
                    row.person_id, row.dirty = person_id, True
                    changes.append(
                        FieldChange(
                            f"author {position} profile",
                            "",
                            people.names.get(person_id, person_id),
                        )
                    )
            if not row.affiliation_ids and author.affiliations:
                row.affiliation_ids = organizations.affiliation_ids(author)
                row.dirty = row.new_affiliations = True
                changes.append(
                    FieldChange(
                        f"author {position} affiliations",
                        "",
                        "; ".join(organizations.names.get(pk, "") for pk in row.affiliation_ids),
                    )
                )
            if better and rules.takes_fuller_name(row, author.name):
                changes.append(FieldChange(f"author {position} name", row.name, author.name))
                row.name, row.dirty, upgraded = author.name, True, True
        if upgraded:
            target.pub.source_record["authors_from"] = record.source_format

    # -- writing --------------------------------------------------------------------------

    def _write(self):
        batch, self._batch, self._batch_ids = self._batch, [], set()
        self._title_keys = {}
        write_batch(
            batch,
            stored_fingerprint=self.shortcut.stored,
            revisions=self.revisions,
            person_names=self.people.names,
        )
        for target in batch:
            self.papers.settle(target)
        self.papers.targets.clear()


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
