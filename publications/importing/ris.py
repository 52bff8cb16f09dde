"""RIS (``TY  -`` … ``ER  -``) → ``PaperRecord``.

The file is split into records here, so each has its line number and memory stays
bounded: a record longer than ``ImportLimits.max_record_bytes`` is reported as soon as it
is, and skipped unread to its ``ER`` (lines are read in bounded pieces too). rispy parses
each record. A record without ``TY`` is reported: rispy would silently return nothing
for it. Tags written with one space before the dash (``TY - JOUR``, as some exporters
and Zotero's tests have it) are read as the standard two; ``ST`` (short title) stands
in for a missing title, as in Zotero.
"""

import re
from collections.abc import Iterable, Iterator

import rispy

from core.http.limits import ImportLimits

from ..identifiers import arxiv_id_from_doi, normalize_doi, split_arxiv_id
from .bibtex_scan import too_large
from .records import AuthorRecord, Location, PaperRecord, RecordProblem, guarded
from .text import (
    clean,
    clean_paragraphs,
    first_url,
    normalize_pages,
    parse_iso_date,
    split_keywords,
)

FORMAT = "ris"

KINDS = {
    "JOUR": "journal_article",
    "EJOUR": "journal_article",
    "JFULL": "journal_article",
    "MGZN": "journal_article",
    "INPR": "journal_article",
    "JOURNAL ARTICLE": "journal_article",
    "CONF": "conference_paper",
    "CPAPER": "conference_paper",
    "CHAP": "chapter",
    "ECHAP": "chapter",
    "BOOK": "book",
    "EBOOK": "book",
    "EDBOOK": "book",
    "THES": "thesis",
    "RPRT": "report",
    "UNPB": "preprint",
    "MANSCPT": "preprint",
    "BLOG": "post",
}
_END = re.compile(r"^ER {1,2}-")
_TAG_LINE = re.compile(r"^[A-Z][A-Z0-9] {1,2}-")
_TYPE_LINE = re.compile(r"^\ufeff?TY  -", re.MULTILINE)
_ONE_SPACE_TAG = re.compile(r"^(\ufeff?[A-Z][A-Z0-9]) -(?= |\r?$)")
DEFAULT_LIMITS = ImportLimits()
_CITED_BY = re.compile(r"cited by\s*:?\s*(\d+)", re.IGNORECASE)
_DOI_NOTE = re.compile(r"\b(10\.\d{4,9}/\S+)")
_ARXIV = re.compile(r"arxiv(?:\.org/(?:abs|pdf)/|:)\s*([\w.\-/]+)", re.IGNORECASE)


def _pieces(lines, max_chars: int) -> Iterator[str]:
    """The stream's lines, a very long line in pieces of at most ``max_chars``."""
    readline = getattr(lines, "readline", None)
    if readline is None:
        yield from lines
        return
    while piece := readline(max_chars):
        yield piece


def split_records(
    lines: Iterable[str], max_chars: int | None = None
) -> Iterator[tuple[str | None, int]]:
    """Each record's text (junk lines before ``TY`` included) and its first line number;
    ``None`` for a record longer than ``max_chars``, skipped up to its ``ER``. Tags with
    one space before the dash are given the standard two."""
    max_chars = max_chars or DEFAULT_LIMITS.max_record_bytes
    buffer: list[str] = []
    start, size, number, at_line_start, skipping = None, 0, 0, True, False
    for line in _pieces(lines, max_chars + 1):
        line_start, at_line_start = at_line_start, line.endswith("\n")
        if line_start:
            number += 1
        if skipping:
            if line_start and _END.match(line):
                skipping = False
            continue
        if start is None:
            if not line.strip():
                continue
            start = number
        if line_start and _ONE_SPACE_TAG.match(line):
            line = _ONE_SPACE_TAG.sub(r"\1  -", line, count=1)
        buffer.append(line)
        size += len(line)
        if size > max_chars:
            yield None, start
            skipping = not (line_start and _END.match(line))
            buffer, start, size = [], None, 0
        elif line_start and _END.match(line):
            yield "".join(buffer), start
            buffer, start, size = [], None, 0
    if buffer and any(_TAG_LINE.match(line) for line in buffer):
        yield "".join(buffer), start or 1


