"""The merge rules: which source wins each field of a paper, and its author list.

Each rule is a plain function over the paper (``pub``: a ``Publication`` or a new one)
and a ``PaperRecord``. A rule changes a field only through ``update(name, value)``,
which records the change (old and new value) for the report; ``edited`` holds the
fields an editor changed (``Publication.edited_fields``), which only ``overwrite``
touches. Change a rule here; ``merge.Merger`` applies them in this order:

1. ``merge_identifiers``: add what is missing, never take one another paper holds; a
   preprint server's DOI gives way to the published DOI.
2. ``merge_kind``: from less to more specific (a preprint becomes the published paper).
3. ``merge_date``: fill, follow the published version, or gain precision (year → month
   → day) in the same year.
4. ``merge_text``: fill empty text fields, keywords and arXiv categories.
5. ``merge_citations``: counts only grow, except that a source may correct its own count.
6. ``author_list_choice``: keep, enrich in place or replace the author list.

``new_paper_values`` is what a paper created from a record holds.
"""

from core.names import fold, names_compatible

from ..models import Publication
from .finding import IDENTIFIER_LABELS, IDENTIFIERS, is_preprint_doi
from .records import PaperRecord
from .targets import AuthorRow

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
# Where a record's citation count comes from, as stored in ``citation_source``.
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
KIND_RANK = {"": -1, "other": 0, "preprint": 1, "post": 1}  # published kinds rank 2
PUBLISHED_KINDS = {"journal_article", "conference_paper", "chapter", "book", "thesis", "report"}
PRECISION_RANK = {"": 0, "year": 1, "month": 2, "day": 3}
COPIED = (*TEXT_FIELDS, *IDENTIFIERS)  # what a new paper takes from its record as it is


def kind_rank(kind: str) -> int:
    return KIND_RANK.get(kind, 2)


def citation_source(record: PaperRecord) -> str:
    return CITATION_SOURCES.get(record.source_format, record.source_format)


def new_paper_values(record: PaperRecord, *, today, publish: bool) -> dict:
    """A new paper's fields from its record (besides ``COPIED``, taken as they are, and
    its slug): a draft unless ``publish``."""
    counted = record.citation_count is not None
    return {
        "kind": record.kind or Publication.Kind.OTHER,
        "published_on": record.published_on,
        "date_precision": record.date_precision or Publication.DatePrecision.DAY,
        "arxiv_version": record.arxiv_version,
        "arxiv_categories": list(record.categories),
        "keywords": list(record.keywords),
        "has_more_authors": record.has_more_authors,
        "citation_count": record.citation_count,
        "citation_count_as_of": today if counted else None,
        "citation_source": CITATION_SOURCES.get(record.source_format, "") if counted else "",
        "citations_by_year": dict(record.citations_by_year),
        "is_published": publish,
    }


def merge_identifiers(pub, record, update, *, edited, overwrite, owned_by_another, notes):
    """Add the record's identifiers the paper lacks. One another paper holds is not
    copied (a note says so); a preprint server's DOI gives way to the published DOI
    (the old one is kept in ``source_record["previous_dois"]``). Returns the identifiers
    set, as (name, value)."""
    added = []
    for name in IDENTIFIERS:
        value, current = getattr(record, name), getattr(pub, name)
        if not value or value == (current.lower() if name == "doi" else current):
            continue
        if owned_by_another(name, value):
            notes.append(f"{IDENTIFIER_LABELS[name]} {value} belongs to another paper; not copied")
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
        if not current or replace_preprint_doi or overwrite:
            if replace_preprint_doi:
                previous = pub.source_record.setdefault("previous_dois", [])
                if current not in previous:
                    previous.append(current)
            update(name, value)
            added.append((name, value))
    if (
        record.arxiv_version
        and record.arxiv_id == pub.arxiv_id
        and (pub.arxiv_version or 0) < record.arxiv_version
    ):
        update("arxiv_version", record.arxiv_version)
    return added


