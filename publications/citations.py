"""Citation formats for papers: BibTeX, RIS, CSL-JSON, a formatted reference and COinS.

Plain functions over ``Publication`` rows. Each reads only the paper's own fields and
``paper.authorships.all()``, so a queryset from ``Publication.objects.for_citation()``
(or any method that prefetches authorships) exports any number of papers in a fixed
number of queries.

Names are written as the paper gives them (``Authorship.name``) and split into
family and given parts with BibTeX's own rules (“First von Last”, “von Last, Jr,
First”), which bibtexparser implements. A paper whose author list is incomplete
(``is_author_list_truncated``) ends with “and others” in BibTeX and “et al.” in the
formatted reference; authors known only to be behind “et al.” (no position) are left
out of every ordered list.
"""

import json
import re
import unicodedata
from collections import Counter
from urllib.parse import urlencode

import rispy
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from core.names import split_name

from .models import Publication

Kind = Publication.Kind

# --------------------------------------------------------------------------- names


def _authors(paper):
    return [authorship.name for authorship in paper.listed_authorships]


# --------------------------------------------------------------------------- dates


def _date_parts(paper):
    """[year], [year, month] or [year, month, day], as precise as the paper's date."""
    date = paper.published_on
    if date is None:
        return []
    if paper.date_precision == Publication.DatePrecision.YEAR:
        return [date.year]
    if paper.date_precision == Publication.DatePrecision.MONTH:
        return [date.year, date.month]
    return [date.year, date.month, date.day]


def _split_pages(pages):
    """“12–34” → (“12”, “34”); “e123” → (“e123”, “”)."""
    match = re.match(r"^\s*(\S+?)\s*(?:-+|–|—)\s*(\S+)\s*$", pages)
    if match:
        return match.group(1), match.group(2)
    return pages.strip(), ""


def _link(paper, page_url=None):
    """The best link for a reference: DOI, then arXiv, the paper's URL, our page."""
    if paper.doi:
        return paper.doi_url
    if paper.arxiv_id:
        return paper.arxiv_url
    if paper.url:
        return paper.url
    return page_url(paper) if page_url else ""


# --------------------------------------------------------------------------- BibTeX

BIBTEX_TYPES = {
    Kind.JOURNAL_ARTICLE: "article",
    Kind.CONFERENCE_PAPER: "inproceedings",
    Kind.PREPRINT: "misc",
    Kind.REPORT: "techreport",
    Kind.THESIS: "phdthesis",
    Kind.BOOK: "book",
    Kind.CHAPTER: "incollection",
    Kind.POST: "misc",
    Kind.OTHER: "misc",
}
# Where the venue goes, by entry type.
BIBTEX_VENUE_FIELD = {
    "article": "journal",
    "inproceedings": "booktitle",
    "incollection": "booktitle",
    "techreport": "institution",
    "phdthesis": "school",
    "misc": "howpublished",
}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# Characters with a meaning in (Bib)TeX, written so that they print as themselves and
# decode back to themselves with pylatexenc (which bibtexparser and our importer use).
BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\string^",
}
_BIBTEX_ESCAPE_TABLE = str.maketrans(BIBTEX_ESCAPES)
_STOPWORDS = {"a", "an", "the", "on", "of", "in", "for", "to", "and", "towards", "toward"}


def escape_bibtex(text):
    """Escape the ten TeX special characters; other text (UTF-8) is kept as it is."""
    return " ".join(str(text).split()).translate(_BIBTEX_ESCAPE_TABLE)


def _protect_case(title):
    """Escape a title and brace the words whose capitals must survive a bibliography
    style that lower-cases titles (“LLMs”, “GPT-4”, “AI”), as reference managers do."""
    words = []
    for word in " ".join(title.split()).split(" "):
        escaped = escape_bibtex(word)
        words.append(f"{{{escaped}}}" if any(c.isupper() for c in word[1:]) else escaped)
    return " ".join(words)


