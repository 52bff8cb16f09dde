"""The one merge step: ``PaperRecord``s in, ``Publication`` rows written.

Rules, in the order they apply:

- **Finding the paper.** A record is the same paper as an existing row when they share a
  DOI (case-insensitive), an arXiv id (without version; arXiv's own DOI
  ``10.48550/arXiv.<id>`` counts as the arXiv id), a Semantic Scholar id or an OpenAlex id,
  tried in that order; then a DOI the record names as another version of itself
  (Crossref ``has-preprint``, ORCID ``version-of``); then the same title (case, accents
  and punctuation ignored) and year. A preprint and its published version may be up to
  two years apart. Two different DOIs (neither a preprint server's) or two different
  arXiv ids are never the same paper, whatever the title says.
- **Filling.** Empty fields are filled and identifiers added. A field an editor changed
  (``Publication.edited_fields``) is left alone unless ``overwrite``; with ``overwrite``
  the record's non-empty values replace what is there.
- **Upgrading.** A preprint becomes the published kind when its published version
  arrives, and takes that version's date; a preprint server's DOI gives way to the
  published DOI. A date gains precision (year → month → day) when the years agree.
  Citation counts only grow, except that a source may correct its own count.
- **Authors.** Order is kept exactly. An existing list is replaced only when it is
  empty, with ``overwrite``, or by a stronger source (arXiv and Crossref over OpenAlex
  and CSL over Semantic Scholar, RIS and ORCID over BibTeX) or a complete list over one
  ending in “and others”. A list naming the same people is enriched in place: links to
  people and affiliations are added. Authors are linked to ``Person`` rows by ORCID,
  Semantic Scholar or OpenAlex id, or by name and name variants; ``person`` (the profile
  the import is for) is also matched loosely (“E. Hubinger” ↔ “Evan Hubinger”).
  Affiliations become ``Organization`` rows (matched by ROR id or name).
- New papers are drafts unless ``publish``.

Database work is batched: existing identifiers are read once into dictionaries, the rows
a batch touches are loaded in a few queries, and new rows are bulk-inserted.
"""

import dataclasses
import datetime
import functools
import hashlib
import importlib.metadata
import operator
import re
import secrets
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.text import slugify

from core.models import SlugHistory
from core.stable_ids import ALPHABET as STABLE_ID_ALPHABET
from core.stable_ids import LENGTH as STABLE_ID_LENGTH
from profiles.models import Organization, Person

from ..models import Authorship, ImportRun, Publication
from .people import NameIndex, spellings
from .records import AuthorRecord, KnownRecord, PaperRecord
from .text import fold, name_key, names_compatible, title_key

# How much an author list from each source is trusted, when two lists disagree.
AUTHOR_SOURCE_RANK = {
    "arxiv": 5,
    "crossref": 5,
    "openalex": 4,
    "csl_json": 4,
    "semantic_scholar": 3,
    "ris": 3,
    "orcid": 3,
    "bibtex": 2,
}
CITATION_SOURCES = {
    "semantic_scholar": "Semantic Scholar",
    "openalex": "OpenAlex",
    "crossref": "Crossref",
    "csl_json": "Crossref",
    "ris": "RIS export",
}
TEXT_FIELDS = (
    "title",
    "abstract",
    "venue",
    "volume",
    "issue",
    "pages",
    "publisher",
    "journal_ref",
    "note",
    "url",
    "pdf_url",
    "code_url",
    "arxiv_primary_category",
)
IDENTIFIERS = ("doi", "arxiv_id", "semantic_scholar_id", "openalex_id")
IDENTIFIER_LABELS = {
    "doi": "DOI",
    "arxiv_id": "arXiv id",
    "semantic_scholar_id": "Semantic Scholar id",
    "openalex_id": "OpenAlex id",
}
KIND_RANK = {"": -1, "other": 0, "preprint": 1, "post": 1}  # published kinds rank 2
PUBLISHED_KINDS = {"journal_article", "conference_paper", "chapter", "book", "thesis", "report"}
PREPRINT_DOI_PREFIXES = (
    "10.1101/",  # bioRxiv, medRxiv
    "10.2139/",  # SSRN
    "10.20944/",  # Preprints.org
    "10.21203/",  # Research Square
    "10.26434/",  # ChemRxiv
    "10.31219/",  # OSF Preprints
    "10.31234/",  # PsyArXiv
    "10.31235/",  # SocArXiv
    "10.32942/",  # EcoEvoRxiv
    "10.36227/",  # TechRxiv
)
_COPIED = (*TEXT_FIELDS, *IDENTIFIERS)  # what a new paper takes from its record as it is
_copied = operator.attrgetter(*_COPIED)
_SLUG_DROP = re.compile(r"[^\w\s-]")
_SLUG_DASHES = re.compile(r"[-\s]+")
PRECISION_RANK = {"": 0, "year": 1, "month": 2, "day": 3}
TITLE_YEARS_APART_FOR_VERSIONS = 2
_UNKNOWN = object()


