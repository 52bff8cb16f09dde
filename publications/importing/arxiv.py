"""arXiv API Atom feeds (``export.arxiv.org/api/query``) → ``PaperRecord``.

Parsed with defusedxml (no DTDs, no entity expansion, no external entities). feedparser
is not used: it flattens ``arxiv:affiliation`` to one value per entry. The feed is read
entry by entry (``iterparse``), each entry dropped once it is read, so memory follows the
largest entry; an entry longer than ``ImportLimits.max_record_bytes`` or elements nested
deeper than ``max_nesting`` stop the feed with the reason, before they are all read.
"""

from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from defusedxml.ElementTree import parse as parse_xml

from core.http.limits import ImportLimits

from ..identifiers import normalize_doi, split_arxiv_id
from .bibtex_scan import too_large
from .records import (
    AffiliationRef,
    AuthorRecord,
    InputError,
    Location,
    PaperRecord,
    RecordProblem,
    guarded,
)
from .text import clean, clean_paragraphs, is_arxiv_category, parse_iso_date

FORMAT = "arxiv"
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
DEFAULT_LIMITS = ImportLimits()
_DTD_REFUSED = (
    "XML with a DTD or entity declarations is refused (it could be an "
    "entity-expansion or external-entity attack)"
)


def load_feed(stream, source: str) -> Element:
    """The feed's root element; unsafe or malformed XML raises ``InputError``."""
    try:
        root = parse_xml(stream, forbid_dtd=True).getroot()
    except DefusedXmlException:
        raise InputError(_DTD_REFUSED, source=source) from None
    except ParseError as error:
        line = error.position[0] if getattr(error, "position", None) else None
        raise InputError(f"malformed XML: {error}", source=source, line=line) from None
    if root.tag != f"{ATOM}feed":
        raise InputError("XML, but not an Atom feed", source=source)
    return root


def text_of(element: Element, tag: str) -> str:
    found = element.find(tag)
    return (found.text or "") if found is not None else ""


def entry_record(entry: Element, source: str, index: int) -> PaperRecord | RecordProblem:
    entry_id = clean(text_of(entry, f"{ATOM}id"))
    arxiv_id, version = split_arxiv_id(entry_id)
    location = Location(source, None, arxiv_id or f"entry {index}")
    if not arxiv_id:
        return RecordProblem(location, f"entry id “{entry_id}” is not an arXiv id")
    record = PaperRecord(
        source_format=FORMAT,
        location=location,
        raw=tostring(entry, encoding="unicode"),
        kind="preprint",
        arxiv_id=arxiv_id,
        arxiv_version=version,
        title=clean(text_of(entry, f"{ATOM}title")),
        abstract=clean_paragraphs(text_of(entry, f"{ATOM}summary")),
        journal_ref=clean(text_of(entry, f"{ARXIV}journal_ref")),
        note=clean(text_of(entry, f"{ARXIV}comment")),
        doi=normalize_doi(text_of(entry, f"{ARXIV}doi")),
    )
    # `published` is the first version's date: when the paper appeared.
    record.published_on, record.date_precision = parse_iso_date(
        text_of(entry, f"{ATOM}published") or text_of(entry, f"{ATOM}updated")
    )
    for author in entry.findall(f"{ATOM}author"):
        name = clean(text_of(author, f"{ATOM}name"))
        if name:
            affiliations = [
                AffiliationRef(clean(element.text))
                for element in author.findall(f"{ARXIV}affiliation")
                if clean(element.text)
            ]
            record.authors.append(AuthorRecord(name=name, affiliations=affiliations))
    primary = entry.find(f"{ARXIV}primary_category")
    if primary is not None and is_arxiv_category(primary.get("term", "")):
        record.arxiv_primary_category = primary.get("term")
    for category in entry.findall(f"{ATOM}category"):
        term = category.get("term", "")
        if (
            is_arxiv_category(term)
            and term != record.arxiv_primary_category
            and term not in record.categories
        ):
            record.categories.append(term)
    for link in entry.findall(f"{ATOM}link"):
        href = link.get("href", "")
        if link.get("title") == "pdf":
            record.pdf_url = href
        elif link.get("title") == "doi" and not record.doi:
            record.doi = normalize_doi(href)
        elif link.get("rel") == "alternate":
            # The abstract page without the version, so it always shows the latest.
            record.url = f"https://arxiv.org/abs/{arxiv_id}"
    return record


class _EntryTooLarge(Exception):
    pass


class _BoundedReader:
    """The stream, refusing to read more than ``limit`` bytes past ``mark`` (the start of
    the entry being read), so a huge entry is refused before it is all in memory."""

    def __init__(self, stream, limit: int):
        self.stream, self.limit = stream, limit
        self.position, self.mark = 0, None

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size if size and size > 0 else 65536)
        self.position += len(data)
        if self.mark is not None and self.position - self.mark > self.limit + 65536:
            raise _EntryTooLarge
        return data


def parse(
    stream, source: str, limits: ImportLimits = DEFAULT_LIMITS
) -> Iterator[PaperRecord | RecordProblem]:
    reader = _BoundedReader(stream, limits.max_record_bytes)
    depth, index, root = 0, 0, None
    try:
        for event, element in iterparse(reader, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                depth += 1
                if depth > limits.max_nesting:
                    raise InputError(
                        f"XML nested more than {limits.max_nesting} levels", source=source
                    )
                if root is None:
                    root = element
                    if element.tag != f"{ATOM}feed":
                        raise InputError("XML, but not an Atom feed", source=source)
                elif depth == 2 and element.tag == f"{ATOM}entry":
                    reader.mark = reader.position
                continue
            depth -= 1
            if depth != 1 or element.tag != f"{ATOM}entry":
                continue
            reader.mark = None
            index += 1
            yield from _entry(element, source, index, limits)
            root.clear()  # the entries read so far are not needed any more
    except DefusedXmlException:
        raise InputError(_DTD_REFUSED, source=source) from None
    except ParseError as error:
        line = error.position[0] if getattr(error, "position", None) else None
        raise InputError(f"malformed XML: {error}", source=source, line=line) from None
    except _EntryTooLarge:
        raise InputError(
            f"entry {index + 1}: " + too_large(limits.max_record_bytes),
            source=source,
        ) from None
    if root is None:
        raise InputError("malformed XML: no element found", source=source)


def _entry(entry: Element, source: str, index: int, limits: ImportLimits):
    entry_id = text_of(entry, f"{ATOM}id")
    if "/api/errors" in entry_id:
        # An invalid query comes back as a normal-looking feed with one error entry.
        message = clean(text_of(entry, f"{ATOM}summary")) or "unknown error"
        raise InputError(f"arXiv API error: {message} (nothing imported)", source=source)
    location = Location(source, None, f"entry {index}")
    size = sum(len(text or "") for node in entry.iter() for text in (node.text, node.tail))
    if size > limits.max_record_bytes:
        yield RecordProblem(location, too_large(limits.max_record_bytes, size=size))
        return
    yield guarded(location, entry_record, entry, source, index)


def total_results(root: Element) -> int | None:
    value = text_of(root, f"{OPENSEARCH}totalResults")
    return int(value) if value.strip().isdigit() else None
