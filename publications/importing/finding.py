"""Finding the paper a record describes, among the papers in the database and those this
run created.

A record is the same paper as an existing row when they share a DOI (case-insensitive),
an arXiv id (without version; arXiv's own DOI ``10.48550/arXiv.<id>`` counts as the
arXiv id), a Semantic Scholar id or an OpenAlex id, tried in that order; then a DOI the
record names as another version of itself (Crossref ``has-preprint``, ORCID
``version-of``); then the same title (case, accents and punctuation ignored) and year
(``same_paper_by_title``).

Every paper's identifiers, title key and a few facts are read once, into dictionaries
(``PaperIndex``); the rows a batch touches are loaded in a few queries
(``PaperIndex.load_targets``).
"""

from django.contrib.contenttypes.models import ContentType

from core.models import SlugHistory

from ..models import Authorship, Publication
from .records import PaperRecord
from .reimport import Fingerprints
from .targets import AuthorRow, Target
from .text import title_key

IDENTIFIERS = ("doi", "arxiv_id", "semantic_scholar_id", "openalex_id")
IDENTIFIER_LABELS = {
    "doi": "DOI",
    "arxiv_id": "arXiv id",
    "semantic_scholar_id": "Semantic Scholar id",
    "openalex_id": "OpenAlex id",
}
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
# A preprint and its published version may be up to this many years apart.
TITLE_YEARS_APART_FOR_VERSIONS = 2


def is_preprint_doi(doi: str) -> bool:
    return doi.startswith(PREPRINT_DOI_PREFIXES)


def same_paper_by_title(record: PaperRecord, year, kind, doi, arxiv_id) -> bool:
    """Whether ``record`` is the paper with the same title and these facts. Two different
    DOIs (neither a preprint server's) or two different arXiv ids are never the same
    paper, whatever the title says. The years must agree, or be at most
    ``TITLE_YEARS_APART_FOR_VERSIONS`` apart when one is a preprint (or on arXiv)."""
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


def _facts(pub) -> tuple:
    return (
        pub.published_on.year if pub.published_on else None,
        pub.kind,
        pub.doi.lower(),
        pub.arxiv_id,
    )


class PaperIndex:
    """Papers by identifier and by title key. An entry is a paper's id, or the ``Target``
    of a paper this batch created or changed (until the batch is written: ``settle``).
    Also the slugs taken (current and former), for new papers' slugs."""

    def __init__(self, fingerprints: Fingerprints):
        self.index: dict[str, dict] = {name: {} for name in IDENTIFIERS}
        self.titles: dict[str, list] = {}
        self.facts: dict[int, tuple] = {}  # pk → (year, kind, doi, arxiv_id)
        self.slugs: set[str] = set()
        self.targets: dict[int, Target] = {}  # pk → the loaded rows of this batch
        rows = Publication.objects.values_list(
            "pk", "title", "published_on", "kind", "slug", "import_fingerprint", *IDENTIFIERS
        )
        note_fingerprint = fingerprints.note if fingerprints.valid_runs else None
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
            if fingerprint and note_fingerprint:
                note_fingerprint(pk, fingerprint)
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

    @staticmethod
    def ref(ref):
        """An entry as a comparable value: the paper's id once it has one."""
        return ref.pub.pk if isinstance(ref, Target) and ref.pub.pk else ref

    def _facts(self, ref) -> tuple:
        if isinstance(ref, Target):
            pub = ref.pub  # (its DOI as written: a row's is compared lower-cased)
            return (
                pub.published_on.year if pub.published_on else None,
                pub.kind,
                pub.doi,
                pub.arxiv_id,
            )
        target = self.targets.get(ref)
        if target is not None:
            return self._facts(target)
        return self.facts[ref]

    def find(self, record: PaperRecord, key: str) -> tuple[object, str, list[str]]:
        """The paper ``record`` describes (an id or a Target), how it was found, and notes.
        ``key`` is the record's title key."""
        found, how, notes = None, "", []
        for name in IDENTIFIERS:
            value = getattr(record, name)
            ref = self.index[name].get(value) if value else None
            if ref is None:
                continue
            if found is None:
                found, how = ref, IDENTIFIER_LABELS[name]
            elif self.ref(ref) != self.ref(found):
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
        for ref in self.titles.get(key, ()) if key else ():
            if same_paper_by_title(record, *self._facts(ref)):
                return ref, "title and year", notes
        return None, "", notes

    def identifies(self, record: PaperRecord, target: Target) -> bool:
        """Whether the record has an identifier and all of its identifiers are the
        target's: then, while nothing changes, finding the record's paper gives this
        one, without a note, whatever else the run that stored this found later."""
        some = False
        for name in IDENTIFIERS:
            value = getattr(record, name)
            if value:
                some = True
                if self.ref(self.index[name].get(value)) != self.ref(target):
                    return False
        return some

    def owned_by_another(self, name: str, value: str, target: Target) -> bool:
        """Whether identifier ``name`` = ``value`` belongs to a paper other than ``target``."""
        owner = self.index[name].get(value)
        return owner is not None and self.ref(owner) != self.ref(target)

    def add_identifier(self, target: Target, name: str, value: str):
        self.index[name].setdefault(value, target)
        target.keys.append((name, value))

    def add(self, target: Target, key: str):
        """Index a new paper by its identifiers and title key."""
        pub = target.pub
        for name in IDENTIFIERS:
            value = getattr(pub, name)
            if value and value not in self.index[name]:
                self.index[name][value] = target
                target.keys.append((name, value))
        if key and target not in self.titles.get(key, []):
            self.titles.setdefault(key, []).append(target)
            target.keys.append(("title", key))

    def reindex_facts(self, target: Target):
        if target.pub.pk:
            self.facts[target.pub.pk] = _facts(target.pub)

    def settle(self, target: Target):
        """After the batch is written: entries point at the row's id, so the batch can
        be freed."""
        for name, value in target.keys:
            if name == "title":
                refs = self.titles[value]
                refs[refs.index(target)] = target.pub.pk
            else:
                self.index[name][value] = target.pub.pk
        target.keys = []
        self.reindex_facts(target)

    def load_targets(self, pks):
        """Load the papers ``pks`` (those not loaded yet), their author rows and
        affiliations, in three queries."""
        pks = [pk for pk in pks if pk not in self.targets]
        if not pks:
            return
        for pub in Publication.objects.filter(pk__in=pks):
            self.targets[pub.pk] = Target(pub=pub, is_new=False)
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
                    self.targets[pub_id].unlisted_people.add(person_id)
                continue
            row = AuthorRow(name, person_id, [], corresponding, id=row_id)
            self.targets[pub_id].authors.append(row)
            rows[row_id] = row
        through = Authorship.affiliations.through
        for authorship_id, organization_id in through.objects.filter(
            authorship__publication_id__in=pks, authorship__position__isnull=False
        ).values_list("authorship_id", "organization_id"):
            rows[authorship_id].affiliation_ids.append(organization_id)
