"""OpenAlex works JSON (one work, a ``{meta, results}`` page, or a list) → ``PaperRecord``."""

import html
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
from .text import clean, first_url, make_date, normalize_pages, parse_iso_date

FORMAT = "openalex"
SOURCE_NAME = "OpenAlex"

KINDS = {
    "journal-article": "journal_article",
    "proceedings-article": "conference_paper",
    "posted-content": "preprint",
    "book-chapter": "chapter",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "dissertation": "thesis",
    "report": "report",
    "preprint": "preprint",
    "article": "journal_article",
    "dataset": "other",
}


def short_id(value, prefix: str) -> str:
    """“https://openalex.org/W123” → “W123”; also ORCID and ROR URLs."""
    text = clean(value)
    return text.rsplit("/", 1)[-1] if text.startswith(prefix) else text


def abstract_text(inverted) -> str:
    """OpenAlex ships abstracts as ``{word: [positions]}``; put the words back in order."""
    if not isinstance(inverted, dict) or not inverted:
        return ""
    positions = {}
    for word, places in inverted.items():
        for place in places or []:
            if isinstance(place, int):
                positions[place] = word
    text = " ".join(positions[place] for place in sorted(positions))
    return clean(html.unescape(text))


def work_record(item: dict, location: Location) -> PaperRecord:
    record = PaperRecord(source_format=FORMAT, location=location, raw=item)
    record.openalex_id = short_id(item.get("id"), "https://openalex.org/")
    record.title = clean(html.unescape(str(item.get("title") or item.get("display_name") or "")))
    record.doi = normalize_doi(str(item.get("doi") or (item.get("ids") or {}).get("doi") or ""))
    if record.doi and arxiv_id_from_doi(record.doi):
        record.arxiv_id, record.doi = arxiv_id_from_doi(record.doi), ""
    if item.get("publication_date"):
        record.published_on, record.date_precision = parse_iso_date(item["publication_date"])
    elif item.get("publication_year"):
        record.published_on, record.date_precision = make_date(item["publication_year"])
    for authorship in item.get("authorships") or []:
        author = authorship.get("author") or {}
        name = clean(author.get("display_name") or authorship.get("raw_author_name"))
        if not name:
            continue
        affiliations = [
            AffiliationRef(
                clean(inst.get("display_name")), short_id(inst.get("ror"), "https://ror.org/")
            )
            for inst in authorship.get("institutions") or []
            if clean(inst.get("display_name"))
        ]
        if not affiliations:
            affiliations = [
                AffiliationRef(clean(text))
                for text in authorship.get("raw_affiliation_strings") or []
                if clean(text)
            ]
        record.authors.append(
            AuthorRecord(
                name=name,
                affiliations=affiliations,
                orcid=short_id(author.get("orcid"), "https://orcid.org/"),
                openalex_id=short_id(author.get("id"), "https://openalex.org/"),
                is_corresponding=bool(authorship.get("is_corresponding")),
            )
        )
    location_info = item.get("primary_location") or {}
    source_info = location_info.get("source") or {}
    venue = clean(source_info.get("display_name"))
    is_repository = source_info.get("type") == "repository" or "arxiv" in venue.lower()
    record.venue = "" if is_repository else venue
    record.publisher = clean(source_info.get("host_organization_name"))
    biblio = item.get("biblio") or {}
    record.volume = clean(biblio.get("volume"))
    record.issue = clean(biblio.get("issue"))
    first, last = clean(biblio.get("first_page")), clean(biblio.get("last_page"))
    record.pages = normalize_pages(f"{first}–{last}" if first and last and first != last else first)
    record.abstract = abstract_text(item.get("abstract_inverted_index"))
    if isinstance(item.get("cited_by_count"), int):
        record.citation_count = item["cited_by_count"]
    for row in item.get("counts_by_year") or []:
        if isinstance(row, dict) and row.get("year") and isinstance(row.get("cited_by_count"), int):
            record.citations_by_year[str(row["year"])] = row["cited_by_count"]
    record.keywords = [
        clean(entry.get("keyword") or entry.get("display_name"))
        for entry in item.get("keywords") or []
        if isinstance(entry, dict) and clean(entry.get("keyword") or entry.get("display_name"))
    ]
    best = item.get("best_oa_location") or {}
    record.pdf_url = first_url(best.get("pdf_url") or location_info.get("pdf_url"))
    landing = first_url(location_info.get("landing_page_url"))
    if landing and "doi.org/" not in landing:
        record.url = landing
    kind = item.get("type_crossref") or item.get("type") or ""
    record.kind = KINDS.get(kind, "other" if kind else "")
    if item.get("type") == "preprint" or (is_repository and record.kind == "journal_article"):
        record.kind = "preprint"
    return record


def parse(data, source: str) -> Iterator[PaperRecord | RecordProblem]:
    items = data.get("results") if isinstance(data, dict) and "results" in data else data
    if isinstance(items, dict):
        items = [items]
    for index, item in enumerate(items or [], start=1):
        if not isinstance(item, dict):
            yield RecordProblem(Location(source, None, f"item {index}"), "not a work object")
            continue
        key = short_id(item.get("id"), "https://openalex.org/") or f"item {index}"
        location = Location(source, None, key)
        yield guarded(location, work_record, item, location)