def merge_kind(pub, record, update, *, edited, overwrite) -> bool:
    """From less to more specific: other < preprint, post < the published kinds. Returns
    whether this is a preprint's published version arriving."""
    if (
        record.kind
        and record.kind != pub.kind
        and "kind" not in edited
        and (overwrite or kind_rank(record.kind) > kind_rank(pub.kind))
    ):
        arrived = pub.kind == Publication.Kind.PREPRINT and record.kind in PUBLISHED_KINDS
        update("kind", record.kind)
        return arrived
    return False


def merge_date(pub, record, update, *, edited, overwrite, published_version_arrived):
    """Fill an empty date; take the published version's date; or gain precision when
    the years (and months, if known) agree."""
    if not record.published_on or "published_on" in edited:
        return
    finer = (
        pub.published_on is not None
        and pub.published_on.year == record.published_on.year
        and PRECISION_RANK[record.date_precision] > PRECISION_RANK[pub.date_precision]
        and (pub.date_precision == "year" or pub.published_on.month == record.published_on.month)
    )
    if pub.published_on is None or finer or published_version_arrived or overwrite:
        update("published_on", record.published_on)
        update("date_precision", record.date_precision)


def merge_text(pub, record, update, *, edited, overwrite):
    """Empty text fields, keywords and categories are filled; with ``overwrite`` the
    record's non-empty values replace what is there."""
    for name in TEXT_FIELDS:
        value = getattr(record, name)
        if value and name not in edited:
            current = getattr(pub, name)
            if not current or (overwrite and current != value):
                update(name, value)
    for name, value in (("keywords", record.keywords), ("arxiv_categories", record.categories)):
        if value and name not in edited and (not getattr(pub, name) or overwrite):
            update(name, list(value))


def merge_citations(pub, record, update, *, edited, overwrite, today):
    """A count replaces the stored one when larger, or when it comes from the source of
    the stored one (a correction); counts by year are merged, the record's winning."""
    count = record.citation_count
    source = citation_source(record)
    if (
        count is not None
        and "citation_count" not in edited
        and count != pub.citation_count
        and (
            pub.citation_count is None
            or count > pub.citation_count
            or pub.citation_source == source
            or overwrite
        )
    ):
        update("citation_count", count)
        update("citation_count_as_of", today)
        update("citation_source", source)
    if record.citations_by_year and "citations_by_year" not in edited:
        merged = {**(pub.citations_by_year or {}), **record.citations_by_year}
        update("citations_by_year", dict(sorted(merged.items())))


def same_people(old: list[AuthorRow], new) -> bool:
    """Two author lists name the same people, in the same order (“E. Duflo” is
    “Esther Duflo”)."""
    return len(old) == len(new) and all(
        names_compatible(row.name, author.name) or fold(row.name) == fold(author.name)
        for row, author in zip(old, new, strict=True)
    )


def author_list_choice(pub, old: list[AuthorRow], record, *, overwrite) -> str:
    """What happens to the paper's author list (``old``) given the record's:

    - ``"keep"``: no authors in the record; or an existing list that a weaker source
      would replace (arXiv and Crossref over OpenAlex and CSL over Semantic Scholar, RIS
      and ORCID over BibTeX: ``AUTHOR_SOURCE_RANK``);
    - ``"enrich"`` / ``"enrich-names"``: the same people: links to people and
      affiliations are added in place (and, from a stronger source, fuller names);
    - ``"replace"``: an empty list, ``overwrite``, a stronger source, or a complete list
      over one ending in “and others”.
    """
    new = record.authors
    if not new:
        return "keep"
    rank_new = AUTHOR_SOURCE_RANK.get(record.source_format, 0)
    rank_old = AUTHOR_SOURCE_RANK.get(pub.source_record.get("authors_from", ""), 0)
    if old and same_people(old, new):
        return "enrich-names" if rank_new > rank_old else "enrich"
    completes = pub.has_more_authors and not record.has_more_authors and len(new) >= len(old)
    if old and not (overwrite or rank_new > rank_old or completes):
        return "keep"
    return "replace"


def takes_fuller_name(row: AuthorRow, name: str) -> bool:
    """With ``enrich-names``: “E. Duflo” from a weaker source becomes “Esther Duflo”."""
    return name != row.name and len(name) > len(row.name)
