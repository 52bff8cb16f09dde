"""BibTeX and biblatex → ``PaperRecord``.

``bibtex_scan`` splits the text into blocks (entries, ``@string`` definitions, broken
blocks) and we resolve values ourselves, as BibTeX does: ``@string`` names are
case-insensitive and ``#`` joins pieces. The file is read in pieces of whole blocks, so
memory stays bounded however large the file is; ``@string`` macros carry over from piece
to piece, and ``crossref`` children wait for a parent that comes later in the file.
``bibtex_values`` evaluates values and expands macros (within ``ImportLimits``),
``bibtex_inherit`` applies crossref and xdata inheritance as biber does. ``@set`` and
``@xdata`` entries are not works; ``@proceedings``, ``@collection`` and the other
parents are imported as works of their own.
"""

import hashlib
import io
import re
from collections.abc import Iterator
from functools import lru_cache

from core.http.limits import ImportLimits

from ..identifiers import arxiv_id_from_doi, normalize_doi, split_arxiv_id
from . import bibtex_scan, latex
from .bibtex_inherit import MAX_LEVELS, inherit, split_keys, with_xdata
from .bibtex_values import DEFAULT_LIMITS, MONTHS, BibValueError, Macros, evaluate
from .records import AuthorRecord, KnownRecord, Location, PaperRecord, RecordProblem
from .text import (
    clean,
    clean_paragraphs,
    first_url,
    is_arxiv_category,
    make_date,
    normalize_pages,
    parse_iso_date,
    split_keywords,
)

FORMAT = "bibtex"

KINDS = {
    "article": "journal_article",
    "inproceedings": "conference_paper",
    "conference": "conference_paper",
    "book": "book",
    "mvbook": "book",
    "proceedings": "book",
    "mvproceedings": "book",
    "collection": "book",
    "mvcollection": "book",
    "reference": "book",
    "mvreference": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "bookinbook": "chapter",
    "suppbook": "chapter",
    "suppcollection": "chapter",
    "inreference": "chapter",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "unpublished": "preprint",
    "preprint": "preprint",
    "misc": "other",
    "online": "other",
    "electronic": "other",
    "www": "other",
    "manual": "other",
    "booklet": "other",
    "patent": "other",
    "dataset": "other",
    "software": "other",
    "periodical": "other",
    "suppperiodical": "other",
}
_NOOPSORT = re.compile(r"\\noopsort\s*\{[^{}]*\}")
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_ARXIV_IN_TEXT = re.compile(
    r"arxiv[:\s/]*(?:abs/)?([a-z\-]+(?:\.[A-Z]{2})?/\d{7}|\d{4}\.\d{4,5})(v\d+)?", re.I
)
_DBLP_ARXIV_VOLUME = re.compile(r"^abs/(.+)$")
_DOI_IN_TEXT = re.compile(r"10\.\d{4,9}/[^\s\"'<>{}]+")
_DIGITS = re.compile(r"\d{4}")


def _split_top_level(text: str, separator: re.Pattern) -> list[str]:
    """Split at ``separator`` matches outside braces."""
    pieces = separator.split(text)
    if "{" not in text or len(pieces) == 1:
        return pieces
    if all(piece.count("{") == piece.count("}") for piece in pieces):
        return pieces  # no separator inside braces
    # Re-join pieces cut inside a brace group ("{Barnes and Noble}").
    parts, current, depth = [], [], 0
    separators = separator.findall(text)
    for index, piece in enumerate(pieces):
        current.append(piece)
        depth += piece.count("{") - piece.count("}")
        if depth <= 0 or index == len(pieces) - 1:
            parts.append("".join(current))
            current, depth = [], 0
        else:
            current.append(separators[index])
    return parts


_COMMA = re.compile(r"\s*,\s*")
_SUFFIX = re.compile(r"^(?:jr|sr|[ivx]+|\d+(?:st|nd|rd|th))\.?$", re.IGNORECASE)


@lru_cache(maxsize=65536)
def display_name(raw: str) -> str:
    """One BibTeX name in display order: “von Hicks, III, Michael” → “Michael von Hicks III”,
    “M{\\"u}ller, Jan” → “Jan Müller”, “{Octo Model Team}” → “Octo Model Team”."""
    raw = clean(raw)
    parts = _split_top_level(raw, _COMMA) if "," in raw else [raw]
    if len(parts) == 2:
        last, first = parts
        raw = f"{first} {last}" if first else last
    elif len(parts) >= 3:
        last, suffix, first = parts[0], parts[1], ", ".join(parts[2:])
        if _SUFFIX.match(first) and not _SUFFIX.match(suffix):
            first, suffix = suffix, first  # "Fulton, James E., Jr.": suffix written last
        raw = " ".join(part for part in (first, last, suffix) if part)
    return clean(latex.decode(raw)).strip(", ")


