"""Crossref REST works JSON (``{message}`` for one work, ``{message: {items}}`` for a list)."""

from collections.abc import Iterator

from ..identifiers import arxiv_id_from_doi, normalize_doi
from .records import (
    AffiliationRef,
    AuthorRecord,
    Location,
    PaperRecord,
    RecordProblem,
    guarded,
)
from .text import (
    clean,
    clean_paragraphs,
    date_from_parts,
    first_url,
    normalize_pages,
    split_keywords,
    strip_markup,
)

FORMAT = "crossref"
SOURCE_NAME = "Crossref"

KINDS = {
    "journal-article": "journal_article",
    "proceedings-article": "conference_paper",
    "posted-content": "preprint",
    "book-chapter": "chapter",
    "book-section": "chapter",
    "book-part": "chapter",
    "reference-entry": "chapter",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "dissertation": "thesis",
    "report": "report",
    "report-component": "report",
}
PREPRINT_RELATIONS = ("has-preprint", "is-preprint-of", "has-version", "is-version-of")


def first(value) -> str:
    """Crossref wraps titles in lists, possibly empty or ``[""]``."""
    if isinstance(value, list):
        return next((str(item) for item in value if clean(item)), "")
    return str(value or "")


def person_name(person: dict) -> str:
    """A CSL/Crossref name: ``given``/``family`` with particles and suffix,
    or ``literal``/``name``."""
    if person.get("literal") or person.get("name"):
        return clean(person.get("literal") or person.get("name"))
    parts = [
        person.get("given"),
        person.get("dropping-particle"),
        person.get("non-dropping-particle"),
        person.get("family"),
    ]
    name = " ".join(clean(part) for part in parts if clean(part))
    suffix = clean(person.get("suffix"))
    if suffix:
        name = f"{name}, {suffix}" if person.get("comma-suffix") else f"{name} {suffix}"
    return name


def orcid_of(value) -> str:
    text = clean(value)
    return text.rsplit("/", 1)[-1] if text else ""


def work_record(item: dict, location: Location) -> PaperRecord:
    record = PaperRecord(source_format=FORMAT, location=location, raw=item)
    title = clean(strip_markup(first(item.get("title"))))
    subtitle = clean(strip_markup(first(item.get("subtitle"))))
    record.title = f"{title}: {subtitle}" if title and subtitle else title
    record.doi = normalize_doi(str(item.get("DOI") or ""))
    if record.doi and arxiv_id_from_doi(record.doi):
        record.arxiv_id, record.doi = arxiv_id_from_doi(record.doi), ""
    for person in item.get("author") or []:
        name = person_name(person)
        if name:
            record.authors.append(
                AuthorRecord(
                    name=name,
                    orcid=orcid_of(person.get("ORCID")),
                    affiliations=[
                        AffiliationRef(clean(strip_markup(aff.get("name"))))
                        for aff in person.get("affiliation") or []
                        if isinstance(aff, dict) and clean(aff.get("name"))
                    ],
                )
            )
    for key in ("issued", "published-print", "published-online", "published", "posted", "created"):
        record.published_on, record.date_precision = date_from_parts(item.get(key) or {})
        if record.published_on:
            break
    record.venue = clean(strip_markup(first(item.get("container-title"))))
    record.volume = clean(item.get("volume"))
    record.issue = clean(item.get("issue"))
    record.pages = normalize_pages(item.get("page"))
    record.publisher = clean(item.get("publisher"))
    record.abstract = clean_paragraphs(strip_markup(item.get("abstract")))
    count = item.get("is-referenced-by-count")
    if isinstance(count, int):
        record.citation_count = count
    record.keywords = split_keywords(item.get("subject") or [])
    for link in item.get("link") or []:
        if isinstance(link, dict) and link.get("content-type") == "application/pdf":
            record.pdf_url = first_url(link.get("URL"))
            break
    url = first_url(item.get("URL") or (item.get("resource") or {}).get("primary", {}).get("URL"))
    if url and "doi.org/" not in url:
        record.url = url
    relation = item.get("relation") or {}
    for name in PREPRINT_RELATIONS:
        for related in relation.get(name) or []:
            if isinstance(related, dict) and related.get("id-type") == "doi":
                doi = normalize_doi(str(related.get("id") or ""))
                if doi and doi != record.doi:
                    arxiv_id = arxiv_id_from_doi(doi)
                    if arxiv_id and not record.arxiv_id:
                        record.arxiv_id = arxiv_id
                    elif not arxiv_id:
                        record.related_dois.append(doi)
    kind = str(item.get("type") or "")
    record.kind = KINDS.get(kind, "other" if kind else "")
    if item.get("subtype") == "preprint":
        record.kind = "preprint"
    return record


def parse(data, source: str) -> Iterator[PaperRecord | RecordProblem]:
    message = data.get("message", data) if isinstance(data, dict) else data
    if isinstance(message, dict) and isinstance(message.get("items"), list):
        items = message["items"]
    elif isinstance(message, list):
        items = message
    else:
        items = [message]
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            yield RecordProblem(Location(source, None, f"item {index}"), "not a work object")
            continue
        key = clean(item.get("DOI")) or f"item {index}"
        location = Location(source, None, key)
        yield guarded(location, work_record, item, location)
