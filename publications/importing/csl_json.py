"""CSL-JSON (an array of items, one item, or ``{"items": [...]}``) → ``PaperRecord``."""

import re
from collections.abc import Iterator

from ..identifiers import arxiv_id_from_doi, normalize_doi, split_arxiv_id
from . import crossref
from .crossref import first, orcid_of, person_name
from .records import AuthorRecord, Location, PaperRecord, RecordProblem, guarded
from .text import (
    clean,
    clean_paragraphs,
    date_from_parts,
    first_url,
    normalize_pages,
    split_keywords,
    strip_markup,
)

FORMAT = "csl_json"

KINDS = {
    "article-journal": "journal_article",
    "paper-conference": "conference_paper",
    "chapter": "chapter",
    "entry-encyclopedia": "chapter",
    "entry-dictionary": "chapter",
    "book": "book",
    "thesis": "thesis",
    "report": "report",
    "article": "preprint",  # CSL's "article" is the unpublished/preprint type
    "manuscript": "preprint",
    "post": "post",
    "post-weblog": "post",
    "webpage": "other",
    "dataset": "other",
    "software": "other",
    "article-magazine": "journal_article",
    "article-newspaper": "other",
}
_ARXIV = re.compile(r"arxiv(?:\.org/(?:abs|pdf)/|:)\s*([\w.\-/]+)", re.IGNORECASE)


def item_record(item: dict, location: Location) -> PaperRecord:
    record = PaperRecord(source_format=FORMAT, location=location, raw=item)
    record.title = clean(strip_markup(first(item.get("title"))))
    for person in item.get("author") or []:
        if isinstance(person, dict) and person_name(person):
            record.authors.append(
                AuthorRecord(name=person_name(person), orcid=orcid_of(person.get("ORCID")))
            )
    record.published_on, record.date_precision = date_from_parts(item.get("issued") or {})
    record.venue = clean(strip_markup(first(item.get("container-title"))))
    record.volume = clean(item.get("volume"))
    record.issue = clean(item.get("issue"))
    record.pages = normalize_pages(item.get("page"))
    record.publisher = clean(item.get("publisher"))
    record.abstract = clean_paragraphs(strip_markup(item.get("abstract")))
    record.doi = normalize_doi(str(item.get("DOI") or item.get("doi") or ""))
    if record.doi and arxiv_id_from_doi(record.doi):
        record.arxiv_id, record.doi = arxiv_id_from_doi(record.doi), ""
    url = first_url(item.get("URL"))
    for text in (str(item.get("number") or ""), url, str(item.get("archive_location") or "")):
        match = _ARXIV.search(text)
        if match and not record.arxiv_id:
            record.arxiv_id, record.arxiv_version = split_arxiv_id(match.group(1))
    if url and "doi.org/" not in url:
        record.url = url
    record.keywords = split_keywords(item.get("keyword"))
    count = item.get("is-referenced-by-count")
    if isinstance(count, int):
        record.citation_count = count
    kind = str(item.get("type") or "")
    # Crossref's CSL-JSON keeps Crossref's own type names ("journal-article").
    record.kind = KINDS.get(kind) or crossref.KINDS.get(kind) or ("other" if kind else "")
    if record.arxiv_id and record.kind in {"", "other"}:
        record.kind = "preprint"
    return record


def parse(data, source: str) -> Iterator[PaperRecord | RecordProblem]:
    if isinstance(data, dict):
        items = data["items"] if isinstance(data.get("items"), list) else [data]
    else:
        items = data
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            yield RecordProblem(Location(source, None, f"item {index}"), "not a CSL item")
            continue
        key = clean(item.get("id")) or clean(item.get("DOI")) or f"item {index}"
        location = Location(source, None, key)
        yield guarded(location, item_record, item, location)