def split_authors(value: str) -> tuple[list[str], bool]:
    """Display names in order, and whether the list ends with “and others”."""
    value = clean(value)
    if not value:
        return [], False
    names = [name for name in _split_top_level(value, _AND) if name.strip()]
    more = False
    if names and names[-1].strip().lower() in {"others", "et al.", "et al"}:
        names.pop()
        more = True
    if len(names) == 1:
        # "A. Smith, B. Jones, C. Brown": a comma list with no "and" (not a valid BibTeX
        # name, which has at most two commas).
        pieces = _split_top_level(names[0], _COMMA)
        if len(pieces) >= 3 and all(len(piece.split()) >= 2 for piece in pieces):
            names = pieces
    shown = [display_name(name) for name in names]
    return [name for name in shown if name], more


def _month(value: str) -> int | None:
    text = clean(value).lower()
    if not text:
        return None
    if text.isdigit():
        number = int(text)
        return number if 1 <= number <= 12 else None
    return MONTHS.get(text[:3])


def _text(fields: dict, *names: str) -> str:
    for name in names:
        value = fields.get(name)
        if value:
            return clean(latex.decode(value))
    return ""


def _find_doi(value: str) -> str:
    doi = normalize_doi(value)
    if doi:
        return doi
    match = _DOI_IN_TEXT.search(value or "")
    return normalize_doi(match.group(0)) if match else ""


def _arxiv_id(fields: dict) -> tuple[str, int | None]:
    eprint = clean(fields.get("eprint", ""))
    prefix = clean(fields.get("archiveprefix") or fields.get("eprinttype") or "").lower()
    if eprint and (prefix in {"arxiv", ""}):
        found = split_arxiv_id(eprint)
        if found[0]:
            return found
    journal = fields.get("journal") or fields.get("journaltitle") or ""
    volume = clean(fields.get("volume", ""))
    if journal.strip().lower() in {"corr", "arxiv", "{corr}", "arxiv e-prints"}:
        match = _DBLP_ARXIV_VOLUME.match(volume)
        if match and split_arxiv_id(match.group(1))[0]:
            return split_arxiv_id(match.group(1))
    for text in (
        journal,
        fields.get("url", ""),
        fields.get("note", ""),
        fields.get("howpublished", ""),
    ):
        if text and "arxiv" in text.lower():
            match = _ARXIV_IN_TEXT.search(text)
            if match:
                found = split_arxiv_id(match.group(1) + (match.group(2) or ""))
                if found[0]:
                    return found
    return "", None


def _is_preprint_venue(venue: str) -> bool:
    lowered = venue.lower()
    return lowered.startswith(("arxiv", "corr", "biorxiv", "medrxiv", "ssrn")) or (
        "preprint" in lowered
    )