def _display(name: str) -> str:
    """“Valle-Delgado,J. J.” / “Marx, Karl” → “J. J. Valle-Delgado” / “Karl Marx”."""
    name = clean(name).strip(",")
    if "," in name:
        family, _, given = name.partition(",")
        given, _, suffix = given.partition(",")
        return clean(" ".join(part for part in (given, family, suffix) if clean(part)))
    return name


def entry_record(entry: dict, location: Location) -> PaperRecord:
    record = PaperRecord(source_format=FORMAT, location=location, raw=entry)
    record.title = clean(
        entry.get("title") or entry.get("primary_title") or entry.get("short_title")
    )
    names = (entry.get("first_authors") or []) + (entry.get("authors") or [])
    record.authors = [AuthorRecord(name=_display(name)) for name in names if _display(name)]
    for key in ("date", "publication_year", "year"):
        published_on, precision = parse_iso_date(entry.get(key))
        # DA wins over Y1 and PY, unless it only has the year and another has more.
        if published_on and (
            record.published_on is None or (precision == "day" and record.date_precision == "year")
        ):
            record.published_on, record.date_precision = published_on, precision
    record.venue = clean(
        entry.get("alternate_title3")
        or entry.get("secondary_title")
        or entry.get("journal_name")
        or entry.get("alternate_title2")
        or entry.get("alternate_title1")
    )
    unknown = entry.get("unknown_tag") or {}
    record.volume = clean(entry.get("volume") or " ".join(unknown.get("VO", [])))
    record.issue = clean(entry.get("number"))
    start, end = clean(entry.get("start_page")), clean(entry.get("end_page"))
    record.pages = normalize_pages(f"{start}–{end}" if start and end and start != end else start)
    record.publisher = clean(entry.get("publisher"))
    record.abstract = clean_paragraphs(entry.get("abstract") or entry.get("notes_abstract"))
    record.keywords = split_keywords(entry.get("keywords") or [])
    notes = " ".join(entry.get("notes") or [])
    record.doi = normalize_doi(entry.get("doi") or "")
    if not record.doi:
        match = _DOI_NOTE.search(f"{notes} {entry.get('type_of_work') or ''}")
        record.doi = normalize_doi(match.group(1)) if match else ""
    if record.doi and arxiv_id_from_doi(record.doi):
        record.arxiv_id, record.doi = arxiv_id_from_doi(record.doi), ""
    urls = []
    for value in entry.get("urls") or []:
        urls.extend(part for part in re.split(r"[;\s]+", value) if part)
    urls = [first_url(url) for url in urls if first_url(url)]
    for text in [*urls, notes]:
        match = _ARXIV.search(text)
        if match and not record.arxiv_id:
            record.arxiv_id, record.arxiv_version = split_arxiv_id(match.group(1))
    web = [url for url in urls if "doi.org/" not in url]
    record.url = web[0] if web else ""
    pdf = first_url(entry.get("file_attachments1"))
    if pdf.startswith("http"):
        record.pdf_url = pdf
    cited = _CITED_BY.search(notes)
    if cited:
        record.citation_count = int(cited.group(1))
    kind = clean(entry.get("type_of_reference")).upper()
    record.kind = KINDS.get(kind, "other")
    if record.arxiv_id and record.kind == "other":
        record.kind = "preprint"
    return record


def parse(
    lines: Iterable[str], source: str, limits: ImportLimits = DEFAULT_LIMITS
) -> Iterator[PaperRecord | RecordProblem]:
    for text, line in split_records(lines, limits.max_record_bytes):
        location = Location(source, line)
        if text is None:
            yield RecordProblem(location, too_large(limits.max_record_bytes, "record"))
            continue
        if not _TYPE_LINE.search(text):
            yield RecordProblem(location, "a record without a “TY  -” line (not valid RIS)")
            continue
        try:
            entries = rispy.loads(text.lstrip("\ufeff"))
        except Exception as error:  # rispy raises bare IOError/ValueError on bad input
            yield RecordProblem(location, f"unreadable RIS record: {error}")
            continue
        if not entries:
            yield RecordProblem(location, "unreadable RIS record")
            continue
        for entry in entries:
            location = Location(source, line, clean(entry.get("id")))
            yield guarded(location, entry_record, entry, location)