def _bibtex_name(name):
    """“von Last, Jr, First”, which every BibTeX implementation reads back exactly."""
    parts = split_name(name)
    family = escape_bibtex(parts.family)
    if " and " in f" {parts.family.lower()} ":  # a name with the word “and” in it
        family = f"{{{family}}}"
    pieces = [family]
    if parts.suffix:
        pieces.append(escape_bibtex(parts.suffix))
    if parts.given:
        pieces.append(escape_bibtex(parts.given))
    return ", ".join(pieces) if len(pieces) > 1 else family


def _ascii_word(text):
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]", "", folded).lower()


def citation_key(paper):
    """A key built from the paper alone (first author's family name, year, first
    significant title word), e.g. ``hubinger2024sleeper``, so it is the same in
    every export. ``to_bibtex`` adds a letter when two papers in one file share it."""
    authors = _authors(paper)
    family = _ascii_word(split_name(authors[0]).family) if authors else ""
    words = [_ascii_word(w) for w in re.split(r"[\s\-–—:/]+", paper.title)]
    words = [w for w in words if w]
    significant = next((w for w in words if w not in _STOPWORDS), words[0] if words else "")
    key = f"{family or 'anon'}{paper.year or 'nd'}{significant}"
    return key or f"paper{paper.pk}"


def bibtex_fields(paper, page_url=None):
    """The (field, value) pairs of the paper's entry, values already escaped."""
    entry_type = BIBTEX_TYPES.get(paper.kind, "misc")
    fields = [("title", _protect_case(paper.title))]
    names = [_bibtex_name(name) for name in _authors(paper)]
    if paper.is_author_list_truncated and names:
        names.append("others")
    if names:
        fields.append(("author", " and ".join(names)))
    parts = _date_parts(paper)
    if parts:
        fields.append(("year", str(parts[0])))
    if len(parts) > 1:
        fields.append(("month", MONTHS[parts[1] - 1]))  # a macro: written unbraced
    if paper.venue:
        fields.append((BIBTEX_VENUE_FIELD.get(entry_type, "howpublished"), paper.venue))
    elif entry_type == "techreport" and paper.publisher:
        fields.append(("institution", paper.publisher))
    for name in ("volume", "pages", "publisher"):
        value = getattr(paper, name)
        if value and not (name == "publisher" and entry_type == "techreport" and not paper.venue):
            fields.append((name, value.replace("–", "--") if name == "pages" else value))
    if paper.issue:
        fields.append(("number", paper.issue))
    if paper.doi:
        fields.append(("doi", paper.doi))
    if paper.arxiv_id:
        fields += [("eprint", paper.arxiv_id), ("archiveprefix", "arXiv")]
        if paper.arxiv_primary_category:
            fields.append(("primaryclass", paper.arxiv_primary_category))
    url = paper.url or paper.arxiv_url or (page_url(paper) if page_url and not paper.doi else "")
    if url:
        fields.append(("url", url))
    if paper.note:
        fields.append(("note", paper.note))
    # Escape everything but the title and authors (done above) and the month macro.
    return [
        (name, value if name in {"title", "author", "month"} else escape_bibtex(value))
        for name, value in fields
    ]


def to_bibtex(papers, *, page_url=None):
    """One BibTeX file (``str``) with an entry per paper, in the order given.

    ``page_url(paper)`` gives our page's absolute URL, used as ``url`` when the paper
    has no link of its own.
    """
    papers = list(papers)
    keys = [citation_key(paper) for paper in papers]
    counts, seen = Counter(keys), Counter()
    entries = []
    for paper, base in zip(papers, keys, strict=True):
        key = base
        if counts[base] > 1:  # several papers share the key: a, b, c... in export order
            key = f"{base}{_letters(seen[base])}"
            seen[base] += 1
        lines = [f"@{BIBTEX_TYPES.get(paper.kind, 'misc')}{{{key},"]
        for name, value in bibtex_fields(paper, page_url):
            lines.append(f"  {name} = {value}," if name == "month" else f"  {name} = {{{value}}},")
        lines[-1] = lines[-1].rstrip(",")
        lines.append("}")
        entries.append("\n".join(lines))
    return "\n\n".join(entries) + ("\n" if entries else "")