def build_record(entry_type: str, key: str, fields: dict, location: Location, raw) -> PaperRecord:
    """A record from one entry's evaluated (not yet LaTeX-decoded) fields."""
    record = PaperRecord(source_format=FORMAT, location=location, raw=raw)
    entry_type = entry_type.lower()
    kind = KINDS.get(entry_type)
    if kind is None:
        record.warnings.append(_unknown_type(entry_type))
        kind = "other"

    title = _text(fields, "title")
    subtitle = _text(fields, "subtitle")
    record.title = f"{title}: {subtitle}" if title and subtitle else title

    if fields.get("author"):
        names, record.has_more_authors = split_authors(fields["author"])
        record.authors = [AuthorRecord(name=name) for name in names]

    # Dates: biblatex `date` wins, then year/month/day.
    if fields.get("date"):
        record.published_on, record.date_precision = parse_iso_date(fields["date"])
    if record.published_on is None and fields.get("year"):
        year = _DIGITS.search(_NOOPSORT.sub("", fields["year"]))
        if year:
            record.published_on, record.date_precision = make_date(
                year.group(0), _month(fields.get("month", "")), clean(fields.get("day", "")) or None
            )

    if entry_type in {"inproceedings", "conference", "incollection", "inbook", "bookinbook"}:
        record.venue = _text(fields, "booktitle", "journal", "journaltitle", "eventtitle")
    else:
        record.venue = _text(fields, "journal", "journaltitle", "booktitle")
    record.volume = _text(fields, "volume")
    record.issue = _text(fields, "number", "issue")
    record.pages = normalize_pages(latex.decode(fields.get("pages", "")))
    if entry_type in {"phdthesis", "mastersthesis", "thesis"}:
        record.publisher = _text(fields, "school", "institution", "publisher")
    elif entry_type in {"techreport", "report"}:
        record.publisher = _text(fields, "institution", "publisher", "organization")
    else:
        record.publisher = _text(fields, "publisher", "organization")
    record.note = _text(fields, "note")
    if fields.get("abstract"):
        record.abstract = clean_paragraphs(latex.decode(fields["abstract"]))
    record.keywords = split_keywords(
        latex.decode(fields.get("keywords") or fields.get("keyword") or "")
    )

    record.doi = _find_doi(fields.get("doi", ""))
    record.arxiv_id, record.arxiv_version = _arxiv_id(fields)
    if record.doi and arxiv_id_from_doi(record.doi):
        record.arxiv_id = record.arxiv_id or arxiv_id_from_doi(record.doi)
        record.doi = ""
    primary = clean(fields.get("primaryclass", ""))
    if record.arxiv_id and is_arxiv_category(primary):
        record.arxiv_primary_category = primary

    url = first_url(fields.get("url", ""))
    if url and url.lower().endswith(".pdf"):
        record.pdf_url = url
    else:
        record.url = url
    record.pdf_url = record.pdf_url or first_url(fields.get("pdf", ""))
    record.code_url = first_url(fields.get("code", ""))

    if record.arxiv_id and (
        entry_type in {"misc", "unpublished", "online", "preprint"}
        or _is_preprint_venue(record.venue)
    ):
        kind = "preprint"
    if _is_preprint_venue(record.venue) or (record.arxiv_id and record.venue.lower() == "corr"):
        # "arXiv preprint arXiv:2308.01234", DBLP's "CoRR" with volume "abs/…": no venue.
        record.venue = ""
        if record.volume.startswith("abs/"):
            record.volume = ""
    record.kind = kind
    return record


class _State:
    def __init__(self, source: str, known: frozenset[str], limits: ImportLimits):
        self.source = source
        self.known = known
        self.max_record_chars = limits.max_record_bytes
        self.macros = Macros(limits)
        self.keys: set[str] = set()
        # Every entry's type and fields (abstract dropped), by lower-case key: any entry
        # may be a crossref parent.
        self.parents: dict[str, tuple[str, dict]] = {}
        self.xdata: dict[str, dict] = {}
        self.waiting: list[tuple] = []  # children whose parent or xdata comes later


def _entry_fields(entry: bibtex_scan.Entry, state: _State) -> dict:
    fields, undefined = {}, []
    for key, value in entry.fields:
        try:
            fields[key.lower()] = evaluate(value, state.macros, undefined)
        except BibValueError as error:
            raise BibValueError(f"field “{key}”: {error}") from None
    for name in undefined:
        fields.setdefault("__warnings__", []).append(
            f"undefined @string macro “{name}” kept as text"
        )
    return fields


def _repeated_field(entry: bibtex_scan.Entry) -> str:
    """A field name the entry gives twice (spelt the same way), or ""."""
    names = [key for key, _ in entry.fields]
    if len(set(names)) == len(names):
        return ""
    return next(name for index, name in enumerate(names) if name in names[:index])


def _resolved(state: _State, entry_type: str, fields: dict, final: bool) -> dict | None:
    """``fields`` with their xdata and crossref ancestors' fields, or None when one is
    not read yet (and ``final`` is false: at the end, a missing one is a warning)."""
    chain, seen, warnings = [], set(), []
    current_type, current = entry_type, fields
    while True:
        missing = [key for key in split_keys(current.get("xdata", "")) if key not in state.xdata]
        if missing and not final:
            return None
        warnings += [f"xdata “{key}” names no @xdata entry" for key in missing]
        chain.append((current_type, with_xdata(current, state.xdata)))
        parent_key = current.get("crossref", "").strip().lower()
        if not parent_key:
            break
        if parent_key in seen or len(chain) > MAX_LEVELS:
            warnings.append(f"crossref “{parent_key}” goes round in a loop; not followed")
            break
        seen.add(parent_key)
        if parent_key not in state.parents:
            if not final:
                return None
            warnings.append(f"crossref “{current['crossref'].strip()}” names no entry in this file")
            break
        current_type, current = state.parents[parent_key]
    # From the farthest ancestor down to the entry itself.
    child_type, merged = chain.pop()
    while chain:
        parent_type, parent = child_type, merged
        child_type, child = chain.pop()
        merged = inherit(child_type, child, parent_type, parent)
    if warnings:
        merged["__warnings__"] = merged.get("__warnings__", []) + warnings
    return merged


