"""ORCID public API v3.0 works JSON → ``PaperRecord``.

Accepts the works summary (``/works``: ``group[]``, one record per group), a full record
(``activities-summary``), the bulk works endpoint (``/works/{put-codes}``: ``bulk[]``) and
a single work (``/work/{put-code}``). Summaries carry no authors; full works carry
``contributors`` and often a BibTeX ``citation``, used for the authors when the
contributors list is empty.
"""

from collections.abc import Iterator

from ..identifiers import arxiv_id_from_doi, normalize_doi, split_arxiv_id
from . import bibtex
from .records import AuthorRecord, Location, PaperRecord, RecordProblem, guarded
from .text import clean, clean_paragraphs, first_url, make_date, strip_markup

FORMAT = "orcid"

KINDS = {
    "journal-article": "journal_article",
    "conference-paper": "conference_paper",
    "book-chapter": "chapter",
    "book": "book",
    "edited-book": "book",
    "dissertation": "thesis",
    "dissertation-thesis": "thesis",
    "report": "report",
    "working-paper": "report",
    "preprint": "preprint",
    "online-resource": "other",
    "other": "other",
}


def _value(node, *path):
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def works_of(data) -> list[tuple[dict, bool]]:
    """(work, is_full_work) pairs in a payload."""
    if "activities-summary" in data:
        data = _value(data, "activities-summary", "works") or {}
    if isinstance(data.get("group"), list):
        works = []
        for group in data["group"]:
            summaries = (group or {}).get("work-summary") or []
            if summaries:
                # Several sources may describe the same work; the one the researcher
                # ranked first (lowest display-index) speaks for the group.
                works.append(
                    (min(summaries, key=lambda s: int(s.get("display-index") or 0)), False)
                )
        return works
    if isinstance(data.get("bulk"), list):
        return [(item.get("work") or item, "work" in item) for item in data["bulk"] if item]
    return [(data, True)]


def work_record(work: dict, source: str, full: bool) -> PaperRecord | RecordProblem:
    put_code = clean(work.get("put-code"))
    location = Location(source, None, f"put-code {put_code}" if put_code else "")
    if "error" in work or "response-code" in work:
        message = work.get("user-message") or work.get("developer-message") or "error"
        return RecordProblem(location, f"ORCID error: {message}")
    record = PaperRecord(source_format=FORMAT, location=location, raw=work)
    record.title = clean(_value(work, "title", "title", "value"))
    subtitle = clean(_value(work, "title", "subtitle", "value"))
    if record.title and subtitle:
        record.title = f"{record.title}: {subtitle}"
    date = work.get("publication-date") or {}
    record.published_on, record.date_precision = make_date(
        _value(date, "year", "value"), _value(date, "month", "value"), _value(date, "day", "value")
    )
    record.venue = clean(_value(work, "journal-title", "value"))
    record.kind = KINDS.get(clean(work.get("type")).lower(), "other")
    record.url = first_url(_value(work, "url", "value"))
    record.abstract = clean_paragraphs(strip_markup(work.get("short-description")))
    for external in _value(work, "external-ids", "external-id") or []:
        kind = clean(external.get("external-id-type")).lower()
        value = clean(_value(external, "external-id-normalized", "value")) or clean(
            external.get("external-id-value")
        )
        if external.get("external-id-normalized-error"):
            record.warnings.append(f"ORCID could not read the {kind} “{value}”; ignored")
            continue
        relationship = clean(external.get("external-id-relationship")).lower()
        if kind == "doi":
            doi = normalize_doi(value)
            if not doi:
                continue
            if relationship == "self" and not record.doi and not arxiv_id_from_doi(doi):
                record.doi = doi
            elif relationship == "self" and arxiv_id_from_doi(doi):
                record.arxiv_id = record.arxiv_id or arxiv_id_from_doi(doi)
            elif relationship != "self":
                record.related_dois.append(doi)
        elif kind == "arxiv" and relationship == "self":
            record.arxiv_id, record.arxiv_version = split_arxiv_id(value)
    contributors = _value(work, "contributors", "contributor") or []
    for contributor in contributors:
        name = clean(_value(contributor, "credit-name", "value"))
        role = clean(_value(contributor, "contributor-attributes", "contributor-role")).lower()
        if name and (role in {"", "author"} or role.startswith("http://credit.niso.org/")):
            record.authors.append(
                AuthorRecord(
                    name=name, orcid=clean(_value(contributor, "contributor-orcid", "path"))
                )
            )
    citation = work.get("citation") or {}
    if (
        full
        and clean(citation.get("citation-type")).lower() == "bibtex"
        and citation.get("citation-value")
    ):
        # The researcher's own BibTeX fills what the ORCID fields leave out.
        parsed = [
            item
            for item in bibtex.parse_text(citation["citation-value"], source)
            if isinstance(item, PaperRecord)
        ]
        if parsed:
            cited = parsed[0]
            if not record.authors:
                record.authors, record.has_more_authors = cited.authors, cited.has_more_authors
            for name in ("venue", "volume", "issue", "pages", "publisher", "abstract"):
                if not getattr(record, name) and getattr(cited, name):
                    setattr(record, name, getattr(cited, name))
            record.doi = record.doi or cited.doi
            record.arxiv_id = record.arxiv_id or cited.arxiv_id
    if not full:
        record.warnings.append("an ORCID work summary: no author list")
    return record


def parse(data, source: str) -> Iterator[PaperRecord | RecordProblem]:
    if not isinstance(data, dict):
        yield RecordProblem(Location(source), "not an ORCID works document")
        return
    for index, (work, full) in enumerate(works_of(data), start=1):
        if not isinstance(work, dict):
            yield RecordProblem(Location(source, None, f"work {index}"), "not a work object")
            continue
        yield guarded(Location(source, None, f"work {index}"), work_record, work, source, full)