def _fast_stable_id() -> str:
    """``core.stable_ids.new_stable_id``'s format and distribution (32 symbols, uniform),
    from one call to the OS random source instead of ten."""
    return "".join(STABLE_ID_ALPHABET[byte & 31] for byte in secrets.token_bytes(STABLE_ID_LENGTH))


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
    _factories = [
        (field.attname, _fast_stable_id if field.attname == "stable_id" else field.default)
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


def is_preprint_doi(doi: str) -> bool:
    return doi.startswith(PREPRINT_DOI_PREFIXES)


def kind_rank(kind: str) -> int:
    return KIND_RANK.get(kind, 2)


@dataclass(slots=True)
class FieldChange:
    field: str
    old: object
    new: object


@dataclass(slots=True)
class Outcome:
    """What one record did: ``created``, ``updated`` or ``unchanged`` a paper."""

    action: str
    record: PaperRecord
    target: "Target"
    changes: list[FieldChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class AuthorRow:
    name: str
    person_id: int | None = None
    affiliation_ids: list[int] = field(default_factory=list)
    is_corresponding: bool = False
    id: int | None = None
    dirty: bool = False
    new_affiliations: bool = False


@dataclass(slots=True, eq=False)
class Target:
    """A paper being merged into: a loaded row or one created in this run."""

    pub: Publication
    is_new: bool
    authors: list[AuthorRow] = field(default_factory=list)
    authors_replaced: bool = False
    dirty: set = field(default_factory=set)
    keys: list = field(default_factory=list)  # index entries pointing at this target
    fingerprint: str = ""  # the record digest to store with the row ("" clears it)
    identified: bool = False  # the record's identifiers alone find this paper
    touches: int = 0  # records merged into it in this batch
    # People known to be behind "et al." (authorships without a position), which a merge
    # never replaces; and those this run adds (``--person`` on a truncated list).
    unlisted_people: set = field(default_factory=set)
    new_unlisted: set = field(default_factory=set)


class KnownPaper:
    """A paper a re-import skipped (its record is the one last merged into it, unchanged):
    only its id is known."""

    __slots__ = ("pk",)

    def __init__(self, pk: int):
        self.pk = pk


# What a merge reads from a record: all of it but where it came from and the raw text.
_DIGESTED = [
    item.name
    for item in dataclasses.fields(PaperRecord)
    if item.name not in {"raw", "location", "warnings", "fingerprint"}
]


def record_digest(record: PaperRecord) -> str:
    """The record's own fingerprint when its parser gave one, else a digest of it."""
    if record.fingerprint:
        return record.fingerprint
    return hashlib.sha1(
        repr([getattr(record, name) for name in _DIGESTED]).encode(), usedforsecurity=False
    ).hexdigest()


@functools.cache
def code_version() -> str:
    """A digest of the importer's code and of pylatexenc's version: what the parsers make
    of an input, and what the merge does with a record, may change with either."""
    digest = hashlib.sha256(importlib.metadata.version("pylatexenc").encode())
    package = Path(__file__).resolve().parent
    for path in sorted([*package.glob("*.py"), package.parent / "identifiers.py"]):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def world_state() -> str:
    """A digest of everything a merge reads besides the record and its paper: every
    paper, authorship, person and organization (how many, and the latest change), and
    the importer's code."""
    parts = [code_version()]
    for model, latest in (
        (Publication, "updated_at"),
        (Authorship, "id"),
        (Person, "updated_at"),
        (Organization, "updated_at"),
    ):
        row = model.objects.aggregate(count=Count("pk"), latest=Max(latest))
        parts.append(f"{model._meta.label}:{row['count']}:{row['latest']}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


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
        # Re-import shortcut: a paper whose stored fingerprint names this very record,
        # stored by a run after which nothing changed (same world state), is unchanged
        # without merging. Only for plain runs: overwrite and person change the outcome.
        self.run_id = run.pk if run is not None else None
        self.fingerprinting = self.run_id is not None and not overwrite and person is None
        self.fingerprints: dict[int, str] = {}  # pk → digest of the record, when valid
        # Digests of records that find their paper by identifiers alone (see _identifies)
        # → that paper: the parser need not build these records at all.
        self.known: dict[str, int] = {}
        self._valid_runs: set[str] = set()
        if self.fingerprinting:
            state = world_state()
            self._valid_runs = {
                str(pk)
                for pk in ImportRun.objects.filter(world_state=state).values_list("pk", flat=True)
            }
        self.today = datetime.date.today()
        self.organizations_created = 0
        self._targets: dict[int, Target] = {}
        self._batch: list[Target] = []
        self._batch_ids: set[int] = set()
        self._title_keys: dict[int, str] = {}  # id(record) → title key, for one batch
        self._load_publications()
        self._load_people()
        self._load_organizations()

    # -- indexes, read once ---------------------------------------------------------------

    def _load_publications(self):
        self.index = {name: {} for name in IDENTIFIERS}
        self.titles: dict[str, list] = {}
        self.facts: dict[int, tuple] = {}  # pk → (year, kind, doi, arxiv_id)
        self.slugs: set[str] = set()
        rows = Publication.objects.values_list(
            "pk", "title", "published_on", "kind", "slug", "import_fingerprint", *IDENTIFIERS
        )
        valid_runs = self._valid_runs
        for (
            pk,
            title,
            published_on,
            kind,
            slug,
            fingerprint,
            doi,
            arxiv_id,
            s2_id,
            openalex_id,
        ) in rows.iterator(chunk_size=5000):
            self.slugs.add(slug)
            if fingerprint and valid_runs:
                digest, _, run_id = fingerprint.partition("@")
                if run_id.rstrip("+") in valid_runs:
                    self.fingerprints[pk] = digest
                    if run_id.endswith("+"):
                        # Two papers with one digest cannot happen; if it did, neither.
                        self.known[digest] = None if digest in self.known else pk
            for name, value in zip(
                IDENTIFIERS, (doi.lower(), arxiv_id, s2_id, openalex_id), strict=True
            ):
                if value:
                    self.index[name][value] = pk
            self.titles.setdefault(title_key(title), []).append(pk)
            self.facts[pk] = (
                published_on.year if published_on else None,
                kind,
                doi.lower(),
                arxiv_id,
            )
        content_type = ContentType.objects.get_for_model(Publication)
        self.slugs.update(
            SlugHistory.objects.filter(content_type=content_type).values_list("slug", flat=True)
        )

    def _load_people(self):
        self.people_by_id = {"orcid": {}, "semantic_scholar_id": {}, "openalex_id": {}}
        # Names and name variants (one rule with the admin's author rows: people.py).
        self.people_by_name = NameIndex()
        self._person_by_spelling: dict[str, int | None] = {}  # author name → person
        self.person_names: dict[int, str] = {}
        for person in Person.objects.only(
            "pk", "name", "name_variants", "orcid", "semantic_scholar_id", "openalex_id"
        ):
            self.person_names[person.pk] = person.name
            for name in self.people_by_id:
                value = getattr(person, name)
                if value:
                    self.people_by_id[name][value] = person.pk
            self.people_by_name.add(person)
        if self.person is not None:
            self.person_spellings = sorted(spellings(self.person))
            self.person_families = {
                name_key(spelling).rpartition(" ")[2] for spelling in self.person_spellings
            }

    def _load_organizations(self):
        self.org_by_ror: dict[str, int] = {}
        self.org_by_name: dict[str, int] = {}
        self.org_names: dict[int, str] = {}
        self.org_slugs: set[str] = set()
        for pk, name, short_name, slug, ror_id in Organization.objects.values_list(
            "pk", "name", "short_name", "slug", "ror_id"
        ):
            self.org_slugs.add(slug)
            self.org_names[pk] = name
            if ror_id:
                self.org_by_ror[ror_id] = pk
            for text in (name, short_name):
                if text:
                    self.org_by_name.setdefault(fold(text), pk)

    # -- finding the paper a record describes ---------------------------------------------

    def _ref(self, ref):
        return ref.pub.pk if isinstance(ref, Target) and ref.pub.pk else ref

    def _facts(self, ref) -> tuple:
        if isinstance(ref, Target):
            pub = ref.pub
            return (
                pub.published_on.year if pub.published_on else None,
                pub.kind,
                pub.doi,
                pub.arxiv_id,
            )
        target = self._targets.get(ref)
        if target is not None:
            return self._facts(target)
        return self.facts[ref]

    def _title_match(self, record: PaperRecord, ref) -> bool:
        year, kind, doi, arxiv_id = self._facts(ref)
        if (
            record.doi
            and doi
            and record.doi != doi
            and not (is_preprint_doi(record.doi) or is_preprint_doi(doi))
        ):
            return False
        if record.arxiv_id and arxiv_id and record.arxiv_id != arxiv_id:
            return False
        if record.year is None or year is None:
            return record.year == year
        if record.year == year:
            return True
        versions = "preprint" in (record.kind, kind) or bool(record.arxiv_id or arxiv_id)
        return versions and abs(record.year - year) <= TITLE_YEARS_APART_FOR_VERSIONS

    def _title_key(self, record: PaperRecord) -> str:
        key = self._title_keys.get(id(record))
        if key is None:
            key = self._title_keys[id(record)] = title_key(record.title)
        return key

    def find(self, record: PaperRecord) -> tuple[object, str, list[str]]:
        """The paper a record describes (a pk or a Target), how it was found, and notes."""
        found, how, notes = None, "", []
        for name in IDENTIFIERS:
            value = getattr(record, name)
            ref = self.index[name].get(value) if value else None
            if ref is None:
                continue
            if found is None:
                found, how = ref, IDENTIFIER_LABELS[name]
            elif self._ref(ref) != self._ref(found):
                notes.append(
                    f"its {IDENTIFIER_LABELS[name]} {value} belongs to another paper; "
                    "the two were not merged"
                )
        if found is not None:
            return found, how, notes
        for doi in record.related_dois:
            ref = self.index["doi"].get(doi)
            if ref is not None:
                return ref, f"related DOI {doi}", notes
        key = self._title_key(record)
        for ref in self.titles.get(key, ()) if key else ():
            if self._title_match(record, ref):
                return ref, "title and year", notes
        return None, "", notes

    # -- people and organizations ---------------------------------------------------------

    def _person_for(self, author: AuthorRecord) -> int | None:
        if author.orcid or author.semantic_scholar_id or author.openalex_id:
            for name in ("orcid", "semantic_scholar_id", "openalex_id"):
                value = getattr(author, name)
                if value and value in self.people_by_id[name]:
                    return self.people_by_id[name][value]
        # The same few thousand names recur across a large file: each is looked up once.
        name = author.name
        person_id = self._person_by_spelling.get(name, _UNKNOWN)
        if person_id is _UNKNOWN:
            person_id = self._person_by_spelling[name] = self._person_named(name)
        return person_id

    def _person_named(self, name: str) -> int | None:
        # Two people sharing a spelling: link neither rather than guess.
        person_id = self.people_by_name.only(name)
        if person_id:
            return person_id
        if self.person is not None:
            family = name_key(name).rpartition(" ")[2]
            if family in self.person_families and any(
                names_compatible(name, spelling) for spelling in self.person_spellings
            ):
                return self.person.pk
        return None

    def _organization_for(self, name: str, ror_id: str) -> int:
        if ror_id and ror_id in self.org_by_ror:
            return self.org_by_ror[ror_id]
        key = fold(name)
        if key in self.org_by_name:
            return self.org_by_name[key]
        base = slugify(name)[:200].strip("-") or "organization"
        slug, number = base, 2
        while slug in self.org_slugs:
            slug, number = f"{base}-{number}", number + 1
        organization = Organization.objects.create(
            name=name, slug=slug, ror_id=ror_id, is_published=self.publish
        )
        self.organizations_created += 1
        self.org_slugs.add(slug)
        self.org_names[organization.pk] = name
        self.org_by_name[key] = organization.pk
        if ror_id:
            self.org_by_ror[ror_id] = organization.pk
        return organization.pk

    def _author_rows(self, record: PaperRecord) -> list[AuthorRow]:
        return [
            AuthorRow(
                name=author.name,
                person_id=self._person_for(author),
                affiliation_ids=self._affiliation_ids(author) if author.affiliations else [],
                is_corresponding=author.is_corresponding,
            )
            for author in record.authors
        ]

    def _affiliation_ids(self, author: AuthorRecord) -> list[int]:
        return list(
            dict.fromkeys(
                self._organization_for(aff.name, aff.ror_id) for aff in author.affiliations
            )
        )

    # -- loading the rows a batch touches -------------------------------------------------

    def _load_targets(self, pks):
        pks = [pk for pk in pks if pk not in self._targets]
        if not pks:
            return
        for pub in Publication.objects.filter(pk__in=pks):
            self._targets[pub.pk] = Target(pub=pub, is_new=False)
        rows = {}
        for row_id, pub_id, position, name, person_id, corresponding in (
            Authorship.objects.filter(publication_id__in=pks)
            .order_by("publication_id", "position")
            .values_list(
                "id", "publication_id", "position", "name", "person_id", "is_corresponding"
            )
        ):
            if position is None:
                if person_id is not None:
                    self._targets[pub_id].unlisted_people.add(person_id)
                continue
            row = AuthorRow(name, person_id, [], corresponding, id=row_id)
            self._targets[pub_id].authors.append(row)
            rows[row_id] = row
        through = Authorship.affiliations.through
        for authorship_id, organization_id in through.objects.filter(
            authorship__publication_id__in=pks, authorship__position__isnull=False
        ).values_list("authorship_id", "organization_id"):
            rows[authorship_id].affiliation_ids.append(organization_id)

    # -- merging --------------------------------------------------------------------------

    @property
    def known_fingerprints(self) -> frozenset[str]:
        """Fingerprints a parser may turn into ``KnownRecord``s instead of records."""
        return frozenset(digest for digest, pk in self.known.items() if pk is not None)

    def merge(self, records: list[PaperRecord | KnownRecord]) -> list[Outcome]:
        """Merge a batch of valid records and write the result. One outcome per record."""
        found = [
            (None, "", []) if isinstance(record, KnownRecord) else self.find(record)
            for record in records
        ]
        if self.fingerprinting:
            digests = [record_digest(record) for record in records]
        else:
            digests = [""] * len(records)
        self._load_targets(
            {
                ref
                for (ref, _, notes), digest in zip(found, digests, strict=True)
                if isinstance(ref, int) and not self._skips(ref, notes, digest)
            }
        )
        outcomes = []
        for record, (ref, how, notes), digest in zip(records, found, digests, strict=True):
            if isinstance(record, KnownRecord):
                pk = self.known.get(record.fingerprint)
                if pk is not None and self.fingerprints.get(pk) == record.fingerprint:
                    target = Target(pub=KnownPaper(pk), is_new=False)
                    outcomes.append(Outcome("unchanged", record, target))
                    continue
                record = record.build()  # its paper changed earlier in this run
            if ref is None:
                # An earlier record of this batch may have created the paper.
                ref, how, notes = self.find(record)
            if isinstance(ref, int):
                if self._skips(ref, notes, digest):
                    target = Target(pub=KnownPaper(ref), is_new=False)
                    outcomes.append(Outcome("unchanged", record, target, notes=notes))
                    continue
                self._load_targets([ref])  # when an earlier record changed it after all
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
            target.identified = bool(unchanged_by_it) and self._identifies(record, target)
            outcomes.append(outcome)
        self._write()
        return outcomes

    def _identifies(self, record: PaperRecord, target: "Target") -> bool:
        """Whether the record has an identifier and all of its identifiers are the
        target's: then, while nothing changes, finding the record's paper gives this
        one, without a note, whatever else the run that stored this found later."""
        some = False
        for name in IDENTIFIERS:
            value = getattr(record, name)
            if value:
                some = True
                if self._ref(self.index[name].get(value)) != self._ref(target):
                    return False
        return some

    def _skips(self, ref, notes, digest) -> bool:
        return bool(digest) and not notes and self.fingerprints.get(ref) == digest

    def _merge_one(self, record: PaperRecord, ref, how: str, notes: list[str]) -> Outcome:
        if ref is None:
            target = self._create(record)
            placed = self._place_person(target, notes)
            outcome = Outcome("created", record, target, notes=notes)
            if self.collect_changes:
                outcome.changes = self._creation_changes(target) + placed
        else:
            target = ref if isinstance(ref, Target) else self._targets[ref]
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
        title = record.title
        if title.isascii():  # what slugify does, without its Unicode normalization
            base = _SLUG_DASHES.sub("-", _SLUG_DROP.sub("", title.lower())).strip("-_")
        else:
            base = slugify(title)
        base = base[:80].strip("-") or "paper"
        candidates = [base]
        if record.year:
            candidates.append(f"{base}-{record.year}")
        for slug in candidates:
            if slug not in self.slugs:
                break
        else:
            number = 2
            while f"{base}-{number}" in self.slugs:
                number += 1
            slug = f"{base}-{number}"
        self.slugs.add(slug)
        return slug

    def _source_entry(self, record: PaperRecord) -> dict:
        return {"location": str(record.location), "record": record.raw}

    def _create(self, record: PaperRecord) -> Target:
        values = dict(zip(_COPIED, _copied(record), strict=True))
        pub = NewPublication(
            **values,
            slug=self._slug(record),
            kind=record.kind or Publication.Kind.OTHER,
            published_on=record.published_on,
            date_precision=record.date_precision or Publication.DatePrecision.DAY,
            arxiv_version=record.arxiv_version,
            arxiv_categories=list(record.categories),
            keywords=list(record.keywords),
            has_more_authors=record.has_more_authors,
            citation_count=record.citation_count,
            citation_count_as_of=self.today if record.citation_count is not None else None,
            citation_source=CITATION_SOURCES.get(record.source_format, "")
            if record.citation_count is not None
            else "",
            citations_by_year=dict(record.citations_by_year),
            is_published=self.publish,
            source_record={
                record.source_format: self._source_entry(record),
                "authors_from": record.source_format,
            },
        )
        target = Target(pub=pub, is_new=True, authors=self._author_rows(record))
        target.authors_replaced = True
        self._index(target, self._title_key(record))
        self._add_to_batch(target)
        return target

    def _add_to_batch(self, target: Target):
        if target.pub.pk is not None:
            self.fingerprints.pop(target.pub.pk, None)  # merged now: no shortcut later
        if id(target) not in self._batch_ids:
            self._batch_ids.add(id(target))
            self._batch.append(target)

    def _index(self, target: Target, key: str):
        pub = target.pub
        for name in IDENTIFIERS:
            value = getattr(pub, name)
            if value and value not in self.index[name]:
                self.index[name][value] = target
                target.keys.append((name, value))
        if key and target not in self.titles.get(key, []):
            self.titles.setdefault(key, []).append(target)
            target.keys.append(("title", key))

    def _creation_changes(self, target: Target) -> list[FieldChange]:
        pub = target.pub
        changes = [
            FieldChange(name, "", getattr(pub, name))
            for name in (
                "title",
                "kind",
                "published_on",
                *IDENTIFIERS,
                "venue",
                "volume",
                "issue",
                "pages",
                "publisher",
                "url",
                "pdf_url",
            )
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
        edited = set() if self.overwrite else set(pub.edited_fields or ())

        def assign(name, value):
            old = getattr(pub, name)
            if old != value:
                setattr(pub, name, value)
                changes.append(FieldChange(name, old, value))
                target.dirty.add(name)

        # Identifiers: add what is missing, never take one another paper holds.
        for name in IDENTIFIERS:
            value, current = getattr(record, name), getattr(pub, name)
            if not value or value == (current.lower() if name == "doi" else current):
                continue
            owner = self.index[name].get(value)
            if owner is not None and self._ref(owner) != self._ref(target):
                notes.append(
                    f"{IDENTIFIER_LABELS[name]} {value} belongs to another paper; not copied"
                )
                continue
            replace_preprint_doi = (
                name == "doi"
                and current
                and is_preprint_doi(current.lower())
                and not is_preprint_doi(value)
                and record.kind in PUBLISHED_KINDS
            )
            if name in edited:
                continue
            if not current or replace_preprint_doi or self.overwrite:
                if replace_preprint_doi:
                    previous = pub.source_record.setdefault("previous_dois", [])
                    if current not in previous:
                        previous.append(current)
                assign(name, value)
                self.index[name].setdefault(value, target)
                target.keys.append((name, value))
        if (
            record.arxiv_version
            and record.arxiv_id == pub.arxiv_id
            and (pub.arxiv_version or 0) < record.arxiv_version
        ):
            assign("arxiv_version", record.arxiv_version)

        # Kind: from less to more specific (a preprint becomes the published paper).
        published_version_arrived = False
        if (
            record.kind
            and record.kind != pub.kind
            and "kind" not in edited
            and (self.overwrite or kind_rank(record.kind) > kind_rank(pub.kind))
        ):
            published_version_arrived = (
                pub.kind == Publication.Kind.PREPRINT and record.kind in PUBLISHED_KINDS
            )
            assign("kind", record.kind)

        # Date: fill, follow the published version, or gain precision in the same year.
        if record.published_on and "published_on" not in edited:
            finer = (
                pub.published_on is not None
                and pub.published_on.year == record.published_on.year
                and PRECISION_RANK[record.date_precision] > PRECISION_RANK[pub.date_precision]
                and (
                    pub.date_precision == "year"
                    or pub.published_on.month == record.published_on.month
                )
            )
            if pub.published_on is None or finer or published_version_arrived or self.overwrite:
                assign("published_on", record.published_on)
                assign("date_precision", record.date_precision)

        for name in TEXT_FIELDS:
            value = getattr(record, name)
            if value and name not in edited:
                current = getattr(pub, name)
                if not current or (self.overwrite and current != value):
                    assign(name, value)
        for name, value in (("keywords", record.keywords), ("arxiv_categories", record.categories)):
            if value and name not in edited and (not getattr(pub, name) or self.overwrite):
                assign(name, list(value))

        # Citations: counts grow; a source may correct its own figure.
        count = record.citation_count
        source = CITATION_SOURCES.get(record.source_format, record.source_format)
        if (
            count is not None
            and "citation_count" not in edited
            and count != pub.citation_count
            and (
                pub.citation_count is None
                or count > pub.citation_count
                or pub.citation_source == source
                or self.overwrite
            )
        ):
            assign("citation_count", count)
            assign("citation_count_as_of", self.today)
            assign("citation_source", source)
        if record.citations_by_year and "citations_by_year" not in edited:
            merged = {**(pub.citations_by_year or {}), **record.citations_by_year}
            assign("citations_by_year", dict(sorted(merged.items())))

        self._merge_authors(target, record, changes, edited, notes)

        if changes:
            pub.source_record[record.source_format] = self._source_entry(record)
            target.dirty.add("source_record")
            self._reindex_facts(target)
        return changes

    def _reindex_facts(self, target: Target):
        pub = target.pub
        if pub.pk:
            self.facts[pub.pk] = (
                pub.published_on.year if pub.published_on else None,
                pub.kind,
                pub.doi.lower(),
                pub.arxiv_id,
            )

    def _merge_authors(self, target, record, changes, edited, notes):
        pub, new = target.pub, record.authors
        if not new or "authors" in edited:
            return
        old = target.authors
        rank_new = AUTHOR_SOURCE_RANK.get(record.source_format, 0)
        rank_old = AUTHOR_SOURCE_RANK.get(pub.source_record.get("authors_from", ""), 0)
        same_people = len(old) == len(new) and all(
            names_compatible(row.name, author.name) or fold(row.name) == fold(author.name)
            for row, author in zip(old, new, strict=True)
        )
        if old and same_people:
            self._enrich_authors(target, record, changes, better=rank_new > rank_old)
            return
        completes = pub.has_more_authors and not record.has_more_authors and len(new) >= len(old)
        if old and not (self.overwrite or rank_new > rank_old or completes):
            if [row.name for row in old] != [author.name for author in new]:
                notes.append(
                    f"kept the existing author list ({len(old)} authors, from "
                    f"{pub.source_record.get('authors_from') or 'an editor'}) over this "
                    f"record's ({len(new)} authors)"
                )
            return
        rows = self._author_rows(record)
        for row in rows:
            if row.person_id is None:
                # Keep a link an editor made, when the same person is in the new list.
                match = next(
                    (o for o in old if o.person_id and names_compatible(o.name, row.name)), None
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
        for position, (row, author) in enumerate(
            zip(target.authors, record.authors, strict=True), 1
        ):
            if row.person_id is None:
                person_id = self._person_for(author)
                if person_id:
                    row.person_id, row.dirty = person_id, True
                    changes.append(
                        FieldChange(
                            f"author {position} profile",
                            "",
                            self.person_names.get(person_id, person_id),
                        )
                    )
            if not row.affiliation_ids and author.affiliations:
                row.affiliation_ids = self._affiliation_ids(author)
                row.dirty = row.new_affiliations = True
                changes.append(
                    FieldChange(
                        f"author {position} affiliations",
                        "",
                        "; ".join(self.org_names.get(pk, "") for pk in row.affiliation_ids),
                    )
                )
            if better and author.name != row.name and len(author.name) > len(row.name):
                # "E. Duflo" from a weaker source becomes "Esther Duflo".
                changes.append(FieldChange(f"author {position} name", row.name, author.name))
                row.name, row.dirty, upgraded = author.name, True, True
        if upgraded:
            target.pub.source_record["authors_from"] = record.source_format

    # -- writing --------------------------------------------------------------------------

    def _write(self):
        batch, self._batch, self._batch_ids = self._batch, [], set()
        self._title_keys = {}
        now = timezone.now()
        new = [target for target in batch if target.is_new and target.pub.pk is None]
        if new:
            for target in new:
                target.pub.created_at = target.pub.updated_at = now
                target.pub.import_fingerprint = self._stored_fingerprint(target)
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
                value = self._stored_fingerprint(target)
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
                Authorship(id=row.id, name=row.name, person_id=row.person_id)
                for row in changed_rows
            ]
            Authorship.objects.bulk_update(objects, ["name", "person"], batch_size=500)
        self._write_unlisted(batch)
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
        if self.revisions is not None:
            self.revisions.changed(target.pub.pk for target in batch if not target.is_new)
            self.revisions.created([(target.pub, _authorships(target)) for target in new])
        for target in batch:
            for row in target.authors:
                row.dirty = row.new_affiliations = False
            # From now on the index points at the row's id, so the batch can be freed.
            for name, value in target.keys:
                if name == "title":
                    refs = self.titles[value]
                    refs[refs.index(target)] = target.pub.pk
                else:
                    self.index[name][value] = target.pub.pk
            target.keys = []
            self._reindex_facts(target)
        self._targets.clear()

    def _write_unlisted(self, batch):
        """Add the authors behind “et al.” this run placed, and drop those a fuller author
        list now names (a person is an author of a paper once)."""
        new = [
            (target.pub.pk, None, self.person_names[pk], pk, False, False)
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

    def _stored_fingerprint(self, target: Target) -> str:
        """``digest@run``, and a "+" when the record's identifiers alone find the paper."""
        if not target.fingerprint:
            return ""
        return f"{target.fingerprint}@{self.run_id}{'+' if target.identified else ''}"


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


def insert_rows(model, fields, rows, *, prepared=False, returning=False, batch_size=500):
    """Multi-row INSERTs straight through the driver's cursor; with ``returning``, the
    new rows' ids in order.

    ``bulk_create`` spends most of an import compiling SQL and adapting each value of
    each row; a new paper's values need no such work except dates and JSON, prepared
    here per field type. ``prepared`` rows hold only plain values (str, int, bool, None).
    Each statement's text is built once per row count, with the driver's placeholder
    (see ``_driver_cursor``). The ids come from ``RETURNING``, in the order of the rows,
    as ``bulk_create`` takes them on SQLite and PostgreSQL.
    """
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    adapters = []  # (index, adapt) for the values that need adapting
    for index, model_field in enumerate(fields):
        internal = model_field.get_internal_type()
        if prepared or internal in PLAIN_TYPES:
            continue
        if internal == "DateField":
            adapters.append((index, ops.adapt_datefield_value))
        elif internal == "DateTimeField":
            adapters.append((index, _last_one_kept(ops.adapt_datetimefield_value)))
        elif internal == "JSONField":
            adapt = partial(ops.adapt_json_value, encoder=model_field.encoder)
            adapters.append((index, _empty_ones_kept(adapt)))
        else:
            adapters.append((index, partial(model_field.get_db_prep_save, connection=connection)))
    placeholder = "?" if connection.Database.paramstyle == "qmark" else "%s"
    row_sql = "(" + ", ".join([placeholder] * len(fields)) + ")"
    per_statement = max(1, min(batch_size, 30000 // len(fields)))
    returning_sql = f" RETURNING {ops.quote_name(model._meta.pk.column)}" if returning else ""
    statements: dict[int, str] = {}  # rows in the statement → its text
    chunk: list = []
    ids: list[int] = []
    with _driver_cursor() as execute:

        def flush():
            count = len(chunk) // len(fields)
            sql = statements.get(count)
            if sql is None:
                values = ", ".join([row_sql] * count)
                sql = statements[count] = (
                    f"INSERT INTO {table} ({columns}) VALUES {values}{returning_sql}"
                )
            cursor = execute(sql, chunk)
            if returning:
                ids.extend(row[0] for row in cursor.fetchall())

        count = 0
        for row in rows:
            if adapters:
                row = list(row)
                for index, adapt in adapters:
                    if row[index] is not None:
                        row[index] = adapt(row[index])
            chunk.extend(row)
            count += 1
            if count == per_statement:
                flush()
                chunk, count = [], 0
        if chunk:
            flush()
    return ids


@contextmanager
def _driver_cursor():
    """``execute(sql, params)`` on the database driver's own cursor (statements use its
    placeholder: "?" for SQLite, "%s" for psycopg), through the connection's execute
    wrappers, with Django's error classes and, when the connection logs queries (DEBUG,
    ``CaptureQueriesContext``), its log.

    Django's SQLite cursor turns every "%s" of a statement into "?" with a regular
    expression: for the 20,000 placeholders of each multi-row INSERT of a large import
    that took more time than the statements it converted took to insert their rows."""
    connection.ensure_connection()
    cursor = connection.connection.cursor()

    def run(sql, params, many, context):
        return cursor.execute(sql, params)

    def execute(sql, params):
        start = time.monotonic()
        runner = run
        for wrapper in reversed(connection.execute_wrappers):
            runner = partial(wrapper, runner)
        with connection.wrap_database_errors:
            runner(sql, params, False, {"connection": connection, "cursor": cursor})
        if connection.queries_logged:
            connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - start:.3f}"})
        return cursor

    try:
        yield execute
    finally:
        cursor.close()


def _last_one_kept(adapt):
    """``adapt``, reusing the last result for the same value (a batch's rows share one
    ``created_at``)."""
    last = [object(), None]

    def adapt_same(value):
        if value != last[0]:
            last[:] = value, adapt(value)
        return last[1]

    return adapt_same


def _empty_ones_kept(adapt):
    """``adapt`` for JSON, with ``[]`` and ``{}`` (most JSON values of a new paper)
    adapted once."""
    empty_list, empty_dict = adapt([]), adapt({})

    def adapt_json(value):
        if value == [] and type(value) is list:
            return empty_list
        if value == {} and type(value) is dict:
            return empty_dict
        return adapt(value)

    return adapt_json


PLAIN_TYPES = {
    "CharField",
    "TextField",
    "SlugField",
    "URLField",
    "EmailField",
    "BooleanField",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "BigIntegerField",
    "ForeignKey",
}


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
