"""Semantic Scholar Graph API JSON → ``PaperRecord``.

Accepts a paper (``/paper/{id}``), a list of papers (``/paper/batch``, where unknown ids
come back as ``null``), an author-papers page (``{offset, next, data}``) and an author
with papers (``{authorId, …, papers}``).
"""

from collections.abc import Iterator

from ..identifiers import arxiv_id_from_doi, normalize_doi, split_arxiv_id
from .records import AuthorRecord, Location, PaperRecord, RecordProblem, guarded
from .text import clean, clean_paragraphs, first_url, make_date, normalize_pages, parse_iso_date

FORMAT = "semantic_scholar"
SOURCE_NAME = "Semantic Scholar"

KINDS = {
    "JournalArticle": "journal_article",
    "Review": "journal_article",
    "Conference": "conference_paper",
    "Book": "book",
    "BookSection": "chapter",
    "Dataset": "other",
    "Editorial": "other",
    "LettersAndComments": "other",
}


def papers_of(data) -> tuple[list, list[str]]:
    """The paper items in a payload, and notes about it (e.g. more pages)."""
    notes = []
    if isinstance(data, list):
        return data, notes
    if isinstance(data.get("data"), list):
        if data.get("next") is not None:
            notes.append(
                f"this page ends at offset {data['next']}; more papers exist "
                "(use --s2-author to fetch every page)"
            )
        return data["data"], notes
    if isinstance(data.get("papers"), list):
        return data["papers"], notes
    return [data], notes


def paper_record(item: dict, location: Location) -> PaperRecord:
    record = PaperRecord(source_format=FORMAT, location=location, raw=item)
    record.title = clean(item.get("title"))
    record.semantic_scholar_id = clean(item.get("paperId"))
    ids = item.get("externalIds") or {}
    record.doi = normalize_doi(str(ids.get("DOI") or ""))
    record.arxiv_id, record.arxiv_version = split_arxiv_id(str(ids.get("ArXiv") or ""))
    if record.doi and arxiv_id_from_doi(record.doi):
        record.arxiv_id = record.arxiv_id or arxiv_id_from_doi(record.doi)
        record.doi = ""
    for author in item.get("authors") or []:
        name = clean((author or {}).get("name"))
        if name:
            record.authors.append(
                AuthorRecord(name=name, semantic_scholar_id=clean(author.get("authorId")))
            )
    if item.get("publicationDate"):
        record.published_on, record.date_precision = parse_iso_date(item["publicationDate"])
    if record.published_on is None and item.get("year"):
        record.published_on, record.date_precision = make_date(item["year"])
    journal = item.get("journal") or {}
    venue = item.get("publicationVenue") or {}
    record.venue = (
        clean(item.get("venue")) or clean(journal.get("name")) or clean(venue.get("name"))
    )
    if record.venue.lower() in {"arxiv", "arxiv.org"}:
        record.venue = ""
    record.volume = clean(journal.get("volume"))
    record.pages = normalize_pages(journal.get("pages"))
    record.abstract = clean_paragraphs(item.get("abstract"))
    tldr = item.get("tldr") or {}
    if tldr.get("text"):
        record.note = "TL;DR: " + clean(tldr["text"])
    pdf = item.get("openAccessPdf") or {}
    record.pdf_url = first_url(pdf.get("url"))
    if isinstance(item.get("citationCount"), int):
        record.citation_count = item["citationCount"]
    record.keywords = [clean(field) for field in item.get("fieldsOfStudy") or [] if clean(field)]
    types = item.get("publicationTypes") or []
    record.kind = next((KINDS[kind] for kind in types if kind in KINDS), "")
    if not record.kind and record.arxiv_id and not record.venue:
        record.kind = "preprint"
    return record


def parse(data, source: str) -> Iterator[PaperRecord | RecordProblem]:
    items, notes = papers_of(data)
    for index, item in enumerate(items, start=1):
        if item is None:
            yield RecordProblem(
                Location(source, None, f"item {index}"),
                "null: Semantic Scholar knows no paper for the id asked",
                skip=True,
            )
            continue
        if not isinstance(item, dict):
            yield RecordProblem(Location(source, None, f"item {index}"), "not a paper object")
            continue
        location = Location(source, None, clean(item.get("paperId")) or f"item {index}")
        record = guarded(location, paper_record, item, location)
        if index == 1 and isinstance(record, PaperRecord):
            record.warnings.extend(notes)
        yield record