def _letters(index):
    """0 → a, 25 → z, 26 → aa, ..."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters


# --------------------------------------------------------------------------- RIS

RIS_TYPES = {
    Kind.JOURNAL_ARTICLE: "JOUR",
    Kind.CONFERENCE_PAPER: "CPAPER",
    Kind.PREPRINT: "UNPB",
    Kind.REPORT: "RPRT",
    Kind.THESIS: "THES",
    Kind.BOOK: "BOOK",
    Kind.CHAPTER: "CHAP",
    Kind.POST: "BLOG",
    Kind.OTHER: "GEN",
}


def _ris_name(name):
    parts = split_name(name)
    return ", ".join(p for p in (parts.family, parts.given, parts.suffix) if p)


def ris_entry(paper, page_url=None):
    """The paper as a ``rispy`` record (a dict keyed by rispy's field names)."""
    entry = {"type_of_reference": RIS_TYPES.get(paper.kind, "GEN"), "title": paper.title}
    authors = [_ris_name(name) for name in _authors(paper)]
    if authors:
        entry["authors"] = authors
    parts = _date_parts(paper)
    if parts:
        entry["year"] = str(parts[0])
        # RIS dates are YYYY/MM/DD/ with empty parts left blank.
        padded = [f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])]
        entry["date"] = "/".join(padded + [""] * (3 - len(padded))) + "/"
    if paper.venue:
        entry["secondary_title"] = paper.venue
        if paper.kind == Kind.JOURNAL_ARTICLE:
            entry["journal_name"] = paper.venue
    for field, name in (("volume", "volume"), ("number", "issue"), ("publisher", "publisher")):
        if getattr(paper, name):
            entry[field] = getattr(paper, name)
    if paper.pages:
        first, last = _split_pages(paper.pages)
        entry["start_page"] = first
        if last:
            entry["end_page"] = last
    if paper.doi:
        entry["doi"] = paper.doi
    urls = [u for u in (paper.url, paper.arxiv_url, paper.pdf_url) if u]
    if not urls and page_url:
        urls = [page_url(paper)]
    if urls:
        entry["urls"] = list(dict.fromkeys(urls))
    if paper.abstract:
        entry["abstract"] = " ".join(paper.plain_abstract.split())
    keywords = list(paper.keywords or [])
    if keywords:
        entry["keywords"] = [str(k) for k in keywords]
    notes = []
    if paper.arxiv_id:
        notes.append(f"arXiv:{paper.arxiv_id}")
    if paper.note:
        notes.append(paper.note)
    if notes:
        entry["notes"] = notes
    return entry