def _unknown_type(entry_type: str) -> str:
    return f"unknown entry type @{entry_type}; imported as “other”"


def _finish(state: _State, entry_type, key, fields, location, raw):
    """The entry's record, its problem, or, when the merge knows its fingerprint, a
    ``KnownRecord`` with the same warnings (building it is most of the parse)."""
    fingerprint = input_digest(entry_type, fields)

    def build() -> PaperRecord:
        record = build_record(entry_type, key, fields, location, raw)
        record.warnings.extend(fields.get("__warnings__", []))
        record.fingerprint = fingerprint
        return record

    if fingerprint in state.known:
        warnings = [] if entry_type in KINDS else [_unknown_type(entry_type)]
        return KnownRecord(fingerprint, location, warnings + fields.get("__warnings__", []), build)
    try:
        return build()
    except BibValueError as error:
        return RecordProblem(location, str(error))


def input_digest(entry_type: str, fields: dict) -> str:
    """A digest of everything ``build_record`` reads that can change the record: the
    entry type and the evaluated fields, in order (not the raw text, the key or where
    the entry is)."""
    parts = [FORMAT, entry_type]
    for name, value in fields.items():
        if name != "__warnings__":
            parts += (name, value)
    text = "\0".join(parts)
    if text.count("\0") != len(parts) - 1:  # a NUL in a value: separate unambiguously
        text = repr(parts)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def parse(
    stream,
    source: str,
    known: frozenset[str] = frozenset(),
    limits: ImportLimits = DEFAULT_LIMITS,
) -> Iterator[PaperRecord | KnownRecord | RecordProblem]:
    """Records and problems, in file order (entries whose crossref parent or xdata entry
    comes later in the file come at the end). An entry whose fingerprint is in ``known``
    comes as a ``KnownRecord``. ``limits`` bound entries, values and macro expansion."""
    state = _State(source, known, limits)
    for block in bibtex_scan.scan_stream(stream, max_block_chars=limits.max_record_bytes):
        yield from _block(block, state)
    for entry_type, key, fields, location, raw in state.waiting:
        merged = _resolved(state, entry_type, fields, final=True)
        yield _finish(state, entry_type, key, merged, location, raw)


def _block(block: bibtex_scan.Block, state: _State):
    line = block.line
    if isinstance(block, bibtex_scan.StringDefinition):
        # A redefined @string: the later definition wins, as in BibTeX.
        location = Location(state.source, line, f"@string {block.name}")
        try:
            refused = state.macros.define(block.name, block.value)
        except BibValueError as error:
            refused = str(error)
        if refused:
            yield RecordProblem(location, refused)
        return
    if isinstance(block, bibtex_scan.BrokenBlock):
        key_match = re.match(r"\s*@\s*\w+\s*[{(]\s*([^,\s]*)", block.raw[:1000])
        key = key_match.group(1) if key_match else ""
        yield RecordProblem(
            Location(state.source, line, key), f"broken entry: {block.reason.strip()}"
        )
        return
    entry_type, key = block.entry_type, block.key
    location = Location(state.source, line, key)
    if len(block.raw) > state.max_record_chars:
        yield RecordProblem(
            location, bibtex_scan.too_large(state.max_record_chars, size=len(block.raw))
        )
        return
    repeated = _repeated_field(block)
    if repeated:
        yield RecordProblem(location, f"broken entry: the field “{repeated}” is given twice")
        return
    if entry_type == "set":
        return  # a group of entries that come on their own; not a work
    try:
        fields = _entry_fields(block, state)
    except BibValueError as error:
        yield RecordProblem(location, str(error))
        return
    if entry_type == "xdata":
        # Data for other entries, not a work; its own xdata first.
        state.xdata[key.lower()] = with_xdata(fields, state.xdata)
        return
    if key in state.keys:
        fields.setdefault("__warnings__", []).append(f"duplicate entry key “{key}”")
    state.keys.add(key)
    state.parents[key.lower()] = (
        entry_type,
        {name: value for name, value in fields.items() if name != "abstract"},
    )
    if "crossref" in fields or "xdata" in fields:
        merged = _resolved(state, entry_type, fields, final=False)
        if merged is None:
            state.waiting.append((entry_type, key, fields, location, block.raw))
            return
        fields = merged
    yield _finish(state, entry_type, key, fields, location, block.raw)


def parse_text(text: str, source: str) -> list[PaperRecord | RecordProblem]:
    return list(parse(io.StringIO(text), source))