def _one_line(value):
    """RIS is line-based: a line break inside a value would start a new tag (or a new
    record), so every value is written on one line."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        return [_one_line(v) for v in value]
    return value


class _RisWriter(rispy.RisWriter):
    """rispy's writer without its numbered header line (“1.”) before each record: RIS
    files start with ``TY``, and EndNote, Zotero and Mendeley write none."""

    def set_header(self, count):
        return ""


def to_ris(papers, *, page_url=None):
    """One RIS file (``str``), written by rispy: records start with ``TY``, a blank line
    between them."""
    entries = [ris_entry(paper, page_url) for paper in papers]
    return rispy.dumps(
        [{k: _one_line(v) for k, v in entry.items()} for entry in entries],
        implementation=_RisWriter,
    )


# --------------------------------------------------------------------------- CSL-JSON

CSL_TYPES = {
    Kind.JOURNAL_ARTICLE: "article-journal",
    Kind.CONFERENCE_PAPER: "paper-conference",
    Kind.PREPRINT: "article",
    Kind.REPORT: "report",
    Kind.THESIS: "thesis",
    Kind.BOOK: "book",
    Kind.CHAPTER: "chapter",
    Kind.POST: "post-weblog",
    Kind.OTHER: "document",
}


def _csl_name(name):
    parts = split_name(name)
    if not parts.given:
        return {"literal": parts.family}
    person = {"family": parts.family, "given": parts.given}
    if parts.suffix:
        person["suffix"] = parts.suffix
    return person


def csl_item(paper, page_url=None):
    """The paper as a CSL-JSON item (a ``dict``), the format of citeproc, Zotero and pandoc."""
    item = {"id": citation_key(paper), "type": CSL_TYPES.get(paper.kind, "document")}
    item["title"] = paper.title
    authors = [_csl_name(name) for name in _authors(paper)]
    if authors:
        item["author"] = authors
    parts = _date_parts(paper)
    if parts:
        item["issued"] = {"date-parts": [parts]}
    if paper.venue:
        item["container-title"] = paper.venue
    for field, name in (("volume", "volume"), ("issue", "issue"), ("page", "pages")):
        if getattr(paper, name):
            item[field] = getattr(paper, name)
    if paper.publisher:
        item["publisher"] = paper.publisher
    elif paper.kind == Kind.PREPRINT and paper.arxiv_id:
        item["publisher"] = "arXiv"
    if paper.arxiv_id:
        item["number"] = f"arXiv:{paper.arxiv_id}"
    if paper.doi:
        item["DOI"] = paper.doi
    url = paper.url or paper.arxiv_url or (page_url(paper) if page_url else "")
    if url:
        item["URL"] = url
    if paper.abstract:
        item["abstract"] = " ".join(paper.plain_abstract.split())
    if paper.keywords:
        item["keyword"] = ", ".join(str(k) for k in paper.keywords)
    if paper.note:
        item["note"] = paper.note
    return item


def to_csl_json(papers, *, page_url=None):
    """A CSL-JSON array (``str``) with an item per paper; ids are unique in the array."""
    items = [csl_item(paper, page_url) for paper in papers]
    counts, seen = Counter(item["id"] for item in items), Counter()
    for item in items:
        key = item["id"]
        if counts[key] > 1:
            item["id"] = f"{key}{_letters(seen[key])}"
            seen[key] += 1
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- formatted


def _reference_author(name):
    parts = split_name(name)
    if not parts.given:
        return parts.family
    text = f"{parts.family}, {parts.initials}"
    return f"{text}, {parts.suffix}" if parts.suffix else text


def _reference_authors(paper):
    """APA 7: up to 20 names, “&” before the last; from 21, the first 19, “…”, the last."""
    names = [_reference_author(name) for name in _authors(paper)]
    if not names:
        return ""
    if paper.is_author_list_truncated:
        return ", ".join(names) + ", et al."
    if len(names) > 20:
        return ", ".join(names[:19]) + ", … " + names[-1]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _reference_parts(paper, page_url=None):
    """The reference as (text, italic) pieces, shared by the text and HTML forms."""
    authors = _reference_authors(paper)
    date = f"({paper.year or 'n.d.'})."
    title = " ".join(paper.title.split())
    title = title if title.endswith(("?", "!", ".")) else title + "."
    if authors:
        authors = authors if authors.endswith(".") else authors + "."
        pieces = [(f"{authors} {date} {title}", False)]
    else:  # APA: without authors, the title moves to the authors' place
        pieces = [(f"{title} {date}", False)]
    venue = paper.venue or (f"arXiv:{paper.arxiv_id}" if paper.arxiv_id else "")
    if venue:
        pieces += [(" ", False), (venue, True)]
        if paper.volume:
            pieces += [(", ", False), (paper.volume, True)]
        if paper.issue:
            pieces.append((f"({paper.issue})", False))
        if paper.pages:
            pieces.append((f", {paper.pages.replace('--', '–')}", False))
        pieces.append((".", False))
    elif paper.publisher:
        pieces.append((f" {paper.publisher}.", False))
    link = _link(paper, page_url)
    if link:
        pieces.append((f" {link}", False))
    return pieces


def formatted_citation(paper, *, page_url=None):
    """A reference in APA style, as plain text to paste anywhere."""
    return "".join(text for text, _ in _reference_parts(paper, page_url))


def formatted_citation_html(paper, *, page_url=None):
    """The same reference as safe HTML, with the venue in italics."""
    return mark_safe(  # every piece is escaped here
        "".join(
            format_html("<i>{}</i>", text) if italic else escape(text)
            for text, italic in _reference_parts(paper, page_url)
        )
    )


# --------------------------------------------------------------------------- COinS

COINS_GENRES = {
    Kind.JOURNAL_ARTICLE: ("journal", "article"),
    Kind.CONFERENCE_PAPER: ("journal", "proceeding"),
    Kind.PREPRINT: ("journal", "preprint"),
    Kind.REPORT: ("book", "report"),
    Kind.THESIS: ("dissertation", ""),
    Kind.BOOK: ("book", "book"),
    Kind.CHAPTER: ("book", "bookitem"),
    Kind.POST: ("dc", ""),
    Kind.OTHER: ("journal", "article"),
}


def coins_query(paper, page_url=None):
    """The OpenURL 1.0 ContextObject (KEV) that Zotero and other reference managers
    read from a ``<span class="Z3988" title="...">`` on a page."""
    fmt, genre = COINS_GENRES.get(paper.kind, ("journal", "article"))
    pairs = [("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", f"info:ofi/fmt:kev:mtx:{fmt}")]
    if paper.doi:
        pairs.append(("rft_id", f"info:doi/{paper.doi}"))
    if paper.arxiv_id:
        pairs.append(("rft_id", f"info:arxiv/{paper.arxiv_id}"))
    link = paper.url or paper.arxiv_url or (page_url(paper) if page_url else "")
    if link:
        pairs.append(("rft_id", link))
    if fmt == "dc":
        pairs.append(("rft.title", paper.title))
        pairs += [("rft.creator", name) for name in _authors(paper)]
        if paper.published_on:
            pairs.append(("rft.date", iso_date(paper)))
        if paper.venue:
            pairs.append(("rft.source", paper.venue))
        pairs.append(("rft.type", "blogPost"))
        return urlencode(pairs)
    if genre:
        pairs.append(("rft.genre", genre))
    if fmt == "journal":
        pairs.append(("rft.atitle", paper.title))
        if paper.venue:
            pairs.append(("rft.jtitle", paper.venue))
    elif genre == "bookitem":
        pairs.append(("rft.atitle", paper.title))
        if paper.venue:
            pairs.append(("rft.btitle", paper.venue))
    else:
        pairs.append(("rft.btitle" if fmt == "book" else "rft.title", paper.title))
        if paper.venue and fmt == "dissertation":
            pairs.append(("rft.inst", paper.venue))
    authors = _authors(paper)
    if authors:
        first = split_name(authors[0])
        pairs.append(("rft.aulast", first.family))
        if first.given:
            pairs.append(("rft.aufirst", first.given))
    pairs += [("rft.au", name) for name in authors]
    if paper.published_on:
        pairs.append(("rft.date", iso_date(paper)))
    for key, name in (("rft.volume", "volume"), ("rft.issue", "issue"), ("rft.pages", "pages")):
        if getattr(paper, name):
            pairs.append((key, getattr(paper, name)))
    if paper.publisher:
        pairs.append(("rft.pub", paper.publisher))
    return urlencode(pairs)


def coins(paper, *, page_url=None):
    """The COinS span for one paper (safe HTML); it is empty and invisible."""
    return format_html('<span class="Z3988" title="{}"></span>', coins_query(paper, page_url))


def iso_date(paper):
    """The publication date as ISO 8601, as precise as it is known: 2024, 2024-01, 2024-01-10."""
    parts = _date_parts(paper)
    return "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])]) if parts else ""
